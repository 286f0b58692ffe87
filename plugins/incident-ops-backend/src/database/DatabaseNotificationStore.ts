import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  IncidentStatus,
  NotificationEvent,
  Priority,
  Tier,
} from '@acme/plugin-incident-ops-common';
import type {
  NotificationMessage,
  NotificationRecipient,
} from '@acme/plugin-incident-ops-node';
import { createHash } from 'crypto';
import type { Knex } from 'knex';
import {
  OutboxClaim,
  OutboxRows,
  OutboxTable,
  claimDue,
  endClaim,
} from './outbox';
import { isoOf } from './rows';

/** What an event row says happened; the router turns it into people and messages. */
export interface NotificationEventPayload {
  priority?: Priority;
  fromTier?: Tier;
  toTier?: Tier;
  rule?: string;
  explanation?: string;
  fromStatus?: IncidentStatus;
  toStatus?: IncidentStatus;
  actor?: string;
  note?: string;
  /** Hourly update number, or post-mortem reminder number. */
  slot?: number;
  dueAt?: string;
  /** A stakeholder update's text and link. */
  message?: string;
  link?: string;
  vendor?: {
    vendor: string;
    caseId: string;
    respondBy: string;
  };
  /** What sync changed on a P1 (`incident-change`), each from its old value to its new one. */
  changes?: Array<{
    field: 'priority' | 'assignee' | 'assignment-group';
    from?: string;
    to?: string;
  }>;
  /**
   * For a daily summary: the requestor (ServiceNow sys_id, display name, and email when the
   * source gives one) and their open tickets.
   */
  requestor?: { id?: string; name: string; email?: string };
  incidents?: Array<{
    number: string;
    priority: Priority;
    status: IncidentStatus;
    shortDescription: string;
    url?: string;
  }>;
}

/** An event to enqueue: routed to people by the notification rules. */
export interface NotificationEventRow {
  /** Unique; enqueuing the same key again does nothing. */
  key: string;
  event: NotificationEvent;
  incident?: { source: string; sourceId: string; number: string };
  payload: NotificationEventPayload;
  now: Date;
}

/** A delivery the router planned: one channel, its addresses, the message. */
export interface PlannedDelivery {
  key: string;
  channel: string;
  to: string[];
  recipients: NotificationRecipient[];
  message: NotificationMessage;
}

const TABLE = 'incident_notifications';

/** A claimed outbox row; `token` is its claim's. */
export type ClaimedNotification =
  | {
      kind: 'event';
      id: number;
      token: string;
      key: string;
      event: NotificationEvent;
      attempts: number;
      incident?: { source: string; sourceId: string; number: string };
      payload: NotificationEventPayload;
    }
  | {
      kind: 'delivery';
      id: number;
      token: string;
      key: string;
      event: NotificationEvent;
      attempts: number;
      channel: string;
      to: string[];
      recipients: NotificationRecipient[];
      message: NotificationMessage;
    };

/** An outbox row, for people (the incident's communications, the admin panel). */
export interface NotificationRecord {
  id: number;
  key: string;
  kind: 'event' | 'delivery';
  event: NotificationEvent;
  channel?: string;
  number?: string;
  to?: string[];
  recipients?: NotificationRecipient[];
  title?: string;
  status: 'pending' | 'running' | 'done' | 'refused' | 'discarded';
  attempts: number;
  lastError?: string;
  outcome?: string;
  createdAt: string;
  doneAt?: string;
}

/** Keys longer than the column keep a readable head and a hash of the whole. */
export function dedupeKey(key: string): string {
  if (key.length <= 255) return key;
  const hash = createHash('sha256').update(key).digest('hex');
  return `${key.slice(0, 255 - 66)}~${hash}`;
}

/**
 * The key that orders rows about one incident: its events are routed in order, and its
 * deliveries sent in order per channel and addresses (a refused one holds back only later
 * ones to the same people). Rows about no incident are not ordered.
 */
export function orderKey(
  row:
    | { kind: 'event'; number?: string }
    | { kind: 'delivery'; number?: string; channel: string; to: string[] },
): string | null {
  if (!row.number) return null;
  if (row.kind === 'event') return `event|${row.number}`;
  const addresses = createHash('sha256')
    .update([...row.to].sort().join(','))
    .digest('hex')
    .slice(0, 16);
  return `delivery|${row.number}|${row.channel}|${addresses}`;
}

/** A pending delivery row of the outbox, as `claimDue` reads it back. */
export function deliveryRow(
  d: {
    key: string;
    channel: string;
    to: string[];
    recipients: unknown[];
    message: object;
  },
  event: string,
  now: Date,
) {
  return {
    dedupe_key: dedupeKey(d.key),
    kind: 'delivery',
    event,
    channel: d.channel,
    recipients: JSON.stringify({ to: d.to, recipients: d.recipients }),
    payload: JSON.stringify(d.message),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  };
}

/** What `completeEvent` is given. */
export interface CompleteEventOptions extends OutboxClaim {
  key: string;
  event: NotificationEvent;
}

/** What `list` is given. */
export interface ListNotificationsOptions {
  limit: number;
  status?: NotificationRecord['status'];
}

/** The notification outbox (`incident_notifications`): events, their planned deliveries and the records of what was sent. */
export interface NotificationStore extends OutboxRows {
  enqueue(rows: NotificationEventRow[]): Promise<number>;
  /**
   * Claims up to `limit` rows: pending ones whose time has come, and running ones whose lease
   * has run out (their worker died), in order (see orderKey): a row waits while an earlier one
   * with its key is pending, running or refused. Each claim is a conditional update, so two
   * replicas never hold the same row.
   */
  claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
  ): Promise<ClaimedNotification[]>;
  // Like retryLater and markRefused, these apply only while the claim still holds the row,
  // and say whether they did: a worker whose lease was taken over changes nothing.
  /**
   * Completes a routed event: in one transaction, queues its deliveries (a delivery already
   * queued by an earlier attempt is left alone) and marks the event done.
   */
  completeEvent(
    event: CompleteEventOptions,
    incident:
      | {
          source: string;
          sourceId: string;
          number: string;
        }
      | undefined,
    deliveries: PlannedDelivery[],
    outcome: string,
    now: Date,
  ): Promise<boolean>;
  markDone(claim: OutboxClaim, outcome: string, now: Date): Promise<boolean>;
  /** Everything queued about an incident, oldest first. */
  listForIncident(number: string): Promise<NotificationRecord[]>;
  /** All rows (or those in `status`), newest first (tests, admin). */
  list(options: ListNotificationsOptions): Promise<NotificationRecord[]>;
  /** How many rows are in each state. */
  depth(): Promise<Record<string, number>>;
}

/**
 * The notification outbox. Events are enqueued inside the transaction of the change they
 * report (so a change and its notifications commit together); the dispatcher routes each
 * event to deliveries, one per channel (and per address for channels that send one at a
 * time), and delivers those. Every row is claimed by a conditional update, so one worker
 * holds it; the dedupe key makes every enqueue idempotent.
 */
export class DatabaseNotificationStore
  extends OutboxTable
  implements NotificationStore
{
  static async create(options: { database: DatabaseService }) {
    return new DatabaseNotificationStore(await options.database.getClient());
  }

  constructor(db: Knex) {
    super(db, TABLE);
  }

  /**
   * Enqueues events with `db` (a knex instance or an open transaction); rows whose key is
   * already there are left alone. Returns how many were new.
   */
  static async enqueue(
    db: Knex | Knex.Transaction,
    rows: NotificationEventRow[],
  ): Promise<number> {
    // Most repeats (a cadence tick seeing the same due hour again) stop at one read; a
    // concurrent insert of the same key is ignored by the unique index.
    const known = new Set<string>();
    const keys = rows.map(r => dedupeKey(r.key));
    for (let i = 0; i < keys.length; i += 500) {
      const found = await db(TABLE)
        .whereIn('dedupe_key', keys.slice(i, i + 500))
        .pluck('dedupe_key');
      found.forEach(k => known.add(k));
    }
    const fresh = rows.filter(r => !known.has(dedupeKey(r.key)));
    let added = 0;
    for (let i = 0; i < fresh.length; i += 100) {
      const inserted = await db(TABLE)
        .insert(
          fresh.slice(i, i + 100).map(row => ({
            dedupe_key: dedupeKey(row.key),
            kind: 'event',
            event: row.event,
            source: row.incident?.source ?? null,
            source_id: row.incident?.sourceId ?? null,
            number: row.incident?.number ?? null,
            order_key: orderKey({
              kind: 'event',
              number: row.incident?.number,
            }),
            payload: JSON.stringify(row.payload),
            status: 'pending',
            attempts: 0,
            next_attempt_at: row.now,
            created_at: row.now,
          })),
        )
        .onConflict('dedupe_key')
        .ignore()
        .returning('id');
      added += inserted.length;
    }
    return added;
  }

  async enqueue(rows: NotificationEventRow[]) {
    return DatabaseNotificationStore.enqueue(this.db, rows);
  }

  /**
   * Claims up to `limit` rows: pending ones whose time has come, and running ones whose lease
   * has run out (their worker died), in order (see orderKey). Each claim is a conditional
   * update, so two replicas never hold the same row.
   */
  async claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
  ): Promise<ClaimedNotification[]> {
    const rows = await claimDue(this.db, TABLE, {
      now,
      limit,
      leaseMs,
      orderColumns: ['order_key'],
    });
    const claimed: ClaimedNotification[] = [];
    for (const c of rows) {
      const base = {
        id: Number(c.id),
        token: c.token,
        key: c.dedupe_key as string,
        event: c.event as NotificationEvent,
        attempts: c.attempts,
      };
      if (c.kind === 'event') {
        claimed.push({
          ...base,
          kind: 'event',
          incident: c.number
            ? { source: c.source, sourceId: c.source_id, number: c.number }
            : undefined,
          payload: JSON.parse(c.payload),
        });
      } else {
        const { to, recipients } = JSON.parse(c.recipients) as {
          to: string[];
          recipients?: NotificationRecipient[];
        };
        claimed.push({
          ...base,
          kind: 'delivery',
          channel: c.channel,
          to,
          recipients: recipients ?? [],
          message: JSON.parse(c.payload),
        });
      }
    }
    return claimed;
  }

  /**
   * Completes a routed event: in one transaction, marks the event done (if the claim still
   * holds it) and queues its deliveries (a delivery already queued by an earlier attempt is
   * left alone).
   */
  async completeEvent(
    event: CompleteEventOptions,
    incident: { source: string; sourceId: string; number: string } | undefined,
    deliveries: PlannedDelivery[],
    outcome: string,
    now: Date,
  ) {
    return this.db.transaction(async tx => {
      const held = await endClaim(tx, TABLE, event, {
        status: 'done',
        done_at: now,
        outcome,
        last_error: null,
      });
      if (!held) return false;
      for (const d of deliveries) {
        const number = incident?.number ?? d.message.incidentNumber;
        await tx(TABLE)
          .insert({
            ...deliveryRow(d, event.event, now),
            parent_id: event.id,
            source: incident?.source ?? null,
            source_id: incident?.sourceId ?? null,
            number: number ?? null,
            order_key: orderKey({ kind: 'delivery', number, ...d }),
          })
          .onConflict('dedupe_key')
          .ignore();
      }
      return true;
    });
  }

  markDone(claim: OutboxClaim, outcome: string, now: Date) {
    return this.endClaim(claim, {
      status: 'done',
      done_at: now,
      outcome,
      last_error: null,
    });
  }

  /** Everything queued about an incident, oldest first. */
  async listForIncident(number: string): Promise<NotificationRecord[]> {
    const rows = await this.db(TABLE).where({ number }).orderBy('id');
    return rows.map(recordFromRow);
  }

  /** All rows (or those in `status`), newest first (tests, admin). */
  async list(options: ListNotificationsOptions): Promise<NotificationRecord[]> {
    const q = this.db(TABLE).orderBy('id', 'desc').limit(options.limit);
    if (options.status) q.where('status', options.status);
    const rows = await q;
    return rows.map(recordFromRow);
  }

  /** How many rows are in each state. */
  async depth(): Promise<Record<string, number>> {
    return this.countByStatus();
  }
}

function recordFromRow(r: Record<string, any>): NotificationRecord {
  const recipients = r.recipients ? JSON.parse(r.recipients) : undefined;
  const payload = JSON.parse(r.payload);
  return {
    id: Number(r.id),
    key: r.dedupe_key,
    kind: r.kind,
    event: r.event,
    ...(r.channel ? { channel: r.channel } : {}),
    ...(r.number ? { number: r.number } : {}),
    ...(recipients
      ? { to: recipients.to, recipients: recipients.recipients }
      : {}),
    ...(r.kind === 'delivery' ? { title: payload.title } : {}),
    status: r.status,
    attempts: Number(r.attempts),
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.outcome ? { outcome: r.outcome } : {}),
    createdAt: isoOf(r.created_at)!,
    ...(r.done_at ? { doneAt: isoOf(r.done_at)! } : {}),
  };
}
