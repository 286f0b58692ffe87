import {
  TICKET_TYPES,
  type TicketType,
  incidentOpsIncidentCreatePermission,
} from '@acme/plugin-incident-ops-common';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { type ActionDeps, audited } from './deps';

/**
 * POST /incidents as an action: files an incident in the source through the report outbox,
 * exactly once per clientKey (the same key again returns the same report).
 */
export function registerReportIncident(
  registry: ActionsRegistryService,
  deps: ActionDeps,
) {
  const { reporter } = deps.reporting;
  registry.register({
    name: 'report-incident',
    title: 'Report an incident',
    description:
      'Files an incident in ServiceNow against a catalog entity (its CMDB CI comes from the entity). Priority follows the P1-P4 matrix from impact and urgency (1 high, 2 medium, 3 low); the tier is P1 L3, P2 L2, P3/P4 L1. The report is queued and filed exactly once per clientKey: generate a new UUID for each new report and reuse it when retrying. Until ServiceNow answers, the incident has a provisional number. Suggest knowledge first: the problem may already be solved.',
    attributes: { destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          clientKey: z
            .string()
            .uuid()
            .describe('A UUID generated once per report; reuse it on retries'),
          shortDescription: z.string().min(1).max(160),
          description: z.string().max(4000).optional(),
          impact: z.enum(['1', '2', '3']).describe('1 high, 2 medium, 3 low'),
          urgency: z.enum(['1', '2', '3']).describe('1 high, 2 medium, 3 low'),
          entityRef: z
            .string()
            .min(1)
            .max(255)
            .describe(
              'The affected entity, e.g. resource:default/livelink-prod',
            ),
          ticketType: z
            .enum(TICKET_TYPES as [TicketType, ...TicketType[]])
            .optional(),
        }),
      output: z =>
        z.object({
          created: z
            .boolean()
            .describe('false when this clientKey was reported before'),
          incident: z
            .object({
              clientKey: z.string(),
              number: z.string().optional(),
              provisionalNumber: z.string(),
              status: z.enum(['queued', 'filed', 'refused']),
              priority: z.string(),
              tier: z.string(),
              assignmentGroup: z.string().optional(),
              entityRef: z.string(),
              configurationItem: z.string().optional(),
            })
            .passthrough(),
        }),
    },
    action: async ({ input, credentials }) => {
      await deps.access.authorize(
        credentials,
        incidentOpsIncidentCreatePermission,
        'report incidents',
      );
      const { clientKey, entityRef, impact, urgency } = input;
      const { report, created } = await audited(
        deps,
        credentials,
        'incident-report',
        { clientKey, entityRef, impact, urgency },
        async () => {
          const result = await reporter.report(input, credentials);
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
      return { output: { created, incident: { ...report } } };
    },
  });
}
