import { incidentOpsIncidentEscalatePermission } from '@acme/plugin-incident-ops-common';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { MANUAL_TRIGGERS } from '../escalation/EscalationEngine';
import { type ActionDeps, actorOf, audited } from './deps';

/** POST /incidents/{number}/escalations as an action: one tier up, with a trigger and a note. */
export function registerEscalateIncident(
  registry: ActionsRegistryService,
  deps: ActionDeps,
) {
  registry.register({
    name: 'escalate-incident',
    title: 'Escalate an incident',
    description:
      "Escalates an incident one support tier up (L1 to L2, L2 to L3), reassigning it to that tier's group in ServiceNow. The trigger says why: stakeholder-request, architectural-impact, complexity, or kb-exhausted (the knowledge base did not solve it); the note explains it and is written to the incident. Refused for a closed or resolved incident and at L3.",
    attributes: { destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          number: z.string().min(1).describe('The incident number'),
          trigger: z.enum(MANUAL_TRIGGERS),
          note: z.string().min(1).max(4000),
        }),
      output: z =>
        z.object({
          decision: z.object({
            rule: z.string(),
            from: z.string(),
            to: z.string(),
            explanation: z.string(),
            key: z.string(),
          }),
        }),
    },
    action: async ({ input, credentials }) => {
      const { number, trigger, note } = input;
      await deps.access.authorize(
        credentials,
        incidentOpsIncidentEscalatePermission,
        `escalate ${number}`,
        number,
      );
      const actor = actorOf(deps.auth, credentials);
      const decision = await audited(
        deps,
        credentials,
        'incident-escalation',
        { number, trigger },
        async () => {
          const d = await deps.incidentWorkflow.escalate({
            number,
            trigger,
            note,
            actor,
          });
          return { result: d, meta: { from: d.from!, to: d.to! } };
        },
      );
      // its write-back and notifications now rather than at the next tick
      deps.tasks.runSoon('outbox');
      deps.tasks.runSoon('notifications');
      return {
        output: {
          decision: {
            rule: decision.rule,
            from: decision.from!,
            to: decision.to!,
            explanation: decision.explanation,
            key: decision.key,
          },
        },
      };
    },
  });
}
