import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { IncidentWriteBack } from '@acme/plugin-incident-ops-node';
import type { Knex } from 'knex';
import { OutboxClaim, OutboxRows, OutboxTable, claimDue } from './outbox';

const TABLE = 'incident_outbox';

/** An outbox row claimed for delivery; `token` is its claim's. */
export interface OutboxEntry extends OutboxClaim {
  source: string;
  sourceId: string;
  attempts: number;
  change: IncidentWriteBack;
}

/** A change for its source, as queued. */
export interface QueuedWriteBack {
  source: string;
  change: IncidentWriteBack;
}

/**
 * The write-back outbox (`incident_outbox`): changes made in the suite on their way to the
 * sources, each delivered once across replicas.
 */
export interface WriteBackStore extends OutboxRows {
  /**
   * Queues changes whose keys were never queued (a key already in the outbox is left alone,
   * whatever its state) and returns the keys queued now.
   */
  queueWriteBacksOnce(
    changes: QueuedWriteBack[],
    now: Date,
  ): Promise<Set<string>>;
  /** Claims up to `limit` due entries (see DatabaseWriteBackStore.claimDue). */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  // Like retryLater and markRefused, these apply only while `claim` still holds the entry,
  // and say whether they did: a worker whose lease was taken over changes nothing.
  markDone(
    claim: OutboxClaim,
    now: Date,
    writtenVersion?: number,
  ): Promise<boolean>;
  /** The version a change decided on `expected` can take as its base. */
  ownWriteBase(
    source: string,
    sourceId: string,
    expected: number,
  ): Promise<number>;
  markConflict(claim: OutboxClaim, reason: string, now: Date): Promise<boolean>;
  /** How many entries are in each state. */
  outboxDepth(): Promise<Record<string, number>>;
}

/** The outbox row of a change for its source, keyed by the change's own key. */
function outboxRow({ source, change }: QueuedWriteBack, now: Date) {
  return {
    dedupe_key: change.key,
    source,
    source_id: change.id,
    payload: JSON.stringify(change),
    expected_version: change.expectedVersion,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  };
}

/** Queues changes for their sources, keyed by each change's own key (inside the caller's transaction). */
export async function queueWriteBacks(
  tx: Knex,
  changes: QueuedWriteBack[],
  now: Date,
) {
  if (changes.length === 0) return;
  await tx('incident_outbox').insert(changes.map(c => outboxRow(c, now)));
}

/** The knex-backed write-back outbox. */
export class DatabaseWriteBackStore
  extends OutboxTable
  implements WriteBackStore
{
  static async create(options: { database: DatabaseService }) {
    return new DatabaseWriteBackStore(await options.database.getClient());
  }

  private constructor(db: Knex) {
    super(db, TABLE);
  }

  /**
   * Queues changes whose keys were never queued (a key already in the outbox is left alone,
   * whatever its state) and returns the keys queued now: a write-back that must go out once
   * per incident, whoever asks for it.
   */
  async queueWriteBacksOnce(
    changes: QueuedWriteBack[],
    now: Date,
  ): Promise<Set<string>> {
    const queued = new Set<string>();
    for (let i = 0; i < changes.length; i += 100) {
      const written: Array<{ dedupe_key: string }> = await this.db(TABLE)
        .insert(changes.slice(i, i + 100).map(c => outboxRow(c, now)))
        .onConflict('dedupe_key')
        .ignore()
        .returning('dedupe_key');
      for (const w of written) queued.add(w.dedupe_key);
    }
    return queued;
  }

  /**
   * Claims up to `limit` due entries: pending ones whose time has come, and running ones
   * whose lease has run out (their worker died), in order per incident: an entry waits while
   * an earlier one for the same incident is pending, running or refused. A claim is a
   * conditional update, so two replicas never hold the same entry.
   */
  async claimDue(now: Date, limit: number, leaseMs: number) {
    const rows = await claimDue(this.db, TABLE, {
      now,
      limit,
      leaseMs,
      orderColumns: ['source', 'source_id'],
    });
    return rows.map(
      (c): OutboxEntry => ({
        id: Number(c.id),
        token: c.token,
        source: c.source,
        sourceId: c.source_id,
        attempts: c.attempts,
        change: JSON.parse(c.payload),
      }),
    );
  }

  markDone(claim: OutboxClaim, now: Date, writtenVersion?: number) {
    return this.endClaim(claim, {
      status: 'done',
      done_at: now,
      last_error: null,
      written_version: writtenVersion ?? null,
    });
  }

  /**
   * The version a change decided on `expected` can take as its base: our own earlier writes
   * to the incident moved the source from `expected` on (each from the version the one
   * before produced), and those are no conflict. Anyone else's change still is.
   */
  async ownWriteBase(
    source: string,
    sourceId: string,
    expected: number,
  ): Promise<number> {
    const writes = await this.db(TABLE)
      .where({ source, source_id: sourceId, status: 'done' })
      .whereNotNull('written_version')
      .select('expected_version', 'written_version');
    const producedFrom = new Map(
      writes.map(w => [Number(w.expected_version), Number(w.written_version)]),
    );
    let base = expected;
    while ((producedFrom.get(base) ?? base) > base) {
      base = producedFrom.get(base)!;
    }
    return base;
  }

  markConflict(claim: OutboxClaim, reason: string, now: Date) {
    return this.endClaim(claim, {
      status: 'conflict',
      done_at: now,
      last_error: reason,
    });
  }

  /** How many entries are in each state. */
  async outboxDepth(): Promise<Record<string, number>> {
    return this.countByStatus();
  }
}
