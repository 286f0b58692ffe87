import { incidentOpsIncidentCreatePermission } from '@acme/plugin-incident-ops-common';
import type { ReportingServices } from '../reporting/setup';
import type { IncidentOpsRouter, RouteContext } from './context';

/**
 * "Report an incident": the draft's preview (priority, tier, cadence, ticket type, CI,
 * knowledge, playbook), the report itself (202, filed in the source by the report outbox; the
 * same clientKey again is 200 with the same record), its state, and "This solved it".
 */
export function registerIncidentReportingRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
  { reporter }: ReportingServices,
) {
  const { httpAuth, authorize, actorOf, audited } = ctx;
  // the preview and "This solved it" are for anyone signed in: the form helps before it reports
  const signedIn = (req: Parameters<typeof httpAuth.credentials>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/incidents/drafts', async (req, res) => {
    const credentials = await signedIn(req);
    res.json(await reporter.preview(req.body, credentials));
  });

  router.post('/incidents', async (req, res) => {
    const credentials = await authorize(
      req,
      incidentOpsIncidentCreatePermission,
      'report incidents',
    );
    const { clientKey, entityRef, impact, urgency } = req.body;
    const { report, created } = await audited(
      req,
      'incident-report',
      { clientKey, entityRef, impact, urgency },
      async () => {
        const result = await reporter.report(req.body, credentials);
        return {
          result,
          meta: {
            created: result.created,
            provisionalNumber: result.report.provisionalNumber,
            priority: result.report.priority,
            status: result.report.status,
          },
        };
      },
    );
    res.status(created ? 202 : 200).json({ incident: report });
  });

  router.get('/incidents/reports/:clientKey', async (req, res) => {
    await authorize(
      req,
      incidentOpsIncidentCreatePermission,
      'report incidents',
    );
    res.json({ incident: await reporter.get(req.params.clientKey) });
  });

  router.post('/kb/deflections', async (req, res) => {
    const actor = actorOf(await signedIn(req));
    const { articleId, entityRef, ticketType } = req.body;
    const deflection = await audited(
      req,
      'kb-deflection',
      {
        articleId,
        ...(entityRef ? { entityRef } : {}),
        ...(ticketType ? { ticketType } : {}),
      },
      async () => {
        const result = await reporter.deflect(req.body, actor);
        return { result, meta: { deflectionId: result.id } };
      },
    );
    res.status(201).json({ deflection });
  });
}
