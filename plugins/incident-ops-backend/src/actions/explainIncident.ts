import { incidentOpsIncidentReadPermission } from '@acme/plugin-incident-ops-common';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import { incidentEntity } from '../contacts/incidentEntity';
import { isoOf } from '../database/rows';
import { incidentClocks } from '../escalation/incidentClocks';
import { withTriage } from '../routes/queue';
import type { ActionDeps } from './deps';

/**
 * Why an incident is where it is: its tier, the escalation decisions that put it there with
 * their explanations and the policy in force (as GET /incidents/{number}), its clocks, and
 * who to contact (the contact tree of the entity it sits on, as GET /contacts).
 */
export function registerExplainIncident(
  registry: ActionsRegistryService,
  deps: ActionDeps,
) {
  registry.register({
    name: 'explain-incident',
    title: 'Explain an incident',
    description:
      'Explains an incident by its number (e.g. INC0010042): its priority, status and support tier (L1 service desk, L2 platform, L3 evangelists), the escalation decisions that moved it and why, the escalation policy in force, its SLA clocks (respond, resolve) and tier clock in milliseconds used and left, and who to contact: the contact tree of the catalog entity it sits on.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          number: z.string().min(1).describe('The incident number'),
        }),
      output: z => {
        const clock = z.object({
          used: z.number(),
          paused: z.number(),
          limit: z.number().optional(),
          left: z.number().optional(),
          breached: z.boolean(),
        });
        return z.object({
          incident: z
            .object({
              number: z.string(),
              shortDescription: z.string(),
              priority: z.string(),
              status: z.string(),
              tier: z.string().optional(),
              triage: z.boolean().optional(),
            })
            .passthrough(),
          escalations: z
            .array(
              z.object({
                at: z.string(),
                action: z.string(),
                rule: z.string(),
                from: z.string().optional(),
                to: z.string().optional(),
                explanation: z.string(),
              }),
            )
            .describe('The escalation decisions, oldest first'),
          policy: z
            .object({ id: z.string(), current: z.boolean() })
            .optional()
            .describe('The escalation policy in force for its tier stay'),
          clocks: z
            .object({
              tier: clock
                .extend({ tier: z.string(), triage: z.boolean().optional() })
                .optional(),
              respond: clock,
              resolve: clock,
            })
            .optional(),
          entityRef: z
            .string()
            .optional()
            .describe('The catalog entity it sits on, by its CMDB CI'),
          contacts: z
            .object({ entityRef: z.string() })
            .passthrough()
            .optional()
            .describe('The contact tree of that entity, nearest level first'),
        });
      },
    },
    action: async ({ input, credentials }) => {
      const { number } = input;
      await deps.access.authorize(
        credentials,
        incidentOpsIncidentReadPermission,
        `read ${number}`,
        number,
      );
      const incident = await deps.store.getIncidentByNumber(number);
      if (!incident) throw new NotFoundError(`No incident ${number}`);
      const [{ clocks, policy }, decisions, entityRef] = await Promise.all([
        incidentClocks(deps, number),
        deps.escalations.listDecisions(number),
        incidentEntity(deps.catalog, incident, credentials),
      ]);
      return {
        output: {
          incident: { ...withTriage(incident) },
          escalations: decisions.map(d => ({
            at: isoOf(d.created_at)!,
            action: d.action,
            rule: d.rule,
            ...(d.from_tier ? { from: d.from_tier } : {}),
            ...(d.to_tier ? { to: d.to_tier } : {}),
            explanation: d.explanation,
          })),
          ...(policy ? { policy } : {}),
          ...(clocks ? { clocks } : {}),
          ...(entityRef
            ? {
                entityRef,
                contacts: {
                  ...(await deps.contacts.contactTree(entityRef, credentials)),
                },
              }
            : {}),
        },
      };
    },
  });
}
