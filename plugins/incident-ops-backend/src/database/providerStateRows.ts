import type { Knex } from 'knex';
import type { ProviderState } from './IncidentStore';
import { opt, toDate } from './rows';

// A provider's row in `incident_provider_state`, and its leases in `incident_provider_leases`.

type Row = Record<string, any>;

/** A provider's sync state from its row (the quarantine count comes from elsewhere). */
export function providerStateFromRow(
  r: Row,
): Omit<ProviderState, 'quarantined'> {
  const startedAt = toDate(r.last_started_at);
  const finishedAt = toDate(r.last_finished_at);
  const reconciledAt = toDate(r.last_reconciled_at);
  return {
    provider: r.provider,
    cursor: opt(r.cursor),
    windowEnd: toDate(r.last_window_end),
    lastReconciliation: reconciledAt
      ? {
          at: reconciledAt,
          removed: Number(r.removed ?? 0),
          refused: opt(r.reconcile_refused),
        }
      : undefined,
    lastRun:
      startedAt && finishedAt
        ? {
            startedAt,
            finishedAt,
            fetched: Number(r.fetched ?? 0),
            stored: Number(r.stored ?? 0),
            quarantined: Number(r.quarantined ?? 0),
            error: opt(r.last_error),
          }
        : undefined,
  };
}

/**
 * Takes the lease on a provider's task until `until`, or renews it for its holder: one
 * conditional upsert, so two replicas cannot both take it.
 */
export async function takeLease(
  db: Knex,
  lease: {
    provider: string;
    task: string;
    holder: string;
    now: Date;
    until: Date;
  },
): Promise<boolean> {
  const { provider, task, holder, now, until } = lease;
  const taken: unknown[] = await db('incident_provider_leases')
    .insert({ provider, task, holder, expires_at: until })
    .onConflict(['provider', 'task'])
    .merge(['holder', 'expires_at'])
    .where(q =>
      q
        .where('incident_provider_leases.holder', holder)
        .orWhere('incident_provider_leases.expires_at', '<', now),
    )
    .returning('holder');
  return taken.length === 1;
}
