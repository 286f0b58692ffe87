import { randomUUID } from 'crypto';
import type { Knex } from 'knex';

// The write-back outbox (`incident_outbox`) and the notification outbox
// (`incident_notifications`) share these columns: id, status, attempts, next_attempt_at,
// claimed_at, claim_token, lease_until, last_error, done_at.
//
// An item's states:
//   pending ──claim──▶ running ──▶ done (or conflict, for write-backs)
//      ▲                  │ ├──▶ pending (retry later: backoff, or the source's retryAfter)
//      │                  │ └──▶ refused (the source will not take it, or out of attempts)
//      │                  └──lease expired──▶ claimed again by another worker
//      └──requeue (admin)── refused ──discard (admin)──▶ discarded
// Every change out of `running` is conditional on the claim's token, so a worker whose lease
// was taken over changes nothing.

/** Who holds a claimed row: its id and the token of the claim. */
export interface OutboxClaim {
  id: number;
  token: string;
}

/**
 * States that hold later items with the same order key back: an earlier item not yet
 * delivered, retrying, in flight, or refused. A refused one holds them too, until an admin
 * re-queues or discards it: sending a later change first (a reopen before the resolve it
 * follows) would leave the source in the wrong state, which is worse than waiting.
 */
const HOLDS_LATER = ['pending', 'running', 'refused'];

/**
 * Claims up to `limit` due rows of an outbox table: pending ones whose time has come, and
 * running ones whose lease has run out (their worker died), skipping any row with an earlier
 * row of the same order (`orderColumns`, all equal and not null) still held (see HOLDS_LATER).
 * Each claim is a conditional update on the status and attempts the row was read with and
 * raises the attempts, so two workers never hold the same row; the rows claimed share one new
 * random token and a lease until `now + leaseMs`. Returns the rows as read, with the new
 * attempts and the token.
 */
export async function claimDue(
  db: Knex,
  table: string,
  options: {
    now: Date;
    limit: number;
    leaseMs: number;
    orderColumns: string[];
  },
): Promise<Array<Record<string, any> & { attempts: number; token: string }>> {
  const { now, limit, leaseMs, orderColumns } = options;
  const candidates = await db(`${table} as t`)
    .select('t.*')
    .where(q =>
      q
        .where(q2 =>
          q2
            .where('t.status', 'pending')
            .andWhere('t.next_attempt_at', '<=', now),
        )
        .orWhere(q2 =>
          q2
            .where('t.status', 'running')
            .andWhere(q3 =>
              q3.whereNull('t.lease_until').orWhere('t.lease_until', '<', now),
            ),
        ),
    )
    .whereNotExists(earlier =>
      earlier
        .select(db.raw('1'))
        .from(`${table} as e`)
        .whereIn('e.status', HOLDS_LATER)
        .andWhereRaw('?? < ??', ['e.id', 't.id'])
        .andWhere(q => {
          for (const c of orderColumns)
            q.andWhereRaw('?? = ??', [`e.${c}`, `t.${c}`]);
        }),
    )
    .orderBy('t.id')
    .limit(limit);
  const token = randomUUID();
  const claimed = [];
  for (const c of candidates) {
    const attempts = Number(c.attempts) + 1;
    const n = await db(table)
      .where({ id: c.id, status: c.status, attempts: c.attempts })
      .update({
        status: 'running',
        claimed_at: now,
        claim_token: token,
        lease_until: new Date(now.getTime() + leaseMs),
        attempts,
      });
    if (n === 1) claimed.push({ ...c, attempts, token });
  }
  return claimed;
}

/**
 * Ends a claim with `update` (its new state), if the claim still holds the row; true when it
 * applied. A worker whose lease was taken over changes nothing.
 */
export async function endClaim(
  db: Knex,
  table: string,
  claim: OutboxClaim,
  update: Record<string, unknown>,
): Promise<boolean> {
  const n = await db(table)
    .where({ id: claim.id, claim_token: claim.token, status: 'running' })
    .update({ ...update, claim_token: null, lease_until: null });
  return n === 1;
}

/** What an admin does with a refused row. */
export type RefusedAction = 'requeue' | 'discard';

/** What settling a refused row found. */
export type SettleOutcome =
  | 'requeued'
  | 'discarded'
  | 'not-found'
  | 'not-refused';

/** What both outboxes' stores do with the rows they claimed, and with refused rows. */
export interface OutboxRows {
  /** Extends the lease of every row still held by the claim `token`; how many it held. */
  renewLease(token: string, until: Date): Promise<number>;
  /**
   * Hands back claimed rows not worked on (a run's time was up): pending again at once, and
   * the claim does not count as an attempt.
   */
  release(token: string, ids: number[]): Promise<void>;
  // The two below apply only while `claim` still holds the row, and say whether they did.
  /** Puts a claimed row back, to be tried again at `at`. */
  retryLater(claim: OutboxClaim, error: string, at: Date): Promise<boolean>;
  /** Gives a claimed row up: it stays, refused, with its reason, until an admin acts. */
  markRefused(claim: OutboxClaim, reason: string, now: Date): Promise<boolean>;
  /**
   * An admin's answer to a refused row: `requeue` makes it pending again now with its
   * attempts reset, `discard` gives it up for good (it stops holding later rows back).
   * Returns `not-found`, or `not-refused` when the row is in another state.
   */
  settleRefused(
    id: number,
    action: RefusedAction,
    now: Date,
  ): Promise<SettleOutcome>;
}

/** The rows of one outbox table; each outbox's store extends it. */
export class OutboxTable implements OutboxRows {
  constructor(protected readonly db: Knex, protected readonly table: string) {}

  /** Ends a claim with `update` (see endClaim). */
  protected endClaim(claim: OutboxClaim, update: Record<string, unknown>) {
    return endClaim(this.db, this.table, claim, update);
  }

  renewLease(token: string, until: Date): Promise<number> {
    return this.db(this.table)
      .where({ claim_token: token, status: 'running' })
      .update({ lease_until: until });
  }

  async release(token: string, ids: number[]) {
    if (ids.length === 0) return;
    await this.db(this.table)
      .whereIn('id', ids)
      .where({ claim_token: token, status: 'running' })
      .update({
        status: 'pending',
        attempts: this.db.raw('attempts - 1'),
        claim_token: null,
        lease_until: null,
      });
  }

  retryLater(claim: OutboxClaim, error: string, at: Date) {
    return this.endClaim(claim, {
      status: 'pending',
      next_attempt_at: at,
      last_error: error,
    });
  }

  markRefused(claim: OutboxClaim, reason: string, now: Date) {
    return this.endClaim(claim, {
      status: 'refused',
      done_at: now,
      last_error: reason,
    });
  }

  async settleRefused(
    id: number,
    action: RefusedAction,
    now: Date,
  ): Promise<SettleOutcome> {
    const n = await this.db(this.table)
      .where({ id, status: 'refused' })
      .update(
        action === 'requeue'
          ? {
              status: 'pending',
              attempts: 0,
              next_attempt_at: now,
              done_at: null,
            }
          : { status: 'discarded', done_at: now },
      );
    if (n === 1) return action === 'requeue' ? 'requeued' : 'discarded';
    const found = await this.db(this.table).where({ id }).first('id');
    return found ? 'not-refused' : 'not-found';
  }

  /** How many rows are in each state. */
  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db(this.table)
      .select('status')
      .count({ n: '*' })
      .groupBy('status');
    return Object.fromEntries(
      (rows as Array<{ status: string; n: number | string }>).map(r => [
        r.status,
        Number(r.n),
      ]),
    );
  }
}

/**
 * Works an outbox in one short slice of a scheduled task: claims batches and works their rows
 * one by one, while a timer renews the batch's lease (every third of `leaseMs`), so a row in
 * flight stays this worker's however long its call takes, and a worker that dies loses it one
 * lease later. Once `budgetMs` has passed (after at least one row), or when `work` says
 * `stop`, it claims nothing more and hands the batch's unworked rows back: the next run takes
 * them. Returns how many rows it worked.
 */
export async function workInSlices<T extends OutboxClaim>(options: {
  rows: Pick<OutboxRows, 'renewLease' | 'release'> & {
    claimDue(now: Date, limit: number, leaseMs: number): Promise<T[]>;
  };
  now: () => Date;
  leaseMs: number;
  batchSize: number;
  budgetMs: number;
  maxBatches: number;
  work: (row: T) => Promise<'stop' | void>;
}): Promise<number> {
  const { now, leaseMs } = options;
  const started = Date.now();
  let worked = 0;
  const timeIsUp = () => worked > 0 && Date.now() - started >= options.budgetMs;
  for (let batch = 0; batch < options.maxBatches && !timeIsUp(); batch++) {
    const rows = await options.rows.claimDue(now(), options.batchSize, leaseMs);
    if (rows.length === 0) break;
    const { token } = rows[0];
    const handBack = (from: number) =>
      options.rows.release(
        token,
        rows.slice(from).map(r => r.id),
      );
    // a failed renewal is not fatal: the lease may lapse and another worker take the row
    // over, and then this worker's updates are refused by the token
    const timer = setInterval(
      () =>
        options.rows
          .renewLease(token, new Date(now().getTime() + leaseMs))
          .catch(() => {}),
      Math.max(1000, leaseMs / 3),
    );
    timer.unref?.();
    try {
      for (let i = 0; i < rows.length; i++) {
        if (timeIsUp()) {
          await handBack(i);
          return worked;
        }
        worked++;
        if ((await options.work(rows[i])) === 'stop') {
          await handBack(i + 1);
          return worked;
        }
      }
    } finally {
      clearInterval(timer);
    }
  }
  return worked;
}

/** How failed rows are retried. */
export interface RetryOptions {
  /** Attempts before a row is refused. */
  maxAttempts?: number;
  /** The first retry's wait, doubled each attempt up to `backoffCapMs` (default 15 min). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** The longest a source's `retryAfter` is waited for. Default 1 h. */
  retryAfterCapMs?: number;
  /** Random in [0, 1) for the jitter (tests make it fixed). */
  random?: () => number;
}

/**
 * How long to wait before trying a failed row again: capped exponential backoff with jitter
 * (each wait between half and all of its step), and never before the `retryAfter: Date` the
 * error may carry (capped by `retryAfterCapMs`). `rateLimited` says the source asked for a
 * pause (an error named `…RateLimitError`): the caller leaves the rest of its batch.
 */
export function retryDelay(
  error: unknown,
  attempts: number,
  now: Date,
  options: RetryOptions & { backoffBaseMs: number },
): { delay: number; rateLimited: boolean } {
  const cap = options.backoffCapMs ?? 15 * 60_000;
  const random = options.random ?? Math.random;
  const backoff =
    Math.min(cap, options.backoffBaseMs * 2 ** (attempts - 1)) *
    (0.5 + random() / 2);
  const { name, retryAfter } = (error ?? {}) as {
    name?: string;
    retryAfter?: unknown;
  };
  const asked =
    retryAfter instanceof Date
      ? Math.min(
          retryAfter.getTime() - now.getTime(),
          options.retryAfterCapMs ?? 3_600_000,
        )
      : 0;
  return {
    delay: Math.max(backoff, asked),
    rateLimited: String(name).endsWith('RateLimitError'),
  };
}
