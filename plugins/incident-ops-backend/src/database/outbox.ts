import type { Knex } from 'knex';

// The write-back outbox (`incident_outbox`) and the notification outbox
// (`incident_notifications`) share these columns: id, status, attempts, next_attempt_at,
// claimed_at, last_error.

/**
 * Claims up to `limit` due rows of an outbox table: pending ones whose time has come, and
 * running ones whose claim is older than `leaseMs` (their worker died). Each claim is a conditional update on the
 * status and attempts the row was read with; every claim raises the attempts, so two
 * replicas never hold the same row. Returns the claimed rows as read, with the new attempts.
 */
export async function claimDue(
  db: Knex,
  table: string,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<Array<Record<string, any> & { attempts: number }>> {
  const stale = new Date(now.getTime() - leaseMs);
  const candidates = await db(table)
    .where(q =>
      q
        .where(q2 =>
          q2.where('status', 'pending').andWhere('next_attempt_at', '<=', now),
        )
        .orWhere(q2 =>
          q2.where('status', 'running').andWhere('claimed_at', '<', stale),
        ),
    )
    .orderBy('id')
    .limit(limit);
  const claimed = [];
  for (const c of candidates) {
    const attempts = Number(c.attempts) + 1;
    const n = await db(table)
      .where({ id: c.id, status: c.status, attempts: c.attempts })
      .update({ status: 'running', claimed_at: now, attempts });
    if (n === 1) claimed.push({ ...c, attempts });
  }
  return claimed;
}

/** Puts a claimed row back, to be tried again at `at`. */
export async function retryLater(
  db: Knex,
  table: string,
  id: number,
  error: string,
  at: Date,
) {
  await db(table)
    .where({ id })
    .update({ status: 'pending', next_attempt_at: at, last_error: error });
}

/** How many rows are in each state. */
export async function countByStatus(
  db: Knex,
  table: string,
): Promise<Record<string, number>> {
  const rows = await db(table)
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
