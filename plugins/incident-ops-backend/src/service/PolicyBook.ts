import { createHash } from 'node:crypto';
import type { EscalationPolicy } from '@acme/plugin-incident-ops-common';
import type {
  DatabaseWorkflowStore,
  DueIncident,
} from '../database/DatabaseWorkflowStore';

/** The same JSON for the same policy, whatever the order its keys were read in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A policy's id: the hash of its content, so the same settings are the same policy. */
export function policyId(policy: EscalationPolicy): string {
  return createHash('sha256').update(canonical(policy)).digest('hex');
}

/**
 * The escalation policies by id. A ticket runs on the policy that was in force when it
 * entered its current tier: a config change applies to tickets from their next tier on, and
 * the ticket's view says which policy it runs on and whether that is the current one.
 */
export class PolicyBook {
  readonly currentId: string;
  private readonly known = new Map<string, EscalationPolicy>();
  private saved?: Promise<void>;

  constructor(
    private readonly store: DatabaseWorkflowStore,
    readonly current: EscalationPolicy,
  ) {
    this.currentId = policyId(current);
    this.known.set(this.currentId, current);
  }

  /** Stores the current policy (once per process) so tickets can refer to it. */
  ensureSaved(now = new Date()): Promise<void> {
    this.saved ??= this.store
      .savePolicy(this.currentId, this.current, now)
      .catch(e => {
        this.saved = undefined;
        throw e;
      });
    return this.saved;
  }

  /** The policy an incident's current tier stay runs on. */
  async forIncident(
    incident: DueIncident,
  ): Promise<{ id: string; policy: EscalationPolicy; current: boolean }> {
    const id =
      incident.policyId &&
      incident.policyTierEnteredAt === incident.tierEnteredAt
        ? incident.policyId
        : this.currentId;
    let policy = this.known.get(id);
    if (!policy) {
      policy = await this.store.loadPolicy(id);
      if (policy) this.known.set(id, policy);
    }
    return policy
      ? { id, policy, current: id === this.currentId }
      : { id: this.currentId, policy: this.current, current: true };
  }
}
