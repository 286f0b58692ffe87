import { createHash } from 'node:crypto';
import type { EscalationPolicy } from '@acme/plugin-incident-ops-common';
import type {
  DueIncident,
  EscalationStore,
} from '../database/DatabaseEscalationStore';

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
    private readonly store: Pick<
      EscalationStore,
      'savePolicy' | 'loadPolicy' | 'markOpenDue'
    >,
    readonly current: EscalationPolicy,
  ) {
    this.currentId = policyId(current);
    this.known.set(this.currentId, current);
  }

  /**
   * Stores the current policy (once per process) so tickets can refer to it. A policy not
   * seen before changes the clocks of tickets that run on the current one: every open
   * ticket is then marked due, so that the engine reads its clocks again.
   */
  ensureSaved(now = new Date()): Promise<void> {
    this.saved ??= this.store
      .savePolicy(this.currentId, this.current, now)
      .then(async added => {
        if (added) await this.store.markOpenDue(now);
      })
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
    return (await this.forIncidents([incident]))[0];
  }

  /** forIncident for a page of incidents: each policy not yet known is read once. */
  async forIncidents(
    incidents: DueIncident[],
  ): Promise<
    Array<{ id: string; policy: EscalationPolicy; current: boolean }>
  > {
    const ids = incidents.map(incident =>
      incident.policyId &&
      incident.policyTierEnteredAt === incident.tierEnteredAt
        ? incident.policyId
        : this.currentId,
    );
    for (const id of new Set(ids)) {
      if (this.known.has(id)) continue;
      const policy = await this.store.loadPolicy(id);
      if (policy) this.known.set(id, policy);
    }
    return ids.map(id => {
      const policy = this.known.get(id);
      return policy
        ? { id, policy, current: id === this.currentId }
        : { id: this.currentId, policy: this.current, current: true };
    });
  }
}
