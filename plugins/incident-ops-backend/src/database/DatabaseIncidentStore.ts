import { applyRestriction, IncidentRestriction } from './restriction';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  Incident,
  IncidentStatus,
  KnowledgeArticle,
  Priority,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import type {
  QuarantinedRecord,
  ReconcileResult,
} from '@acme/plugin-incident-ops-node';
import { IncidentStore, StoredQuarantinedRecord } from './IncidentStore';
import {
  notificationsForIncidentChange,
  notificationsForTransition,
} from './notificationEvents';
import {
  DatabaseNotificationStore,
  type NotificationEventRow,
} from './DatabaseNotificationStore';
import {
  knowledgeArticleFromRow,
  knowledgeArticleToRow,
} from './knowledgeRows';
import {
  incidentFromRow,
  incidentToRow,
  mergeColumns,
  newerOnly,
  ref,
} from './incidentRows';
import { opt, toDate } from './rows';
import { INCIDENT_COLUMNS, KNOWLEDGE_ARTICLE_COLUMNS } from './columnLimits';
import { Rejected, fitRows, writeInChunks } from './chunkedWrite';
import { providerStateFromRow, takeLease } from './providerStateRows';
import { indexMentions, listByCiAndMentions } from './incidentMentions';

/** Rows per insert statement: well under SQLite's bound-variable limit. */
const CHUNK = 200;

type Row = Record<string, any>;

/** The knex-backed store, on SQLite or PostgreSQL. */
export class DatabaseIncidentStore implements IncidentStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseIncidentStore> {
    return new DatabaseIncidentStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  async upsertIncidents(incidents: Incident[]) {
    const fitted = fitRows(
      'incident',
      incidents,
      incidentToRow,
      INCIDENT_COLUMNS,
    );
    // the write, its history and its notification events commit together
    const { written, rejected } = await writeInChunks(
      'incident',
      fitted.rows,
      CHUNK,
      rows => this.db.transaction(tx => this.upsertChunk(tx, rows)),
    );
    const quarantined = await this.quarantineRejected([
      ...fitted.rejected,
      ...rejected,
    ]);
    return {
      stored: written.length,
      unchanged: incidents.length - written.length - quarantined,
      ...(quarantined ? { quarantined } : {}),
      // a row the upsert inserted had no status before it
      inserted: written
        .filter(w => w.previous_status === null)
        .map(w => w.source_id),
    };
  }

  /** Quarantines records kept out of the store; how many. */
  private async quarantineRejected(rejected: Rejected[]) {
    const bySource = new Map<string, QuarantinedRecord[]>();
    for (const { source, ...record } of rejected) {
      bySource.set(source, [...(bySource.get(source) ?? []), record]);
    }
    for (const [source, records] of bySource) {
      await this.quarantine(source, records, new Date());
    }
    return rejected.length;
  }

  private async upsertChunk(tx: Knex.Transaction, rows: Row[]) {
    // (the upsert returns each row's status before it, for the history, and for a P1 its
    // assignment before it: see mergeColumns)
    const written: Array<{
      source: string;
      source_id: string;
      status: string;
      previous_status: string | null;
      previous_assignment: string | null;
    }> = await tx('incidents')
      .insert(rows)
      .onConflict(['source', 'source_id'])
      .merge(mergeColumns(this.db, rows[0]))
      .where(newerOnly(this.db, 'incidents'))
      .returning([
        'source',
        'source_id',
        'status',
        'previous_status',
        'previous_assignment',
      ]);
    const p1Before = new Map<string, Row>();
    for (const w of written) {
      if (w.previous_assignment) {
        p1Before.set(`${w.source}:${w.source_id}`, {
          source: w.source,
          source_id: w.source_id,
          ...JSON.parse(w.previous_assignment),
        });
      }
    }
    const before = new Map<string, string>();
    for (const w of written) {
      if (w.previous_status) {
        before.set(`${w.source}:${w.source_id}`, w.previous_status);
      }
    }
    await this.recordStatusChanges(tx, rows, written, before);
    await this.recordP1Changes(tx, rows, written, p1Before);
    await indexMentions(tx, rows, written);
    // a change is a reason to look at its escalations again; nothing closed is ever due
    const byKey = new Map(rows.map(r => [`${r.source}:${r.source_id}`, r]));
    await this.setDue(
      tx,
      written.map(w => {
        const row = byKey.get(`${w.source}:${w.source_id}`)!;
        return { ...w, due: row.is_open ? row.synced_at : null };
      }),
    );
    // A record that maps again is out of quarantine (keyed by sys_id, or by number
    // when it came without one).
    const bySource = new Map<string, string[]>();
    for (const r of rows) {
      bySource.set(r.source, [
        ...(bySource.get(r.source) ?? []),
        r.source_id,
        r.number,
      ]);
    }
    for (const [source, keys] of bySource) {
      await tx('incident_quarantine')
        .where({ source })
        .whereIn('record_key', keys)
        .delete();
    }
    return written;
  }

  /**
   * P1: an update to stakeholders on every change. A new priority, assignee or assignment
   * group brought by sync (for a ticket that was or is now P1) is an `incident-change` event,
   * keyed by the version that showed it. The assignment group the suite's own escalation
   * wrote back, coming back, is not news: the escalation was told when it was decided.
   */
  private async recordP1Changes(
    tx: Knex.Transaction,
    rows: Row[],
    written: Array<{ source: string; source_id: string }>,
    p1Before: Map<string, Row>,
  ) {
    const byKey = new Map(rows.map(r => [`${r.source}:${r.source_id}`, r]));
    const fields = (r: Row) => ({
      priority: r.priority as Priority,
      assignedTo: ref(r.assigned_to_id, r.assigned_to_name),
      assignmentGroup: ref(r.assignment_group_id, r.assignment_group_name),
    });
    const now = new Date();
    const events: NotificationEventRow[] = [];
    for (const w of written) {
      const key = `${w.source}:${w.source_id}`;
      const old = p1Before.get(key);
      if (!old) continue;
      const row = byKey.get(key)!;
      const before = fields(old);
      const after = fields(row);
      if (
        old.assignment_group_id !== row.assignment_group_id &&
        row.tier &&
        old.tier === row.tier &&
        (await this.escalatedSince(tx, old, row.tier))
      ) {
        after.assignmentGroup = before.assignmentGroup;
      }
      events.push(
        ...notificationsForIncidentChange({
          incident: {
            source: row.source,
            sourceId: row.source_id,
            number: row.number,
            priority: row.priority,
          },
          version: row.source_version,
          before,
          after,
          actor: row.source,
          now,
        }),
      );
    }
    await DatabaseNotificationStore.enqueue(tx, events);
  }

  /**
   * Whether the suite escalated the stored ticket into `tier` since it was last synced (the
   * escalation moved the tier at once and wrote the new group back to the source).
   */
  private async escalatedSince(
    tx: Knex.Transaction,
    stored: Row,
    tier: string,
  ) {
    const since = toDate(stored.synced_at)?.getTime() ?? 0;
    const decided: unknown[] = await tx('incident_escalations')
      .where({
        source: stored.source,
        source_id: stored.source_id,
        action: 'escalate',
        to_tier: tier,
      })
      .pluck('created_at');
    return decided.some(d => (toDate(d)?.getTime() ?? 0) >= since);
  }

  /**
   * Sets when the escalation engine looks at these incidents next, and clears their stored
   * SLA order: changed, they are due (the queue reads their clocks itself until the engine
   * has), or closed.
   */
  private async setDue(
    db: Knex,
    items: Array<{ source: string; source_id: string; due: Date | null }>,
  ) {
    for (let i = 0; i < items.length; i += CHUNK) {
      await db('incident_escalation_state')
        .insert(
          items.slice(i, i + CHUNK).map(d => ({
            source: d.source,
            source_id: d.source_id,
            due_at: d.due,
            sla_breach_at: null,
            sla_frozen_over_ms: null,
          })),
        )
        .onConflict(['source', 'source_id'])
        .merge(['due_at', 'sla_breach_at', 'sla_frozen_over_ms']);
    }
  }

  /**
   * The source's status changes, as incident events at the source's update time: the
   * escalation clocks need the history (time awaiting the customer does not count), and a
   * ticket's timeline shows them. A new ticket is recorded only when it starts out waiting.
   */
  private async recordStatusChanges(
    tx: Knex.Transaction,
    rows: Row[],
    written: Array<{ source: string; source_id: string; status: string }>,
    before: Map<string, string>,
  ) {
    const byKey = new Map(rows.map(r => [`${r.source}:${r.source_id}`, r]));
    const events = written.flatMap(w => {
      const key = `${w.source}:${w.source_id}`;
      const from = before.get(key);
      const row = byKey.get(key)!;
      if (from === w.status) return [];
      if (from === undefined && w.status !== 'awaiting-customer') return [];
      return [
        {
          source: w.source,
          source_id: w.source_id,
          number: row.number,
          type: 'status-change',
          from_status: from ?? null,
          to_status: w.status,
          actor: w.source,
          created_at: row.source_updated_at,
        },
      ];
    });
    for (let i = 0; i < events.length; i += CHUNK) {
      await tx('incident_events').insert(events.slice(i, i + CHUNK));
    }
    // requestors hear of status changes made in ServiceNow too (keyed by the version that
    // showed it, so a repeated sync does not tell them twice)
    await DatabaseNotificationStore.enqueue(
      tx,
      events
        .filter(e => e.from_status !== null)
        .flatMap(e => {
          const row = byKey.get(`${e.source}:${e.source_id}`)!;
          return notificationsForTransition({
            incident: {
              source: e.source,
              sourceId: e.source_id,
              number: e.number,
              priority: row.priority,
            },
            key: `status-change:${e.source}:${e.source_id}:${row.source_version}`,
            from: e.from_status as IncidentStatus,
            to: e.to_status as IncidentStatus,
            actor: e.actor,
            now: new Date(),
          });
        }),
    );
  }

  async upsertKnowledgeArticles(articles: KnowledgeArticle[]) {
    const fitted = fitRows(
      'kb_knowledge',
      articles,
      knowledgeArticleToRow,
      KNOWLEDGE_ARTICLE_COLUMNS,
    );
    const { written, rejected } = await writeInChunks(
      'kb_knowledge',
      fitted.rows,
      CHUNK,
      rows =>
        this.db('kb_articles')
          .insert(rows)
          .onConflict(['source', 'source_id'])
          .merge()
          .where(newerOnly(this.db, 'kb_articles'))
          .returning('source_id'),
    );
    const quarantined = await this.quarantineRejected([
      ...fitted.rejected,
      ...rejected,
    ]);
    return {
      stored: written.length,
      unchanged: articles.length - written.length - quarantined,
      ...(quarantined ? { quarantined } : {}),
    };
  }

  async listKnowledgeArticles(options: {
    state?: string;
    limit: number;
    offset: number;
  }) {
    const base = this.db('kb_articles').where(
      'workflow_state',
      options.state ?? 'published',
    );
    const [rows, [{ n }]] = await Promise.all([
      base
        .clone()
        .orderBy('number')
        .limit(options.limit)
        .offset(options.offset),
      base.clone().count({ n: '*' }),
    ]);
    return {
      total: Number(n),
      items: rows.map(knowledgeArticleFromRow),
    };
  }

  async quarantine(source: string, records: QuarantinedRecord[], now: Date) {
    for (const r of records) {
      await this.db('incident_quarantine')
        .insert({
          source,
          record_key: r.key.slice(0, 255),
          number: r.number?.slice(0, 64) ?? null,
          reason: r.reason,
          payload: JSON.stringify(r.payload ?? null),
          first_seen_at: now,
          last_seen_at: now,
          occurrences: 1,
        })
        .onConflict(['source', 'record_key'])
        .merge({
          number: r.number?.slice(0, 64) ?? null,
          reason: r.reason,
          payload: JSON.stringify(r.payload ?? null),
          last_seen_at: now,
          occurrences: this.db.raw('?? + 1', [
            'incident_quarantine.occurrences',
          ]),
        });
    }
  }

  async listQuarantine(options: {
    source?: string;
    limit: number;
  }): Promise<StoredQuarantinedRecord[]> {
    const query = this.db('incident_quarantine')
      .orderBy('last_seen_at', 'desc')
      .orderBy('record_key')
      .limit(options.limit);
    if (options.source) query.where({ source: options.source });
    return (await query).map(r => ({
      source: r.source,
      key: r.record_key,
      number: opt(r.number),
      reason: r.reason,
      payload: JSON.parse(r.payload),
      firstSeenAt: toDate(r.first_seen_at)!,
      lastSeenAt: toDate(r.last_seen_at)!,
      occurrences: Number(r.occurrences),
    }));
  }

  async reconcile(
    source: string,
    presentIds: Iterable<string>,
    now: Date,
    options: { maxRemovalShare?: number } = {},
  ): Promise<ReconcileResult> {
    const present = new Set(presentIds);
    const stored: Array<{ source_id: string; removed_at: unknown }> =
      await this.db('incidents')
        .where({ source })
        .select('source_id', 'removed_at');
    const kept = stored.filter(r => !r.removed_at);
    let gone = kept
      .filter(r => !present.has(r.source_id))
      .map(r => r.source_id);
    // An empty or short listing (an ACL change, a wrong query) looks like mass deletion:
    // past the share allowed, nothing is removed and the refusal is kept for the sync page.
    const share = options.maxRemovalShare ?? 1;
    const allowed = Math.max(1, Math.floor(share * kept.length));
    const percent = Math.round(share * 100);
    let refused: string | undefined;
    if (gone.length > allowed) {
      refused = [
        `${gone.length} of ${kept.length} stored incidents are missing from the listing,`,
        `more than the ${allowed} (${percent}%) one reconciliation may remove; none was removed.`,
        `Check the source's read access (ACLs) and the sync's query.`,
      ].join(' ');
      gone = [];
    }
    const back = stored
      .filter(r => r.removed_at && present.has(r.source_id))
      .map(r => r.source_id);
    for (let i = 0; i < gone.length; i += 500) {
      await this.db('incidents')
        .where({ source })
        .whereIn('source_id', gone.slice(i, i + 500))
        .update({ removed_at: now });
      await this.setDue(
        this.db,
        gone
          .slice(i, i + 500)
          .map(id => ({ source, source_id: id, due: null })),
      );
    }
    for (let i = 0; i < back.length; i += 500) {
      const ids = back.slice(i, i + 500);
      await this.db('incidents')
        .where({ source })
        .whereIn('source_id', ids)
        .update({ removed_at: null });
      const open = await this.db('incidents')
        .where({ source, is_open: true })
        .whereIn('source_id', ids)
        .pluck('source_id');
      await this.setDue(
        this.db,
        ids.map(id => ({
          source,
          source_id: id,
          due: open.includes(id) ? now : null,
        })),
      );
    }
    await this.db('incident_provider_state')
      .insert({
        provider: source,
        last_reconciled_at: now,
        removed: gone.length,
        reconcile_refused: refused ?? null,
      })
      .onConflict('provider')
      .merge(['last_reconciled_at', 'removed', 'reconcile_refused']);
    return {
      removed: gone.length,
      restored: back.length,
      ...(refused ? { refused } : {}),
    };
  }

  async listIncidentsByCi(
    ciKeys: string[],
    options: {
      openOnly: boolean;
      limit: number;
      mentioning?: string[];
      restrict?: IncidentRestriction;
    },
  ) {
    return (
      await listByCiAndMentions(this.db, ciKeys, options, q =>
        applyRestriction(q, options.restrict),
      )
    ).map(incidentFromRow);
  }

  async visibleNumbers(numbers: string[], restrict: IncidentRestriction) {
    const visible = new Set<string>();
    for (let i = 0; i < numbers.length; i += 500) {
      const q = this.db('incidents')
        .whereIn('number', numbers.slice(i, i + 500))
        .select('number');
      applyRestriction(q, restrict);
      for (const r of await q) visible.add(r.number);
    }
    return visible;
  }

  async getIncidentByNumber(number: string) {
    const row = await this.db('incidents')
      .where({ number })
      .orderBy('source_updated_at', 'desc')
      .first();
    return row ? incidentFromRow(row) : undefined;
  }

  async getProviderState(provider: string) {
    const row = await this.db('incident_provider_state')
      .where({ provider })
      .first();
    if (!row) return undefined;
    const [{ n }] = await this.db('incident_quarantine')
      .where({ source: provider })
      .count({ n: '*' });
    return { ...providerStateFromRow(row), quarantined: Number(n) };
  }

  async listProviderStates() {
    const [rows, counts] = await Promise.all([
      this.db('incident_provider_state').orderBy('provider'),
      this.db('incident_quarantine')
        .select('source')
        .count({ n: '*' })
        .groupBy('source'),
    ]);
    const quarantined = new Map(
      (counts as Array<{ source: string; n: number | string }>).map(c => [
        c.source,
        Number(c.n),
      ]),
    );
    return rows.map(r => ({
      ...providerStateFromRow(r),
      quarantined: quarantined.get(r.provider) ?? 0,
    }));
  }

  takeLease(
    provider: string,
    task: string,
    holder: string,
    now: Date,
    until: Date,
  ) {
    return takeLease(this.db, { provider, task, holder, now, until });
  }

  async releaseLease(provider: string, task: string, holder: string) {
    await this.db('incident_provider_leases')
      .where({ provider, task, holder })
      .delete();
  }

  async setCursor(provider: string, cursor: string) {
    await this.db('incident_provider_state')
      .insert({ provider, cursor })
      .onConflict('provider')
      .merge(['cursor']);
  }

  async reportSync(
    provider: string,
    report: Parameters<IncidentStore['reportSync']>[1],
  ) {
    const row = {
      provider,
      last_started_at: report.startedAt,
      last_finished_at: report.finishedAt,
      fetched: report.fetched,
      stored: report.stored,
      quarantined: report.quarantined,
      last_error: report.error ?? null,
      ...(report.windowEnd ? { last_window_end: report.windowEnd } : {}),
    };
    await this.db('incident_provider_state')
      .insert(row)
      .onConflict('provider')
      .merge(Object.keys(row).filter(k => k !== 'provider'));
  }
}
