import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';
import { createRouteContext, RouterOptions } from './routes/context';
import { registerIncidentRoutes } from './routes/incidents';
import { registerSyncRoutes } from './routes/sync';
import { registerKnowledgeRoutes } from './routes/knowledge';
import { registerPlaybookRoutes } from './routes/playbooks';
import { registerLessonRoutes } from './routes/lessons';
import { registerNotificationRoutes } from './routes/notifications';
import { registerVendorRoutes } from './routes/vendors';
import { registerContactRoutes } from './routes/contacts';
import { registerQueueRoutes } from './routes/queue';
import { registerReportRoutes } from './routes/reports';

export type { RouterOptions } from './routes/context';
export { OUTBOX_TASK } from './routes/context';

/**
 * The REST API at /api/incident-ops, validated against src/schema/openapi.yaml. Each area's
 * routes live in ./routes; they share the permission, audit and actor helpers of the context.
 */
export async function createRouter(options: RouterOptions) {
  const router = createValidatedOpenApiRouter(spec);
  const ctx = createRouteContext(options);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  registerIncidentRoutes(router, ctx);
  registerSyncRoutes(router, ctx);
  registerKnowledgeRoutes(router, ctx);
  registerPlaybookRoutes(router, ctx);
  registerLessonRoutes(router, ctx);
  if (options.communication) {
    registerNotificationRoutes(router, ctx, options.communication);
    registerVendorRoutes(router, ctx, options.communication);
  }
  registerContactRoutes(router, ctx);
  registerQueueRoutes(router, ctx);
  registerReportRoutes(router, ctx);

  return router;
}
