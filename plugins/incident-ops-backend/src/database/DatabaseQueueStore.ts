import { applyRestriction, IncidentRestriction } from './restriction';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  INCIDENT_STATUSES,
  isOpenStatus,
  type Incident,
  type IncidentStatus,
  type Priority,
  type Tier,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import { incidentFromRow, ref } from './incidentRows';
import { DUE_COLUMNS, type DueIncident, dueFromRow } from './escalationRows';
import { anyOf, groupBySource, isoOf, toDate } from './rows';

/** What the Ops queue is filtered by; absent means any. */
export interface QueueFilter {
  priority?: Priority[];
  /** L1 takes in open tickets at triage (no tier group). */
  tier?: Tier[];
  /** Absent: open ones only. */
  status?: IncidentStatus[];
  ticketType?: string[];
  /** Only these incidents (an entity's scope), by number. */
  numbers?: string[];
  /** Only what the reader may see (see restriction.ts). */
  restrict?: IncidentRestriction;
}

/** An incident of the queue, as the API shows it and as the escalation engine sees it. */
export interface QueueRow {
  incident: Incident;
  due: DueIncident;
}

/**
 * An incident with the SLA order the escalation engine stored with its state (see
 * SlaOrder): while the clock runs, when it reaches its limit; while paused, its time used
 * minus the limit.
 */
export type OrderedDue = DueIncident & {
  slaBreachAt?: Date;
  slaFrozenOverMs?: number;
};

/**
 * Candidates for one page of the breaching-first order: `stale` are the incidents whose
 * stored clock may be out of date (the engine has not evaluated them since they changed:
 * their due time has come), each of the others' order streams at most `n` long and in that
 * stream's order.
 */
export interface BreachCandidates {
  stale: DueIncident[];
  streams: OrderedDue[][];
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

/**
 * An assignment group that maps to no tier, with how many open tickets it holds (those are
 * at L1 for triage); without `group`, the open tickets with no assignment group at all.
 */
export interface UnmappedGroup {
  source: string;
  group?: { id: string; name?: string };
  open: number;
  /** When the oldest of them was opened. */
  oldestOpenedAt: string;
}

/** What `listOutbox` is given. */
export interface ListOutboxOptions {
  status?: string;
  failing?: boolean;
  limit: number;
}

/** The Ops queue's reads: incidents with their escalation state, and the write-back outbox's entries. */
export interface QueueStore {
  /** Every incident that matches, as the escalation engine sees it (a narrow read). */
  listAllDue(filter: QueueFilter): Promise<DueIncident[]>;
  /** How many incidents match (from one index for the open ones). */
  count(filter: QueueFilter): Promise<number>;
  /**
   * What a page of the breaching-first order is chosen from, read in the order of the
   * clocks the escalation engine stored (see BreachCandidates).
   */
  listBreachCandidates(
    filter: QueueFilter,
    now: Date,
    n: number,
  ): Promise<BreachCandidates>;
  /** The whole rows of these incidents, in the order given. */
  rows(dues: DueIncident[]): Promise<QueueRow[]>;
  /** The incidents with these numbers, as the escalation engine sees them. */
  listDue(numbers: string[]): Promise<DueIncident[]>;
  /** One page in an order the database can sort by, and how many match. */
  listPage(
    filter: QueueFilter,
    options: {
      sort: 'priority' | 'opened';
      limit: number;
      offset: number;
    },
  ): Promise<{
    rows: QueueRow[];
    total: number;
  }>;
  /**
   * Write-backs by state, newest first; with `failing`, those that have failed at least once
   * and are not done (retrying or in conflict).
   */
  listOutbox(options: ListOutboxOptions): Promise<OutboxItem[]>;
  /**
   * Open tickets with no tier, by source and assignment group (none, or one mapped to no
   * tier when synced), most tickets first.
   */
  listUnmappedGroups(): Promise<UnmappedGroup[]>;
}

/**
 * Reads for the Ops queue and the outbox panel. Shares the incident store's database and its
 * migrations. The queue's rows leave out the description: the queue never shows it.
 */
export class DatabaseQueueStore implements QueueStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseQueueStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Incidents (`i`), filtered, with their escalation state (`d`) unless `withState` is
   * false. With `dueBy`, only those due for the escalation engine by then: their ids read
   * from the due-time index alone (which both databases then prefer over a scan).
   */
  private filtered(
    filter: QueueFilter,
    withState: boolean | { dueBy: Date } = true,
  ) {
    const q = this.db('incidents as i').whereNull('i.removed_at');
    if (typeof withState === 'object') {
      q.join('incident_escalation_state as d', function join() {
        this.on('i.source', 'd.source').andOn('i.source_id', 'd.source_id');
      })
        .whereIn(
          'i.source_id',
          this.db('incident_escalation_state')
            .where('due_at', '<=', withState.dueBy)
            .select('source_id'),
        )
        .where('d.due_at', '<=', withState.dueBy);
    }
    if (withState === true) {
      q.leftJoin('incident_escalation_state as d', function join() {
        this.on('i.source', 'd.source').andOn('i.source_id', 'd.source_id');
      });
    }
    if (filter.status?.length) q.whereIn('i.status', filter.status);
    else q.where('i.is_open', true);
    if (filter.priority?.length) q.whereIn('i.priority', filter.priority);
    if (filter.tier?.length) {
      const tiers = filter.tier;
      q.where(w => {
        w.whereIn('i.tier', tiers);
        // at L1 for triage
        if (tiers.includes('L1')) {
          w.orWhere(t => t.whereNull('i.tier').andWhere('i.is_open', true));
        }
      });
    }
    if (filter.ticketType?.length) {
      q.whereIn('i.ticket_type', filter.ticketType);
    }
    if (filter.numbers) {
      // chunks keep each IN list under SQLite's bound-variable limit
      const numbers = filter.numbers;
      q.where(w => {
        if (numbers.length === 0) w.whereRaw('1 = 0');
        for (let i = 0; i < numbers.length; i += 500) {
          w.orWhereIn('i.number', numbers.slice(i, i + 500));
        }
      });
    }
    applyRestriction(q, filter.restrict, 'i');
    return q;
  }

  /** Whole rows (the description left out) with the escalation state a DueIncident needs. */
  private static readonly FULL = [
    'i.*',
    ...DUE_COLUMNS.filter(c => c.startsWith('d.')),
  ];

  private static toRow(r: Record<string, any>): QueueRow {
    return {
      incident: incidentFromRow({ ...r, description: null }),
      due: dueFromRow(r),
    };
  }

  /** Every incident that matches, as the escalation engine sees it (a narrow read). */
  async listAllDue(filter: QueueFilter): Promise<DueIncident[]> {
    const rows = await this.filtered(filter).select(DUE_COLUMNS);
    return rows.map(dueFromRow);
  }

  /**
   * What a page of the breaching-first order is chosen from: the incidents due for the
   * escalation engine (their stored clock may be out of date), then, of the others, the
   * first `n` of each order the stored clocks give, each read along its index: running
   * clocks by the instant they reach their limit, paused ones by time used minus the limit
   * (descending), and those without a clock (stopped, or not evaluated) by priority and age.
   */
  async listBreachCandidates(
    filter: QueueFilter,
    now: Date,
    n: number,
  ): Promise<BreachCandidates> {
    const columns = [...DUE_COLUMNS, 'd.sla_breach_at', 'd.sla_frozen_over_ms'];
    const fresh = (q: Knex.QueryBuilder) =>
      q.where(w => w.whereNull('d.due_at').orWhere('d.due_at', '>', now));
    // (a ticket closed since has no clock: sync clears it, this makes sure)
    const ordered = (r: Record<string, any>): OrderedDue =>
      isOpenStatus(r.status)
        ? {
            ...dueFromRow(r),
            slaBreachAt: toDate(r.sla_breach_at),
            slaFrozenOverMs:
              r.sla_frozen_over_ms === null
                ? undefined
                : Number(r.sla_frozen_over_ms),
          }
        : dueFromRow(r);
    if (filter.numbers) {
      // an entity's scope (at most a thousand): read at once, split here
      const rows = await this.filtered(filter).select([...columns, 'd.due_at']);
      const isStale = (r: Record<string, any>) =>
        r.due_at !== null && toDate(r.due_at)! <= now;
      return {
        stale: rows.filter(isStale).map(dueFromRow),
        streams: [rows.filter(r => !isStale(r)).map(ordered)],
      };
    }
    // Each open incident the engine has evaluated since it last changed has a running or
    // a paused clock stored; the others are due. The two orders are walked along the
    // state's indexes, each stretch's incidents then read with the filter.
    const closed = filter.status?.some(s => s === 'resolved' || s === 'closed');
    const [stale, ...streams] = await Promise.all([
      this.filtered(filter, { dueBy: now }).select(DUE_COLUMNS),
      this.walkOrder(filter, now, n, 'sla_breach_at', 'asc', columns),
      this.walkOrder(filter, now, n, 'sla_frozen_over_ms', 'desc', columns),
      closed
        ? fresh(this.filtered(filter))
            .where('i.is_open', false)
            .orderBy(['i.priority', 'i.opened_at', 'i.number'])
            .limit(n)
            .select(columns)
        : [],
    ]);
    return {
      stale: stale.map(dueFromRow),
      streams: streams.map(rows => rows.map(ordered)),
    };
  }

  /**
   * The first `n` incidents that match, of those not due whose stored SLA order `column`
   * holds, in its order: the state's index walked in stretches that double, each
   * stretch's incidents read by key with the filter (an order the planner cannot misjudge,
   * however selective the filter), then the rest of the last one's ties (the queue breaks
   * them by priority and age).
   */
  private async walkOrder(
    filter: QueueFilter,
    now: Date,
    n: number,
    column: 'sla_breach_at' | 'sla_frozen_over_ms',
    order: 'asc' | 'desc',
    columns: string[],
  ): Promise<Record<string, any>[]> {
    const keysFrom = () =>
      this.db('incident_escalation_state')
        .whereNotNull(column)
        .where(w => w.whereNull('due_at').orWhere('due_at', '>', now));
    // open only (the filter has it unless it names statuses): no clock counts once the
    // ticket is closed
    const incidents = () =>
      this.filtered(filter).modify(q => {
        if (filter.status?.length) q.where('i.is_open', true);
      });
    const matching = async (
      keys: Array<{ source: string; source_id: string }>,
    ) => {
      const found: Record<string, any>[] = [];
      for (const [source, ids] of groupBySource(keys)) {
        found.push(
          ...(await incidents()
            .where('i.source', source)
            .whereRaw(...anyOf(this.db, 'i.source_id', ids))
            .select(columns)),
        );
      }
      const at = new Map(keys.map((k, i) => [`${k.source}:${k.source_id}`, i]));
      return found.sort(
        (a, b) =>
          at.get(`${a.source}:${a.source_id}`)! -
          at.get(`${b.source}:${b.source_id}`)!,
      );
    };
    const out: Record<string, any>[] = [];
    const value = (v: unknown) => (v instanceof Date ? v.getTime() : Number(v));
    let walkedTo: unknown;
    for (let offset = 0, k = Math.max(200, 4 * n); out.length < n; k *= 2) {
      const keys = await keysFrom()
        .orderBy([{ column, order }, 'source', 'source_id'])
        .offset(offset)
        .limit(k)
        .select('source', 'source_id', column);
      out.push(...(await matching(keys)));
      if (keys.length < k) return out;
      walkedTo = keys[keys.length - 1][column];
      offset += k;
    }
    // the n-th one's ties beyond the walk (when it ended among them): the first n of them
    // as the queue breaks ties (by priority, then age)
    if (value(walkedTo) !== value(out[n - 1][column])) return out;
    const ties = await incidents()
      .where(`d.${column}`, out[n - 1][column])
      .where(w => w.whereNull('d.due_at').orWhere('d.due_at', '>', now))
      .orderBy(['i.priority', 'i.opened_at', 'i.number'])
      .limit(n)
      .select(columns);
    const seen = new Set(out.map(r => `${r.source}:${r.source_id}`));
    return [
      ...out,
      ...ties.filter(
        (r: Record<string, any>) => !seen.has(`${r.source}:${r.source_id}`),
      ),
    ];
  }

  /** The whole rows of these incidents, in the order given. */
  async rows(dues: DueIncident[]): Promise<QueueRow[]> {
    if (dues.length === 0) return [];
    const found: Record<string, any>[] = [];
    const bySource = new Map<string, string[]>();
    for (const d of dues) {
      bySource.set(d.source, [...(bySource.get(d.source) ?? []), d.sourceId]);
    }
    for (const [source, ids] of bySource) {
      for (let i = 0; i < ids.length; i += 500) {
        found.push(
          ...(await this.db('incidents as i')
            .leftJoin('incident_escalation_state as d', function join() {
              this.on('i.source', 'd.source').andOn(
                'i.source_id',
                'd.source_id',
              );
            })
            .where('i.source', source)
            .whereIn('i.source_id', ids.slice(i, i + 500))
            .select(DatabaseQueueStore.FULL)),
        );
      }
    }
    const byKey = new Map(
      found.map(r => [
        `${r.source}:${r.source_id}`,
        DatabaseQueueStore.toRow(r),
      ]),
    );
    return dues.flatMap(d => byKey.get(`${d.source}:${d.sourceId}`) ?? []);
  }

  /** The incidents with these numbers, as the escalation engine sees them. */
  async listDue(numbers: string[]): Promise<DueIncident[]> {
    return this.listAllDue({ numbers, status: ALL_STATUSES });
  }

  /** One page in an order the database can sort by, and how many match. */
  async listPage(
    filter: QueueFilter,
    options: { sort: 'priority' | 'opened'; limit: number; offset: number },
  ): Promise<{ rows: QueueRow[]; total: number }> {
    const order: Array<{ column: string; order: 'asc' | 'desc' }> =
      options.sort === 'opened'
        ? [
            { column: 'i.opened_at', order: 'desc' },
            { column: 'i.number', order: 'asc' },
          ]
        : [
            { column: 'i.priority', order: 'asc' },
            { column: 'i.opened_at', order: 'asc' },
            { column: 'i.number', order: 'asc' },
          ];
    const [rows, total] = await Promise.all([
      this.filtered(filter)
        .orderBy(order)
        .limit(options.limit)
        .offset(options.offset)
        .select(DatabaseQueueStore.FULL),
      this.count(filter),
    ]);
    return { rows: rows.map(r => DatabaseQueueStore.toRow(r)), total };
  }

  /**
   * How many incidents match. It needs no escalation state: for the open ones, one read of
   * incidents_open_filter_idx, no join.
   */
  async count(filter: QueueFilter): Promise<number> {
    const [{ n }] = await this.filtered(filter, false).count({ n: '*' });
    return Number(n);
  }

  /**
   * Open tickets with no tier, by source and assignment group (none, or one mapped to no
   * tier when synced), most tickets first.
   */
  async listUnmappedGroups(): Promise<UnmappedGroup[]> {
    const rows = await this.db('incidents')
      .whereNull('removed_at')
      .whereNull('tier')
      .where('is_open', true)
      .groupBy('source', 'assignment_group_id', 'assignment_group_name')
      .select(
        'source',
        'assignment_group_id',
        'assignment_group_name',
        this.db.raw('count(*) as open'),
        this.db.raw('min(opened_at) as oldest'),
      )
      .orderBy([
        { column: 'open', order: 'desc' },
        { column: 'assignment_group_name', order: 'asc' },
      ]);
    return rows.map((r: Record<string, any>) => ({
      source: r.source,
      group: ref(r.assignment_group_id, r.assignment_group_name),
      open: Number(r.open),
      oldestOpenedAt: isoOf(r.oldest)!,
    }));
  }

  /**
   * Write-backs by state, newest first; with `failing`, those that have failed at least once
   * and are not done (retrying or in conflict).
   */
  async listOutbox(options: ListOutboxOptions): Promise<OutboxItem[]> {
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
        createdAt: isoOf(r.created_at)!,
        nextAttemptAt:
          r.status === 'pending' ? isoOf(r.next_attempt_at) : undefined,
        doneAt: isoOf(r.done_at),
      };
    });
  }
}
