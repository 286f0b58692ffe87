import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  INCIDENT_STATUSES,
  type Incident,
  type IncidentStatus,
  type Priority,
  type Tier,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import { fromRow } from './DatabaseIncidentStore';
import { DueIncident, dueFromRow } from './DatabaseWorkflowStore';

/** What the Ops queue is filtered by; absent means any. */
export interface QueueFilter {
  priority?: Priority[];
  tier?: Tier[];
  /** Absent: open ones only. */
  status?: IncidentStatus[];
  ticketType?: string[];
  /** Only these incidents (an entity's scope), by number. */
  numbers?: string[];
}

/** An incident of the queue, as the API shows it and as the escalation engine sees it. */
export interface QueueRow {
  incident: Incident;
  due: DueIncident;
}

/** One write-back in the outbox, as the sync admin panel shows it. */
export interface OutboxItem {
  id: number;
  source: string;
  number?: string;
  key: string;
  status: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
  nextAttemptAt?: string;
  doneAt?: string;
}

const ALL_STATUSES = [...INCIDENT_STATUSES];

const toIso = (v: unknown) =>
  v === null || v === undefined
    ? undefined
    : new Date(v as string | number).toISOString();

/**
 * Reads for the Ops queue and the outbox panel. Shares the incident store's database and its
 * migrations. The queue's rows leave out the description: the queue never shows it.
 */
export class DatabaseQueueStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseQueueStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  private filtered(filter: QueueFilter) {
    const q = this.db('incidents').whereNull('removed_at');
    if (filter.status?.length) q.whereIn('status', filter.status);
    else q.where('is_open', true);
    if (filter.priority?.length) q.whereIn('priority', filter.priority);
    if (filter.tier?.length) q.whereIn('tier', filter.tier);
    if (filter.ticketType?.length) q.whereIn('ticket_type', filter.ticketType);
    if (filter.numbers) {
      // chunks keep each IN list under SQLite's bound-variable limit
      const numbers = filter.numbers;
      q.where(w => {
        if (numbers.length === 0) w.whereRaw('1 = 0');
        for (let i = 0; i < numbers.length; i += 500) {
          w.orWhereIn('number', numbers.slice(i, i + 500));
        }
      });
    }
    return q;
  }

  private static toRows(rows: Record<string, any>[]): QueueRow[] {
    return rows.map(r => ({
      incident: fromRow({ ...r, description: null }),
      due: dueFromRow(r),
    }));
  }

  /** Every incident that matches, for orders computed outside the database. */
  async listAll(filter: QueueFilter): Promise<QueueRow[]> {
    const rows = await this.filtered(filter)
      .orderBy('number')
      .select(this.columns());
    return DatabaseQueueStore.toRows(rows);
  }

  /** The incidents with these numbers, as the escalation engine sees them. */
  async listDue(numbers: string[]): Promise<DueIncident[]> {
    return (await this.filtered({ numbers, status: ALL_STATUSES })).map(
      dueFromRow,
    );
  }

  /** One page in an order the database can sort by, and how many match. */
  async listPage(
    filter: QueueFilter,
    options: { sort: 'priority' | 'opened'; limit: number; offset: number },
  ): Promise<{ rows: QueueRow[]; total: number }> {
    const order: Array<{ column: string; order: 'asc' | 'desc' }> =
      options.sort === 'opened'
        ? [
            { column: 'opened_at', order: 'desc' },
            { column: 'number', order: 'asc' },
          ]
        : [
            { column: 'priority', order: 'asc' },
            { column: 'opened_at', order: 'asc' },
            { column: 'number', order: 'asc' },
          ];
    const [rows, [{ n }]] = await Promise.all([
      this.filtered(filter)
        .orderBy(order)
        .limit(options.limit)
        .offset(options.offset)
        .select(this.columns()),
      this.filtered(filter).count({ n: '*' }),
    ]);
    return { rows: DatabaseQueueStore.toRows(rows), total: Number(n) };
  }

  /** Every column (the description is dropped in toRows). */
  private columns() {
    return 'incidents.*';
  }

  /**
   * Write-backs by state, newest first; with `failing`, those that have failed at least once
   * and are not done (retrying or in conflict).
   */
  async listOutbox(options: {
    status?: string;
    failing?: boolean;
    limit: number;
  }): Promise<OutboxItem[]> {
    const q = this.db('incident_outbox').orderBy('id', 'desc');
    if (options.status) q.where('status', options.status);
    if (options.failing) {
      q.whereNotNull('last_error').whereNot('status', 'done');
    }
    const rows = await q.limit(options.limit);
    return rows.map(r => {
      const change = JSON.parse(r.payload);
      return {
        id: Number(r.id),
        source: r.source,
        number: change.number,
        key: r.dedupe_key,
        status: r.status,
        attempts: Number(r.attempts),
        lastError: r.last_error ?? undefined,
        createdAt: toIso(r.created_at)!,
        nextAttemptAt:
          r.status === 'pending' ? toIso(r.next_attempt_at) : undefined,
        doneAt: toIso(r.done_at),
      };
    });
  }
}
