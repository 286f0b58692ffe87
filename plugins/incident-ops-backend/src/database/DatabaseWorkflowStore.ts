import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  EscalationDecision,
  EscalationPolicy,
  EscalationSubject,
  IncidentStatus,
  Priority,
  StatusChange,
  Tier,
  allowedTransitions,
  canTransition,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import type { IncidentWriteBack } from '@acme/plugin-incident-ops-node';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import { claimDue, countByStatus, retryLater } from './outbox';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import {
  notificationsForDecision,
  notificationsForTransition,
} from './notificationEvents';

/** Something that happened to an incident in the suite. */
export interface IncidentEvent {
  id: number;
  number: string;
  type: string;
  from?: string;
  to?: string;
  actor?: string;
  note?: string;
  details?: Record<string, unknown>;
  createdAt: string;
}

/**
 * Incident events that are escalation triggers for the evaluator: `kb-exhausted` when every
 * KB suggestion shown was marked not helpful, `architectural-impact` when someone said so.
 */
const SIGNAL_OF: Record<string, 'kbExhausted' | 'architecturalImpact'> = {
  'kb-exhausted': 'kbExhausted',
  'architectural-impact': 'architecturalImpact',
};
const SIGNAL_EVENTS = Object.keys(SIGNAL_OF);
/** Status changes: made in the suite (`transition`) or seen by sync (`status-change`). */
const HISTORY_EVENTS = ['transition', 'status-change'];

/** The columns a DueIncident is read from (incidents `i`, escalation state `d`). */
export const DUE_COLUMNS = [
  'i.source',
  'i.source_id',
  'i.number',
  'i.priority',
  'i.status',
  'i.tier',
  'i.tier_entered_at',
  'i.opened_at',
  'i.source_updated_at',
  'i.source_version',
  'i.assigned_to_id',
  'i.responded_at',
  'i.ci_name',
  'i.ticket_type',
  'd.policy_id',
  'd.policy_tier_entered_at',
];

/**
 * DUE_COLUMNS and the due time on PostgreSQL, its times as epoch milliseconds: turning
 * timestamptz text into Dates was the largest cost of reading a page of 5,000.
 */
const DUE_COLUMNS_PG = (db: Knex) =>
  [...DUE_COLUMNS, 'd.due_at'].map(c =>
    /_at$/.test(c)
      ? db.raw(`(extract(epoch from ??) * 1000)::float8 as ??`, [c, c.slice(2)])
      : c,
  );

/** What the escalation engine reads of a due incident. */
export interface DueIncident {
  source: string;
  sourceId: string;
  number: string;
  priority: Priority;
  status: IncidentStatus;
  tier?: Tier;
  tierEnteredAt?: string;
  openedAt: string;
  sourceUpdatedAt: string;
  sourceVersion: number;
  assigned: boolean;
  respondedAt?: string;
  /** The escalation policy its tier stay runs on, and the stay it was taken for. */
  policyId?: string;
  policyTierEnteredAt?: string;
  ciName?: string;
  ticketType?: string;
}

/** An outbox row claimed for delivery. */
export interface OutboxEntry {
  id: number;
  source: string;
  sourceId: string;
  attempts: number;
  change: IncidentWriteBack;
}

const toDate = (v: unknown) =>
  v === null || v === undefined ? undefined : new Date(v as string | number);

/** A stored time (epoch milliseconds, a Date or a string) in ISO 8601. */
const toIso = (v: unknown): string | undefined => toDate(v)?.toISOString();

/** A due incident from its stored row. */
export function dueFromRow(r: Record<string, any>): DueIncident {
  return {
    source: r.source,
    sourceId: r.source_id,
    number: r.number,
    priority: r.priority,
    status: r.status,
    tier: r.tier ?? undefined,
    tierEnteredAt: toIso(r.tier_entered_at),
    openedAt: toIso(r.opened_at)!,
    sourceUpdatedAt: toIso(r.source_updated_at)!,
    sourceVersion: Number(r.source_version),
    assigned: Boolean(r.assigned_to_id),
    respondedAt: toIso(r.responded_at),
    policyId: r.policy_id ?? undefined,
    policyTierEnteredAt: toIso(r.policy_tier_entered_at),
    ciName: r.ci_name ?? undefined,
    ticketType: r.ticket_type ?? undefined,
  };
}

/** The outbox row of a change for its source, keyed by the change's own key. */
function outboxRow(
  { source, change }: { source: string; change: IncidentWriteBack },
  now: Date,
) {
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
async function queueWriteBacks(
  tx: Knex,
  changes: Array<{ source: string; change: IncidentWriteBack }>,
  now: Date,
) {
  if (changes.length === 0) return;
  await tx('incident_outbox').insert(changes.map(c => outboxRow(c, now)));
}

/** A sentence for the timeline. */
function summarize(e: IncidentEvent): string {
  if (e.type === 'transition') {
    return `${e.actor} moved it from ${e.from} to ${e.to}${
      e.note ? `: ${e.note}` : ''
    }`;
  }
  if (e.type === 'status-change') {
    return `In ${e.actor}: ${e.from ? `from ${e.from} ` : ''}to ${e.to}`;
  }
  if (e.type === 'write-back') {
    return `Written to the source (${e.details?.outcome ?? 'written'})`;
  }
  return e.note ?? e.type;
}

function eventFromRow(r: Record<string, any>): IncidentEvent {
  return {
    id: Number(r.id),
    number: r.number,
    type: r.type,
    from: r.from_status ?? undefined,
    to: r.to_status ?? undefined,
    actor: r.actor ?? undefined,
    note: r.note ?? undefined,
    details: r.details ? JSON.parse(r.details) : undefined,
    createdAt: toDate(r.created_at)!.toISOString(),
  };
}

/**
 * Workflow changes made in the suite, their history, and the outbox that carries them to the
 * sources. Shares the incident store's database (its migrations).
 */
export class DatabaseWorkflowStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseWorkflowStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Moves an incident to `to` if the workflow allows it, and in the same transaction records
   * the event and queues the write-back. Throws NotFoundError, ConflictError (naming the
   * allowed statuses) or InputError, changing nothing.
   */
  async transition(options: {
    number: string;
    to: IncidentStatus;
    note?: string;
    closeCode?: string;
    actor: string;
    now: Date;
  }): Promise<{ event: IncidentEvent; writeBackKey: string }> {
    const { number, to, note, actor, now } = options;
    return this.db.transaction(async tx => {
      const query = tx('incidents').where({ number }).whereNull('removed_at');
      if (tx.client.config.client === 'pg') query.forUpdate();
      const row = await query.first();
      if (!row) throw new NotFoundError(`No incident ${number}`);
      const from = row.status as IncidentStatus;
      if (!canTransition(from, to)) {
        const allowed = allowedTransitions(from);
        throw new ConflictError(
          `${number} cannot go from ${from} to ${to}; allowed from ${from}: ${
            allowed.length ? allowed.join(', ') : 'none (it is final)'
          }`,
        );
      }
      if (to === 'resolved' && !note?.trim()) {
        throw new InputError(
          'Resolving needs a resolution note (the note field): it becomes the ServiceNow close notes',
        );
      }
      await tx('incident_escalation_state')
        .insert({
          source: row.source,
          source_id: row.source_id,
          due_at: isOpenStatus(to) ? now : null,
        })
        .onConflict(['source', 'source_id'])
        .merge(['due_at']);
      await tx('incidents')
        .where({ source: row.source, source_id: row.source_id })
        .update({
          status: to,
          is_open: isOpenStatus(to),
          ...(to === 'resolved' ? { resolved_at: now } : {}),
          ...(to === 'closed' ? { closed_at: now } : {}),
          ...(to !== 'unassigned' && !row.responded_at
            ? { responded_at: now }
            : {}),
        });
      const [inserted] = await tx('incident_events')
        .insert({
          source: row.source,
          source_id: row.source_id,
          number,
          type: 'transition',
          from_status: from,
          to_status: to,
          actor,
          note: note ?? null,
          created_at: now,
        })
        .returning('id');
      const eventId = Number(
        typeof inserted === 'object' ? inserted.id : inserted,
      );
      const key = `transition:${row.source}:${row.source_id}:${eventId}`;
      const change: IncidentWriteBack = {
        key,
        id: row.source_id,
        number,
        expectedVersion: Number(row.source_version),
        status: to,
        resolution:
          to === 'resolved'
            ? { code: options.closeCode ?? 'Solution provided', notes: note! }
            : undefined,
        workNote: `Incident Ops: ${actor} moved ${number} from ${from} to ${to}${
          note ? `: ${note}` : ''
        }`,
      };
      await queueWriteBacks(tx, [{ source: row.source, change }], now);
      await DatabaseNotificationStore.enqueue(
        tx,
        notificationsForTransition({
          incident: { ...row, sourceId: row.source_id },
          key,
          from,
          to,
          actor,
          note,
          now,
        }),
      );
      const event = await tx('incident_events').where({ id: eventId }).first();
      return { event: eventFromRow(event), writeBackKey: key };
    });
  }

  async listEvents(number: string): Promise<IncidentEvent[]> {
    const rows = await this.db('incident_events')
      .where({ number })
      .orderBy('id');
    return rows.map(eventFromRow);
  }

  async recordEvent(event: {
    source: string;
    sourceId: string;
    number: string;
    type: string;
    note?: string;
    details?: Record<string, unknown>;
    now: Date;
  }) {
    await this.db('incident_events').insert({
      source: event.source,
      source_id: event.sourceId,
      number: event.number,
      type: event.type,
      actor: 'incident-ops',
      note: event.note ?? null,
      details: event.details ? JSON.stringify(event.details) : null,
      created_at: event.now,
    });
  }

  /**
   * Queues changes whose keys were never queued (a key already in the outbox is left alone,
   * whatever its state) and returns the keys queued now: a write-back that must go out once
   * per incident, whoever asks for it.
   */
  async queueWriteBacksOnce(
    changes: Array<{ source: string; change: IncidentWriteBack }>,
    now: Date,
  ): Promise<Set<string>> {
    const queued = new Set<string>();
    for (let i = 0; i < changes.length; i += 100) {
      const written: Array<{ dedupe_key: string }> = await this.db(
        'incident_outbox',
      )
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
   * whose claim is older than `leaseMs` (their worker died). A claim is a conditional update,
   * so two replicas never hold the same entry.
   */
  async claimDue(now: Date, limit: number, leaseMs: number) {
    const rows = await claimDue(
      this.db,
      'incident_outbox',
      now,
      limit,
      leaseMs,
    );
    return rows.map(
      (c): OutboxEntry => ({
        id: Number(c.id),
        source: c.source,
        sourceId: c.source_id,
        attempts: c.attempts,
        change: JSON.parse(c.payload),
      }),
    );
  }

  async markDone(id: number, now: Date, writtenVersion?: number) {
    await this.db('incident_outbox')
      .where({ id })
      .update({
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
    const writes = await this.db('incident_outbox')
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

  async markConflict(id: number, reason: string, now: Date) {
    await this.db('incident_outbox')
      .where({ id })
      .update({ status: 'conflict', done_at: now, last_error: reason });
  }

  async retryLater(id: number, error: string, at: Date) {
    await retryLater(this.db, 'incident_outbox', id, error, at);
  }

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
    const pg = this.db.client.config.client === 'pg';
    const page = this.db('incident_escalation_state')
      .where('due_at', '<=', now)
      .modify(q => {
        if (after) {
          // a row comparison: both databases start the index range scan right there
          q.whereRaw(
            `(due_at, source_id) > (${pg ? '?::timestamptz' : '?'}, ?)`,
            [after.dueAt, after.sourceId],
          );
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

  /** What the suite did to an incident and decided about it, oldest first. */
  async timeline(number: string) {
    const [events, decisions] = await Promise.all([
      this.listEvents(number),
      this.listDecisions(number),
    ]);
    return [
      ...events.map(e => ({
        at: e.createdAt,
        type: e.type,
        from: e.from,
        to: e.to,
        actor: e.actor,
        summary: summarize(e),
        details: e.details,
      })),
      ...decisions
        .filter(d => d.action !== 'escalate')
        .map(d => ({
          at: toDate(d.created_at)!.toISOString(),
          type: d.action as string,
          summary: d.explanation as string,
          details: { rule: d.rule, clocks: JSON.parse(d.clocks) },
        })),
    ].sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Decision keys already taken, and status changes made in the suite, per incident. */
  async escalationContext(incidents: DueIncident[]) {
    const ids = incidents.map(i => i.sourceId);
    const fired = new Map<string, string[]>();
    const history = new Map<string, StatusChange[]>();
    const signals = new Map<string, EscalationSubject['signals']>();
    // the whole page in one parameter: an array on PostgreSQL, JSON on SQLite
    const pg = this.db.client.config.client === 'pg';
    const idIn = (q: Knex.QueryBuilder) =>
      pg
        ? q.whereRaw('source_id = ANY(?::text[])', [ids])
        : q.whereRaw('source_id IN (SELECT value FROM json_each(?))', [
            JSON.stringify(ids),
          ]);
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
        at: toDate(t.created_at)!.toISOString(),
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
  async recordDecision(options: {
    incident: DueIncident;
    decision: EscalationDecision;
    assignmentGroup?: string;
    now: Date;
  }): Promise<boolean> {
    const [recorded] = await this.recordDecisions([options], options.now);
    return recorded;
  }

  /** recordDecision for many at once, in one transaction (the engine's batches). */
  async recordDecisions(
    items: Array<{
      incident: DueIncident;
      decision: EscalationDecision;
      assignmentGroup?: string;
    }>,
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
  async setEscalationDueAt(
    items: Array<{
      incident: DueIncident;
      at: Date | undefined;
      policy?: { id: string; tierEnteredAt: Date };
    }>,
  ) {
    const pg = this.db.client.config.client === 'pg';
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
            `WITH v(id, due, policy_at) AS MATERIALIZED (
               SELECT value->>0, value->>1, value->>2 FROM json_each(?))
             UPDATE ${table} SET due_at = v.due,
               policy_id = COALESCE(?, ${table}.policy_id),
               policy_tier_entered_at = COALESCE(v.policy_at, ${table}.policy_tier_entered_at)
             FROM v WHERE ${table}.source = ? AND ${table}.source_id = v.id`,
            [
              JSON.stringify(
                chunk.map(({ incident, at, policy }) => [
                  incident.sourceId,
                  at?.getTime() ?? null,
                  policy?.tierEnteredAt.getTime() ?? null,
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
                 s.policy_tier_entered_at)
             FROM unnest((SELECT ?::text[]), (SELECT ?::float8[]), (SELECT ?::float8[]))
               AS v(id, due, policy_at)
             WHERE s.source = ? AND s.source_id = v.id`,
          [
            policyId,
            chunk.map(c => c.incident.sourceId),
            chunk.map(c => c.at?.getTime() ?? null) as any,
            chunk.map(c => c.policy?.tierEnteredAt.getTime() ?? null) as any,
            source,
          ],
        );
      }
    }
  }

  /** Keeps a policy by its id (content hash); storing the same one again is a no-op. */
  async savePolicy(id: string, policy: EscalationPolicy, now: Date) {
    await this.db('escalation_policies')
      .insert({ id, policy: JSON.stringify(policy), first_seen_at: now })
      .onConflict('id')
      .ignore();
  }

  async loadPolicy(id: string): Promise<EscalationPolicy | undefined> {
    const row = await this.db('escalation_policies').where({ id }).first();
    return row ? JSON.parse(row.policy) : undefined;
  }

  /**
   * Other P2s on the same CMDB CI with the same ticket type, opened within `window` ms before
   * each given P2 (one query per chunk, on the priority/CI/opened index).
   */
  async similarP2s(
    incidents: DueIncident[],
    window: number,
  ): Promise<Map<string, Array<{ number: string; openedAt: string }>>> {
    const out = new Map<string, Array<{ number: string; openedAt: string }>>();
    const p2s = incidents.filter(
      i => i.priority === 'P2' && i.ciName && i.ticketType,
    );
    for (let i = 0; i < p2s.length; i += 500) {
      const chunk = p2s.slice(i, i + 500);
      const opened = chunk.map(c => Date.parse(c.openedAt));
      const rows = await this.db('incidents')
        .where('priority', 'P2')
        .whereIn('ci_name', [...new Set(chunk.map(c => c.ciName!))])
        .where('opened_at', '>=', new Date(Math.min(...opened) - window))
        .where('opened_at', '<=', new Date(Math.max(...opened)))
        .whereNull('removed_at')
        .select(
          'source',
          'source_id',
          'number',
          'ci_name',
          'ticket_type',
          'opened_at',
        );
      for (const c of chunk) {
        const t = Date.parse(c.openedAt);
        const similar = rows
          .filter(r => {
            const at = toDate(r.opened_at)!.getTime();
            return (
              r.ci_name === c.ciName &&
              r.ticket_type === c.ticketType &&
              !(r.source === c.source && r.source_id === c.sourceId) &&
              at >= t - window &&
              at <= t
            );
          })
          .map(r => ({
            number: r.number as string,
            openedAt: toDate(r.opened_at)!.toISOString(),
          }))
          .sort((a, b) => a.openedAt.localeCompare(b.openedAt));
        out.set(`${c.source}:${c.sourceId}`, similar);
      }
    }
    return out;
  }

  /** Recurring P2s flagged between `from` and `to`, grouped by CMDB CI and ticket type. */
  async listRecurringP2s(from: Date, to: Date) {
    const rows = await this.db('incident_escalations as e')
      .join('incidents as i', function join() {
        this.on('i.source', 'e.source').andOn('i.source_id', 'e.source_id');
      })
      .where('e.rule', 'recurring-p2')
      .where('e.created_at', '>=', from)
      .where('e.created_at', '<', to)
      .orderBy('e.created_at')
      .select(
        'i.ci_name',
        'i.ticket_type',
        'e.number',
        'e.explanation',
        'e.created_at',
      );
    const groups = new Map<
      string,
      {
        configurationItem: string;
        ticketType: string;
        flagged: Array<{
          number: string;
          flaggedAt: string;
          explanation: string;
        }>;
      }
    >();
    for (const r of rows) {
      const k = `${r.ci_name}\u0000${r.ticket_type}`;
      const g = groups.get(k) ?? {
        configurationItem: r.ci_name as string,
        ticketType: r.ticket_type as string,
        flagged: [] as Array<{
          number: string;
          flaggedAt: string;
          explanation: string;
        }>,
      };
      g.flagged.push({
        number: r.number,
        flaggedAt: toDate(r.created_at)!.toISOString(),
        explanation: r.explanation,
      });
      groups.set(k, g);
    }
    return [...groups.values()];
  }

  async listDecisions(number: string) {
    return this.db('incident_escalations').where({ number }).orderBy('id');
  }

  /** How many entries are in each state. */
  async outboxDepth(): Promise<Record<string, number>> {
    return countByStatus(this.db, 'incident_outbox');
  }
}
