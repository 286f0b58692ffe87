import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';
import { createRouteContext, RouterOptions } from './context';
import { registerIncidentRoutes } from './incidents';
import { registerSyncRoutes } from './sync';
import { registerKnowledgeRoutes } from './knowledge';
import { registerPlaybookRoutes } from './playbooks';
import { registerLessonRoutes } from './lessons';
import { registerNotificationRoutes } from './notifications';
import { registerVendorRoutes } from './vendors';
import { registerContactRoutes } from './contacts';
import { registerQueueRoutes } from './queue';
import { registerReportRoutes } from './reports';
import { registerIncidentReportingRoutes } from './report';
import type { ReportingServices } from '../reporting/setup';

export type { RouterOptions } from './context';

/**
 * The REST API at /api/incident-ops, validated against src/schema/openapi.yaml. Each area's
 * routes live in ./routes; they share the permission, audit and actor helpers of the context.
 */
export async function createRouter(
  options: RouterOptions & {
    /** "Report an incident" (reporting/setup.ts); without it those routes are absent. */
    reporting?: ReportingServices;
  },
) {
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
  if (options.reporting) {
    registerIncidentReportingRoutes(router, ctx, options.reporting);
  }

  return router;
}
