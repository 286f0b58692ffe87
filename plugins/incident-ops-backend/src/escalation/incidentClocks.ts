import { escalationClocks } from '@acme/plugin-incident-ops-common';
import type { EscalationStore } from '../database/DatabaseEscalationStore';
import { toSubject } from './EscalationEngine';
import type { PolicyBook } from './PolicyBook';

/**
 * An incident's SLA and tier clocks now, on the escalation policy in force for it (the one
 * its tier stay started under), and that policy. Both undefined for an incident the
 * escalation engine does not know.
 */
export async function incidentClocks(
  deps: { escalations: EscalationStore; policies: PolicyBook },
  number: string,
  now = new Date(),
) {
  const due = await deps.escalations.getDueIncident(number);
  const inForce = due ? await deps.policies.forIncident(due) : undefined;
  const clocks =
    due && inForce
      ? escalationClocks(
          toSubject(due, await deps.escalations.escalationContext([due])),
          inForce.policy,
          now,
        )
      : undefined;
  return {
    due,
    clocks,
    policy: inForce && { id: inForce.id, current: inForce.current },
  };
}
