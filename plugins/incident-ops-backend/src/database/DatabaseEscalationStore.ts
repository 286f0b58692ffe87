import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  EscalationDecision,
  EscalationPolicy,
  EscalationSubject,
  StatusChange,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { queueWriteBacks } from './DatabaseWriteBackStore';
import {
  DUE_COLUMNS,
  DUE_COLUMNS_PG,
  type DueIncident,
  dueFromRow,
} from './escalationRows';
import { notificationsForDecision } from './notificationEvents';
import {
  type RecurringP2Flags,
  recurringP2Flags,
  similarP2s,
} from './recurringP2s';
import { anyOf, isPostgres, isoOf, timestampParam, toDate } from './rows';

export type { DueIncident } from './escalationRows';

/**
 * Incident events that are escalation triggers for the evaluator: `kb-exhausted` when every
 * KB suggestion shown was marked not helpful, `architectural-impact` when someone said so.
 */
const SIGNAL_OF: Record<string, 'kbExhausted' | 'architecturalImpact'> = {
  'kb-exhausted': 'kbExhausted',
  'architectural-impact': 'architecturalImpact',
};
const SIGNAL_EVENTS = Object.keys(SIGNAL_OF);
/**
 * Status changes: made in the suite (`transition`, and `escalation`, which moves the ticket
 * to `escalated` when it is recorded) or seen by sync (`status-change`).
 */
const HISTORY_EVENTS = ['transition', 'escalation', 'status-change'];

/** A decision to record, with the assignment group an escalation reassigns to. */
export interface DecisionToRecord {
  incident: DueIncident;
  decision: EscalationDecision;
  assignmentGroup?: string;
}

/**
 * Where an incident's SLA clock puts it in the queue's breaching-first order, as of its last
 * evaluation: while the clock runs, when it reaches its limit; while paused, its time used
 * minus the limit. Neither once it is stopped.
 */
export interface SlaOrder {
  breachAt?: Date;
  frozenOverMs?: number;
}

/** What setEscalationDueAt stores for one incident. */
export interface DueAtUpdate {
  incident: DueIncident;
  at: Date | undefined;
  policy?: { id: string; tierEnteredAt: Date };
  /**
   * Given by the engine, which has just read the clocks; absent, the stored order is
   * cleared (the incident is due, and the queue reads its clock itself).
   */
  sla?: SlaOrder;
}

/** What the escalation engine has already decided and seen, per incident of a page. */
export interface EscalationContext {
  fired(incident: DueIncident): string[];
  history(incident: DueIncident): StatusChange[];
  signals(incident: DueIncident): EscalationSubject['signals'];
}

/** A stored escalation decision. */
export type StoredDecision = Record<string, any>;

/**
 * The escalation engine's state: when each incident is due next, the decisions it recorded,
 * the policies by id, and what it reads of an incident.
 */
export interface EscalationStore {
  /** Open incidents whose escalation time has come, earliest first, after `after`. */
  listDueForEscalation(
    now: Date,
    limit: number,
    after?: { dueAt: Date; sourceId: string },
  ): Promise<Array<DueIncident & { dueAt: Date }>>;
  /** One incident, as the escalation engine sees it. */
  getDueIncident(number: string): Promise<DueIncident | undefined>;
  /** Decision keys already taken, status changes and signals, per incident. */
  escalationContext(incidents: DueIncident[]): Promise<EscalationContext>;
  /**
   * Records a decision at most once and, for an escalation, moves the incident to the new
   * tier and queues its write-back and notifications; whether this call recorded it.
   */
  recordDecision(options: DecisionToRecord & { now: Date }): Promise<boolean>;
  /** recordDecision for many at once, in one transaction. */
  recordDecisions(items: DecisionToRecord[], now: Date): Promise<boolean[]>;
  /**
   * Stores when each incident is due next and, when given, its tier stay's policy and its
   * SLA clock's place in the queue's breaching-first order.
   */
  setEscalationDueAt(items: DueAtUpdate[]): Promise<void>;
  /**
   * Keeps a policy by its id (content hash); storing the same one again is a no-op. Whether
   * it was new.
   */
  savePolicy(id: string, policy: EscalationPolicy, now: Date): Promise<boolean>;
  /** Marks every open incident due now (their clocks are read again on the next tick). */
  markOpenDue(now: Date): Promise<void>;
  loadPolicy(id: string): Promise<EscalationPolicy | undefined>;
  /** Other P2s on the same CI with the same ticket type opened within `window` ms before each. */
  similarP2s(
    incidents: DueIncident[],
    window: number,
  ): Promise<Map<string, Array<{ number: string; openedAt: string }>>>;
  /** Recurring P2s flagged between `from` and `to`, grouped by CMDB CI and ticket type. */
  listRecurringP2s(from: Date, to: Date): Promise<RecurringP2Flags[]>;
  /** An incident's decisions, oldest first. */
  listDecisions(number: string): Promise<StoredDecision[]>;
}

/** An incident's decisions as stored, oldest first. */
export function decisionsOf(
  db: Knex,
  number: string,
): Promise<StoredDecision[]> {
  return db('incident_escalations').where({ number }).orderBy('id');
}

/** The knex-backed escalation state. */
export class DatabaseEscalationStore implements EscalationStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseEscalationStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  /** Open incidents whose escalation time has come, earliest first (an index range scan). */
  async listDueForEscalation(
    now: Date,
    limit: number,
    /** Where the previous page of this tick ended (keyset: due time, then id). */
    after?: { dueAt: Date; sourceId: string },
  ): Promise<Array<DueIncident & { dueAt: Date }>> {
    // Closed and removed incidents have no due time. The page is one index range scan on
    // the narrow table, from where the last page ended (so the rows a tick has already
    // moved on are not walked again), limited first, then a primary-key lookup of each
    // incident: one round trip on both databases.
    const pg = isPostgres(this.db);
    const page = this.db('incident_escalation_state')
      .where('due_at', '<=', now)
      .modify(q => {
        if (after) {
          // a row comparison: both databases start the index range scan right there
          q.whereRaw(`(due_at, source_id) > (${timestampParam(this.db)}, ?)`, [
            after.dueAt,
            after.sourceId,
          ]);
        }
      })
      .orderBy([
        { column: 'due_at', order: 'asc' },
        { column: 'source_id', order: 'asc' },
      ])
      .limit(limit)
      .select(
        'source',
        'source_id',
        'due_at',
        'policy_id',
        'policy_tier_entered_at',
      )
      .as('d');
    const rows = await this.db
      .from(page)
      .join('incidents as i', function join() {
        this.on('i.source', 'd.source').andOn('i.source_id', 'd.source_id');
      })
      .orderBy([
        { column: 'd.due_at', order: 'asc' },
        { column: 'd.source_id', order: 'asc' },
      ])
      .select(pg ? DUE_COLUMNS_PG(this.db) : [...DUE_COLUMNS, 'd.due_at']);
    return rows.map((r: Record<string, any>) => ({
      ...dueFromRow(r),
      dueAt: toDate(r.due_at)!,
    }));
  }

  /** One incident, as the escalation engine sees it. */
  async getDueIncident(number: string): Promise<DueIncident | undefined> {
    const row = await this.db('incidents as i')
      .leftJoin('incident_escalation_state as d', function join() {
        this.on('i.source', 'd.source').andOn('i.source_id', 'd.source_id');
      })
      .where('i.number', number)
      .whereNull('i.removed_at')
      .first(DUE_COLUMNS);
    return row ? dueFromRow(row) : undefined;
  }

  /** Decision keys already taken, and status changes made in the suite, per incident. */
  async escalationContext(
    incidents: DueIncident[],
  ): Promise<EscalationContext> {
    const ids = incidents.map(i => i.sourceId);
    const fired = new Map<string, string[]>();
    const history = new Map<string, StatusChange[]>();
    const signals = new Map<string, EscalationSubject['signals']>();
    // the whole page in one parameter: an array on PostgreSQL, JSON on SQLite; with their
    // sources, so that PostgreSQL reads them by the (source, source_id) indexes
    const sources = [...new Set(incidents.map(i => i.source))];
    const idIn = (q: Knex.QueryBuilder) =>
      q
        .whereRaw(...anyOf(this.db, 'source_id', ids))
        .whereIn('source', sources);
    const [decisions, transitions] = await Promise.all([
      this.db('incident_escalations')
        .modify(idIn)
        .select('source', 'source_id', 'decision_key'),
      this.db('incident_events')
        .modify(idIn)
        .whereIn('type', [...HISTORY_EVENTS, ...SIGNAL_EVENTS])
        .orderBy('id')
        .select('source', 'source_id', 'type', 'to_status', 'created_at'),
    ]);
    for (const d of decisions) {
      const k = `${d.source}:${d.source_id}`;
      const list = fired.get(k);
      if (list) list.push(d.decision_key);
      else fired.set(k, [d.decision_key]);
    }
    for (const t of transitions) {
      const k = `${t.source}:${t.source_id}`;
      if (!HISTORY_EVENTS.includes(t.type)) {
        signals.set(k, { ...signals.get(k), [SIGNAL_OF[t.type]]: true });
        continue;
      }
      const change = {
        at: isoOf(t.created_at)!,
        status: t.to_status,
      };
      const list = history.get(k);
      if (list) list.push(change);
      else history.set(k, [change]);
    }
    return {
      fired: (i: DueIncident) => fired.get(`${i.source}:${i.sourceId}`) ?? [],
      history: (i: DueIncident) =>
        history.get(`${i.source}:${i.sourceId}`) ?? [],
      signals: (i: DueIncident) => signals.get(`${i.source}:${i.sourceId}`),
    };
  }

  /**
   * Records a decision at most once (the unique key makes a second replica's insert a
   * no-op) and, for an escalation, in the same transaction moves the incident to the new
   * tier as `escalated`, queues the write-back and the notifications. Returns whether this
   * call recorded it.
   */
  async recordDecision(
    options: DecisionToRecord & { now: Date },
  ): Promise<boolean> {
    const [recorded] = await this.recordDecisions([options], options.now);
    return recorded;
  }

  /** recordDecision for many at once, in one transaction (the engine's batches). */
  async recordDecisions(
    items: DecisionToRecord[],
    now: Date,
  ): Promise<boolean[]> {
    if (items.length === 0) return [];
    return this.db.transaction(async tx => {
      const recorded = new Set<string>();
      const keyOf = (source: string, sourceId: string, key: string) =>
        `${source}:${sourceId}:${key}`;
      for (let i = 0; i < items.length; i += 100) {
        const inserted: Array<Record<string, string>> = await tx(
          'incident_escalations',
        )
          .insert(
            items.slice(i, i + 100).map(({ incident, decision }) => ({
              source: incident.source,
              source_id: incident.sourceId,
              number: incident.number,
              decision_key: decision.key,
              action: decision.action,
              rule: decision.rule,
              from_tier: decision.from ?? null,
              to_tier: decision.to ?? null,
              // as the incident was when decided (the reports count by these)
              priority: incident.priority,
              ticket_type: incident.ticketType ?? null,
              explanation: decision.explanation,
              clocks: JSON.stringify(decision.clocks),
              created_at: now,
            })),
          )
          .onConflict(['source', 'source_id', 'decision_key'])
          .ignore()
          .returning(['source', 'source_id', 'decision_key']);
        for (const r of inserted) {
          recorded.add(keyOf(r.source, r.source_id, r.decision_key));
        }
      }
      const mine = items.filter(({ incident, decision }) =>
        recorded.has(keyOf(incident.source, incident.sourceId, decision.key)),
      );
      await DatabaseNotificationStore.enqueue(
        tx,
        mine.flatMap(({ incident, decision }) =>
          notificationsForDecision({ incident, decision, now }),
        ),
      );

      const escalations = mine.filter(m => m.decision.action === 'escalate');
      // the new tier and status: one update per source and tier reached
      const byTier = new Map<string, typeof escalations>();
      for (const e of escalations) {
        const k = `${e.incident.source}\u0000${e.decision.to}`;
        byTier.set(k, [...(byTier.get(k) ?? []), e]);
      }
      for (const list of byTier.values()) {
        const { incident, decision } = list[0];
        for (let i = 0; i < list.length; i += 500) {
          await tx('incidents')
            .where('source', incident.source)
            .whereIn(
              'source_id',
              list.slice(i, i + 500).map(e => e.incident.sourceId),
            )
            .update({
              tier: decision.to,
              tier_entered_at: now,
              status: 'escalated',
            });
        }
      }
      // the write-backs: the new tier's assignment group and the explanation as a work note
      for (let i = 0; i < escalations.length; i += 100) {
        await queueWriteBacks(
          tx,
          escalations
            .slice(i, i + 100)
            .map(({ incident, decision, assignmentGroup }) => ({
              source: incident.source,
              change: {
                key: `escalation:${incident.source}:${incident.sourceId}:${decision.key}`,
                id: incident.sourceId,
                number: incident.number,
                expectedVersion: incident.sourceVersion,
                status: 'escalated',
                assignmentGroup,
                workNote: `Incident Ops escalated ${incident.number} from ${decision.from} to ${decision.to} (rule ${decision.rule}): ${decision.explanation}`,
              },
            })),
          now,
        );
      }
      for (let i = 0; i < escalations.length; i += 100) {
        await tx('incident_events').insert(
          escalations.slice(i, i + 100).map(({ incident, decision }) => ({
            source: incident.source,
            source_id: incident.sourceId,
            number: incident.number,
            type: 'escalation',
            from_status: incident.status,
            to_status: 'escalated',
            actor: 'incident-ops',
            note: decision.explanation,
            details: JSON.stringify({
              rule: decision.rule,
              from: decision.from,
              to: decision.to,
              clocks: decision.clocks,
              key: decision.key,
            }),
            created_at: now,
          })),
        );
      }
      return items.map(({ incident, decision }) =>
        recorded.has(keyOf(incident.source, incident.sourceId, decision.key)),
      );
    });
  }

  /**
   * Stores when each incident is due next and, when given, the policy its tier stay runs on,
   * in the narrow escalation-state table (each database's fastest bulk form, measured).
   */
  async setEscalationDueAt(items: DueAtUpdate[]) {
    const pg = isPostgres(this.db);
    // one statement per source and policy (a page has one or two), the policy id a single
    // parameter rather than a 64-character hash on every row
    const groups = new Map<string, typeof items>();
    for (const item of items) {
      const k = `${item.incident.source}\u0000${item.policy?.id ?? ''}`;
      const list = groups.get(k);
      if (list) list.push(item);
      else groups.set(k, [item]);
    }
    const table = 'incident_escalation_state';
    for (const list of groups.values()) {
      const source = list[0].incident.source;
      const policyId = list[0].policy?.id ?? null;
      for (let i = 0; i < list.length; i += 5000) {
        const chunk = list.slice(i, i + 5000);
        if (!pg) {
          // SQLite: the rows exist (sync made them); an UPDATE joined to the list sent as
          // one JSON parameter (a statement with thousands of parameters costs more to build
          // and prepare than to run), materialized so each row is a primary-key lookup.
          // Times are epoch milliseconds, as knex writes dates here.
          await this.db.raw(
            `WITH v(id, due, policy_at, breach, frozen) AS MATERIALIZED (
               SELECT value->>0, value->>1, value->>2, value->>3, value->>4
               FROM json_each(?))
             UPDATE ${table} SET due_at = v.due,
               policy_id = COALESCE(?, ${table}.policy_id),
               policy_tier_entered_at = COALESCE(v.policy_at, ${table}.policy_tier_entered_at),
               sla_breach_at = v.breach, sla_frozen_over_ms = v.frozen
             FROM v WHERE ${table}.source = ? AND ${table}.source_id = v.id`,
            [
              JSON.stringify(
                chunk.map(({ incident, at, policy, sla }) => [
                  incident.sourceId,
                  at?.getTime() ?? null,
                  policy?.tierEnteredAt.getTime() ?? null,
                  sla?.breachAt?.getTime() ?? null,
                  sla?.frozenOverMs ?? null,
                ]),
              ),
              policyId,
              source,
            ],
          );
          continue;
        }
        // PostgreSQL: an UPDATE from arrays (measured faster than an upsert), times as epoch
        // milliseconds (arrays with nulls: pg sends them as SQL arrays; knex's types only
        // know string[]). The arrays go through sub-selects so the planner does not size
        // the list from them: told it has 5,000 rows, it hashes the whole table for every
        // chunk (115 ms a chunk at 100,000 incidents) instead of 5,000 primary-key lookups.
        await this.db.raw(
          `UPDATE ${table} AS s SET due_at = to_timestamp(v.due / 1000.0),
               policy_id = COALESCE(?, s.policy_id),
               policy_tier_entered_at = COALESCE(to_timestamp(v.policy_at / 1000.0),
                 s.policy_tier_entered_at),
               sla_breach_at = to_timestamp(v.breach / 1000.0), sla_frozen_over_ms = v.frozen
             FROM unnest((SELECT ?::text[]), (SELECT ?::float8[]), (SELECT ?::float8[]),
               (SELECT ?::float8[]), (SELECT ?::bigint[]))
               AS v(id, due, policy_at, breach, frozen)
             WHERE s.source = ? AND s.source_id = v.id`,
          [
            policyId,
            chunk.map(c => c.incident.sourceId),
            chunk.map(c => c.at?.getTime() ?? null) as any,
            chunk.map(c => c.policy?.tierEnteredAt.getTime() ?? null) as any,
            chunk.map(c => c.sla?.breachAt?.getTime() ?? null) as any,
            chunk.map(c => c.sla?.frozenOverMs ?? null) as any,
            source,
          ],
        );
      }
    }
  }

  /** Keeps a policy by its id (content hash); storing the same one again is a no-op. */
  async savePolicy(id: string, policy: EscalationPolicy, now: Date) {
    const inserted = await this.db('escalation_policies')
      .insert({ id, policy: JSON.stringify(policy), first_seen_at: now })
      .onConflict('id')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  async markOpenDue(now: Date) {
    await this.db('incident_escalation_state')
      .whereIn(['source', 'source_id'], q =>
        q
          .from('incidents')
          .where('is_open', true)
          .select('source', 'source_id'),
      )
      .where(w => w.whereNull('due_at').orWhere('due_at', '>', now))
      .update({ due_at: now });
  }

  async loadPolicy(id: string): Promise<EscalationPolicy | undefined> {
    const row = await this.db('escalation_policies').where({ id }).first();
    return row ? JSON.parse(row.policy) : undefined;
  }

  similarP2s(incidents: DueIncident[], window: number) {
    return similarP2s(this.db, incidents, window);
  }

  listRecurringP2s(from: Date, to: Date) {
    return recurringP2Flags(this.db, { start: from, end: to });
  }

  listDecisions(number: string) {
    return decisionsOf(this.db, number);
  }
}
