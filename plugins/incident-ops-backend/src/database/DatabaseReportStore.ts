import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  PRIORITY_ESCALATION_RULES,
  Priority,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import {
  countFlaggedRecurringP2s,
  flaggedRecurringP2s,
  recurringIssues,
} from './recurringP2s';
import {
  type Range,
  aggregateRows,
  isPostgres,
  isoOf,
  num,
  timestampParam,
} from './rows';
import * as feedback from './feedbackFigures';

type Row = Record<string, any>;

import type {
  DurationRow,
  EscalationCubeRow,
  OpenedTicketsRow,
  ReportStore,
} from './ReportStore';

/**
 * The figures of the reports, each computed by one aggregate query over the incidents, the
 * escalation engine's decisions and the surveys (on SQLite and PostgreSQL); only aggregated
 * rows come back to Node. Also the survey figures.
 */
export class DatabaseReportStore implements ReportStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseReportStore(await options.database.getClient());
  }

  constructor(private readonly db: Knex) {}

  private get pg() {
    return isPostgres(this.db);
  }

  private percentile?: Promise<boolean>;

  /** Whether SQLite has the percentile extension's percentile_cont (asked once). */
  private hasSqlitePercentile(): Promise<boolean> {
    this.percentile ??= this.db.raw('SELECT percentile_cont(1, 0.5) AS p').then(
      () => !this.forceRankedPercentiles,
      () => false,
    );
    return this.percentile;
  }

  /** Tests set it to check the ranked query SQLite falls back on. */
  forceRankedPercentiles = false;

  /** A timestamp parameter. */
  private get ts() {
    return timestampParam(this.db);
  }

  /** Milliseconds from `opened_at` to `column`. */
  private durationMs(column: string) {
    return this.pg
      ? `(EXTRACT(EPOCH FROM (${column} - i.opened_at)) * 1000)`
      : `(${column} - i.opened_at)`;
  }

  /**
   * Escalations (decisions to move a ticket up) made in each of `buckets` (contiguous, oldest
   * first), by rule, tiers, priority and ticket type.
   */
  async escalationCube(buckets: Range[]): Promise<EscalationCubeRow[]> {
    const ts = this.ts;
    const cases = buckets
      .slice(0, -1)
      .map((_, i) => `WHEN e.created_at < ${ts} THEN ${i}`)
      .join(' ');
    // The decisions carry the priority and ticket type; only the few incidents removed at
    // the source are looked up (a small partial index; SQLite is told to use it).
    const { rows } = await this.raw(
      `SELECT ${
        cases ? `CASE ${cases} ELSE ${buckets.length - 1} END` : '0'
      } AS bucket,
              e.rule, e.from_tier, e.to_tier, e.priority, e.ticket_type,
              COUNT(*) AS n
         FROM incident_escalations e
        WHERE e.action = 'escalate' AND e.created_at >= ${ts} AND e.created_at < ${ts}
          AND NOT EXISTS (
            SELECT 1 FROM incidents r ${
              this.pg ? '' : 'INDEXED BY incidents_removed_idx'
            }
             WHERE r.source = e.source AND r.source_id = e.source_id
               AND r.removed_at IS NOT NULL)
        GROUP BY 1, e.rule, e.from_tier, e.to_tier, e.priority, e.ticket_type`,
      [
        ...buckets.slice(0, -1).map(b => b.end),
        buckets[0].start,
        buckets[buckets.length - 1].end,
      ],
    );
    return rows.map((r: Row) => ({
      bucket: Number(r.bucket),
      rule: r.rule,
      fromTier: r.from_tier ?? null,
      toTier: r.to_tier ?? null,
      priority: r.priority,
      ticketType: r.ticket_type ?? null,
      count: Number(r.n),
    }));
  }

  /**
   * Median and p90 (linear interpolation between ranks, as PostgreSQL's percentile_cont) of
   * the time from opened to `column`, over the tickets whose `column` falls in the range: in
   * all, by priority, by tier and by ticket type.
   */
  async durations(
    column: 'responded_at' | 'resolved_at',
    range: Range,
  ): Promise<DurationRow[]> {
    const ts = this.ts;
    const d = `SELECT i.priority AS p, COALESCE(i.tier, 'none') AS t,
                      COALESCE(i.ticket_type, 'unclassified') AS tt,
                      ${this.durationMs(`i.${column}`)} AS v
                 FROM incidents i
                WHERE i.${column} >= ${ts} AND i.${column} < ${ts}
                  AND i.${column} >= i.opened_at AND i.removed_at IS NULL`;
    const bindings = [range.start, range.end];
    if (this.pg) {
      const { rows } = await this.raw(
        `WITH d AS (${d})
         SELECT GROUPING(p) AS gp, GROUPING(t) AS gt, GROUPING(tt) AS gtt,
                p, t, tt, COUNT(*) AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY v) AS p90
           FROM d GROUP BY GROUPING SETS ((), (p), (t), (tt))`,
        bindings,
      );
      return rows.map((r: Row): DurationRow => {
        let dimension: DurationRow['dimension'] = 'all';
        let key = 'all';
        if (Number(r.gp) === 0) [dimension, key] = ['priority', r.p];
        else if (Number(r.gt) === 0) [dimension, key] = ['tier', r.t];
        else if (Number(r.gtt) === 0) [dimension, key] = ['ticketType', r.tt];
        return {
          dimension,
          key,
          count: Number(r.n),
          medianMs: r.median === null ? null : Math.round(Number(r.median)),
          p90Ms: r.p90 === null ? null : Math.round(Number(r.p90)),
        };
      });
    }
    // SQLite: its percentile_cont aggregate (the percentile extension, built into
    // better-sqlite3) per grouping; without it, rank each value within its group and take
    // the two ranks around the percentile's position (1 + (n-1)p) to interpolate.
    if (await this.hasSqlitePercentile()) {
      const agg = `COUNT(*) AS n, percentile_cont(v, 0.5) AS median,
                   percentile_cont(v, 0.9) AS p90`;
      const { rows } = await this.raw(
        `WITH d AS MATERIALIZED (${d})
         SELECT 'all' AS dim, 'all' AS k, ${agg} FROM d
         UNION ALL SELECT 'priority', p, ${agg} FROM d GROUP BY p
         UNION ALL SELECT 'tier', t, ${agg} FROM d GROUP BY t
         UNION ALL SELECT 'ticketType', tt, ${agg} FROM d GROUP BY tt`,
        bindings,
      );
      return rows.map(
        (r: Row): DurationRow => ({
          dimension: r.dim,
          key: r.k,
          count: Number(r.n),
          medianMs: r.median === null ? null : Math.round(Number(r.median)),
          p90Ms: r.p90 === null ? null : Math.round(Number(r.p90)),
        }),
      );
    }
    const rank = (numerator: number, denominator: number, label: string) => `
      SUM(CASE WHEN rn = 1 + ((n - 1) * ${numerator}) / ${denominator} THEN v END) AS ${label}_lo,
      SUM(CASE WHEN rn = 1 + ((n - 1) * ${numerator}) / ${denominator}
                    + (CASE WHEN ((n - 1) * ${numerator}) % ${denominator} > 0 THEN 1 ELSE 0 END)
               THEN v END) AS ${label}_hi`;
    const { rows } = await this.raw(
      `WITH d AS MATERIALIZED (${d}),
       u AS (SELECT 'all' AS dim, 'all' AS k, v FROM d
             UNION ALL SELECT 'priority', p, v FROM d
             UNION ALL SELECT 'tier', t, v FROM d
             UNION ALL SELECT 'ticketType', tt, v FROM d),
       r AS (SELECT dim, k, v,
                    ROW_NUMBER() OVER (PARTITION BY dim, k ORDER BY v) AS rn,
                    COUNT(*) OVER (PARTITION BY dim, k) AS n
               FROM u)
       SELECT dim, k, MAX(n) AS n, ${rank(1, 2, 'm')}, ${rank(9, 10, 'q')}
         FROM r GROUP BY dim, k`,
      bindings,
    );
    const at = (lo: number, hi: number, n: number, a: number, b: number) =>
      Math.round(lo + ((((n - 1) * a) % b) / b) * (hi - lo));
    const out: DurationRow[] = rows.map((r: Row) => {
      const n = Number(r.n);
      return {
        dimension: r.dim,
        key: r.k,
        count: n,
        medianMs: at(Number(r.m_lo), Number(r.m_hi), n, 1, 2),
        p90Ms: at(Number(r.q_lo), Number(r.q_hi), n, 9, 10),
      };
    });
    if (!out.some(r => r.dimension === 'all')) {
      out.push({
        dimension: 'all',
        key: 'all',
        count: 0,
        medianMs: null,
        p90Ms: null,
      });
    }
    return out;
  }

  /**
   * Per priority, the tickets resolved in the range and how many of them the escalation
   * engine recorded as breaching the respond and the resolve target (its clocks pause while
   * awaiting the customer, as ServiceNow's do).
   */
  async slaBreaches(range: Range) {
    const ts = this.ts;
    // (source, source_id, decision_key) is unique: each join finds one decision or none
    const breach = (alias: string, key: string) =>
      `LEFT JOIN incident_escalations ${alias}
         ON ${alias}.source = i.source AND ${alias}.source_id = i.source_id
        AND ${alias}.decision_key = '${key}'`;
    const { rows } = await this.raw(
      `SELECT i.priority, COUNT(*) AS resolved,
              COUNT(r.decision_key) AS respond_breached,
              COUNT(s.decision_key) AS resolve_breached
         FROM incidents i
         ${breach('r', 'sla-respond:incident')}
         ${breach('s', 'sla-resolve:incident')}
        WHERE i.resolved_at >= ${ts} AND i.resolved_at < ${ts} AND i.removed_at IS NULL
        GROUP BY i.priority`,
      [range.start, range.end],
    );
    return rows.map((r: Row) => ({
      priority: r.priority as Priority,
      resolved: Number(r.resolved),
      respondBreached: num(r.respond_breached),
      resolveBreached: num(r.resolve_breached),
    }));
  }

  recurringP2s(range: Range, limit: number) {
    return flaggedRecurringP2s(this.db, range, limit);
  }

  recurringP2Count(range: Range) {
    return countFlaggedRecurringP2s(this.db, range);
  }

  recurringIssues(range: Range, perIssue: number) {
    return recurringIssues(this.db, range, perIssue);
  }

  /**
   * Per CMDB CI (name and id), over the tickets opened in the range: how many, how many of
   * them reached L3, and the vendor cases opened in the range on its tickets.
   */
  async ticketsByCi(range: Range) {
    const ts = this.ts;
    const [tickets, vendorCases] = await Promise.all([
      this.raw(
        `SELECT i.ci_name, i.ci_id, COUNT(*) AS n,
                SUM(CASE WHEN i.tier = 'L3' OR EXISTS (
                      SELECT 1 FROM incident_escalations e
                       WHERE e.source = i.source AND e.source_id = i.source_id
                         AND e.action = 'escalate' AND e.to_tier = 'L3')
                    THEN 1 ELSE 0 END) AS l3
           FROM incidents i
          WHERE i.opened_at >= ${ts} AND i.opened_at < ${ts} AND i.removed_at IS NULL
            AND (i.ci_name IS NOT NULL OR i.ci_id IS NOT NULL)
          GROUP BY i.ci_name, i.ci_id`,
        [range.start, range.end],
      ),
      this.raw(
        `SELECT i.ci_name, i.ci_id, COUNT(*) AS n
           FROM vendor_engagements v
           JOIN incidents i ON i.source = v.source AND i.source_id = v.source_id
          WHERE v.opened_at >= ${ts} AND v.opened_at < ${ts} AND i.removed_at IS NULL
            AND (i.ci_name IS NOT NULL OR i.ci_id IS NOT NULL)
          GROUP BY i.ci_name, i.ci_id`,
        [range.start, range.end],
      ),
    ]);
    const out = new Map<
      string,
      {
        ciName?: string;
        ciId?: string;
        incidents: number;
        reachedL3: number;
        vendorCases: number;
      }
    >();
    const of = (r: Row) => {
      const key = `${r.ci_name ?? ''}\u0000${r.ci_id ?? ''}`;
      const v = out.get(key) ?? {
        ciName: r.ci_name ?? undefined,
        ciId: r.ci_id ?? undefined,
        incidents: 0,
        reachedL3: 0,
        vendorCases: 0,
      };
      out.set(key, v);
      return v;
    };
    for (const r of tickets.rows) {
      of(r).incidents = num(r.n);
      of(r).reachedL3 = num(r.l3);
    }
    for (const r of vendorCases.rows) of(r).vendorCases = num(r.n);
    return [...out.values()];
  }

  /**
   * Over the tickets opened in the range, per priority and ticket type: where they were
   * worked, how many were escalated from L1 (other than by priority), and how many reached
   * each of the policy's time limits (from the decisions the engine recorded).
   */
  async openedTickets(range: Range): Promise<OpenedTicketsRow[]> {
    const ts = this.ts;
    const priorityRules = PRIORITY_ESCALATION_RULES.map(() => '?').join(', ');
    const flag = (condition: string) =>
      `COALESCE(MAX(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
    const flags = `
      ${flag(`e.action = 'escalate' AND e.from_tier = 'L1'`)} AS from_l1,
      ${flag(
        `e.action = 'escalate' AND e.from_tier = 'L1' AND e.rule NOT IN (${priorityRules})`,
      )} AS from_l1_other,
      ${flag(
        `e.action = 'escalate' AND e.from_tier = 'L1' AND e.rule IN (${priorityRules})`,
      )} AS by_priority,
      ${flag(`e.action = 'escalate' AND e.to_tier = 'L2'`)} AS to_l2,
      ${flag(`e.rule = 'l1-to-l2-unresolved'`)} AS l1_limit,
      ${flag(`e.rule = 'l2-to-l3-unresolved'`)} AS l2_limit,
      ${flag(`e.decision_key = 'sla-respond:incident'`)} AS sla_respond,
      ${flag(`e.decision_key = 'sla-resolve:incident'`)} AS sla_resolve`;
    // The period's tickets first (by the opened_at index), then each one's decisions by the
    // decisions' incident index: PostgreSQL is told so with a lateral join (it would hash
    // every decision otherwise); SQLite plans the join that way itself.
    const perIncident = this.pg
      ? `SELECT o.priority, o.ticket_type, o.tier, f.*
           FROM o
           LEFT JOIN LATERAL (
             SELECT ${flags} FROM incident_escalations e
              WHERE e.source = o.source AND e.source_id = o.source_id) f ON true`
      : `SELECT o.priority, o.ticket_type, o.tier, ${flags}
           FROM o
           LEFT JOIN incident_escalations e
             ON e.source = o.source AND e.source_id = o.source_id
          GROUP BY o.source, o.source_id, o.priority, o.ticket_type, o.tier`;
    const { rows } = await this.raw(
      `WITH o AS MATERIALIZED (
         SELECT i.source, i.source_id, i.priority, i.tier,
                COALESCE(i.ticket_type, 'unclassified') AS ticket_type
           FROM incidents i
          WHERE i.opened_at >= ${ts} AND i.opened_at < ${ts} AND i.removed_at IS NULL)
       SELECT priority, ticket_type, COUNT(*) AS opened,
              SUM(CASE WHEN (tier = 'L1' OR from_l1 = 1) AND by_priority = 0 THEN 1 ELSE 0 END) AS at_l1,
              SUM(CASE WHEN from_l1_other = 1 AND by_priority = 0 THEN 1 ELSE 0 END) AS escalated_from_l1,
              SUM(CASE WHEN tier = 'L1' OR from_l1 = 1 THEN 1 ELSE 0 END) AS ever_at_l1,
              SUM(CASE WHEN tier IN ('L2', 'L3') OR to_l2 = 1 THEN 1 ELSE 0 END) AS reached_l2,
              SUM(l1_limit) AS l1_limit, SUM(l2_limit) AS l2_limit,
              SUM(sla_respond) AS sla_respond, SUM(sla_resolve) AS sla_resolve
         FROM (${perIncident}) t
        GROUP BY priority, ticket_type`,
      [
        range.start,
        range.end,
        ...PRIORITY_ESCALATION_RULES,
        ...PRIORITY_ESCALATION_RULES,
      ],
    );
    return rows.map((r: Row) => ({
      priority: r.priority,
      ticketType: r.ticket_type,
      opened: num(r.opened),
      atL1: num(r.at_l1),
      escalatedFromL1: num(r.escalated_from_l1),
      everAtL1: num(r.ever_at_l1),
      reachedL2: num(r.reached_l2),
      l1Limit: num(r.l1_limit),
      l2Limit: num(r.l2_limit),
      slaRespond: num(r.sla_respond),
      slaResolve: num(r.sla_resolve),
    }));
  }

  surveySummary(range: Range, lowAtMost: number, limit: number) {
    return feedback.surveySummary(this.db, range, lowAtMost, limit);
  }

  surveySubjects(range: Range, lowAtMost: number, perSubject = 5) {
    return feedback.surveySubjects(this.db, range, lowAtMost, perSubject);
  }

  kbUsage(range: Range) {
    return feedback.kbUsage(this.db, range);
  }

  kbByTicketType(range: Range) {
    return feedback.kbByTicketType(this.db, range);
  }

  playbookSteps(range: Range) {
    return feedback.playbookSteps(this.db, range);
  }

  lessonsCoverage() {
    return feedback.lessonsCoverage(this.db);
  }

  /** Vendor cases opened in the range, per vendor, and the ones that missed their SLA. */
  async vendorEscalations(range: Range, now: Date, limit: number) {
    const ts = this.ts;
    const late = `(v.responded_at IS NOT NULL AND v.responded_at > v.respond_by)
                   OR (v.responded_at IS NULL AND v.respond_by < ${ts})`;
    const [byVendor, breaches] = await Promise.all([
      this.raw(
        `SELECT v.vendor, COUNT(*) AS opened,
                SUM(CASE WHEN v.responded_at IS NOT NULL THEN 1 ELSE 0 END) AS responded,
                SUM(CASE WHEN v.responded_at IS NOT NULL AND v.responded_at <= v.respond_by
                         THEN 1 ELSE 0 END) AS within_sla,
                SUM(CASE WHEN ${late} THEN 1 ELSE 0 END) AS breached
           FROM vendor_engagements v
          WHERE v.opened_at >= ${ts} AND v.opened_at < ${ts}
          GROUP BY v.vendor ORDER BY v.vendor`,
        [now, range.start, range.end],
      ),
      this.raw(
        `SELECT v.number, v.vendor, v.case_id, v.opened_at, v.respond_by, v.responded_at
           FROM vendor_engagements v
          WHERE v.opened_at >= ${ts} AND v.opened_at < ${ts} AND (${late})
          ORDER BY v.opened_at LIMIT ${Number(limit)}`,
        [range.start, range.end, now],
      ),
    ]);
    return {
      byVendor: byVendor.rows.map((r: Row) => ({
        vendor: String(r.vendor),
        opened: num(r.opened),
        responded: num(r.responded),
        respondedWithinSla: num(r.within_sla),
        breached: num(r.breached),
        waiting: num(r.opened) - num(r.responded),
      })),
      breaches: breaches.rows.map((r: Row) => ({
        number: String(r.number),
        vendor: String(r.vendor),
        caseId: String(r.case_id),
        openedAt: isoOf(r.opened_at)!,
        respondBy: isoOf(r.respond_by)!,
        respondedAt: isoOf(r.responded_at),
      })),
    };
  }

  /**
   * Post-mortems due in the range (resolution + `withinMs`, for `priorities`): how many were
   * recorded on time, late, are overdue at `now` or not yet due; and the ones not on time.
   */
  async postMortems(
    range: Range,
    policy: { priorities: Priority[]; within: number },
    now: Date,
    limit: number,
  ) {
    if (policy.priorities.length === 0) {
      return { due: 0, onTime: 0, late: 0, overdue: 0, pending: 0, items: [] };
    }
    const ts = this.ts;
    const within = policy.within;
    const due = this.pg
      ? `(i.resolved_at + (${Number(within)} * INTERVAL '1 millisecond'))`
      : `(i.resolved_at + ${Number(within)})`;
    const inList = policy.priorities.map(() => '?').join(', ');
    const base = `SELECT i.number, i.short_description, i.priority, i.resolved_at,
                         ${due} AS due_at,
                         (SELECT MIN(u.created_at) FROM incident_updates u
                           WHERE u.source = i.source AND u.source_id = i.source_id
                             AND u.kind = 'post-mortem') AS pm_at
                    FROM incidents i
                   WHERE i.priority IN (${inList}) AND i.removed_at IS NULL
                     AND i.resolved_at >= ${ts} AND i.resolved_at < ${ts}`;
    const bindings = [
      ...policy.priorities,
      new Date(range.start.getTime() - within),
      new Date(range.end.getTime() - within),
    ];
    const state = `CASE WHEN p.pm_at IS NOT NULL AND p.pm_at <= p.due_at THEN 'on-time'
                        WHEN p.pm_at IS NOT NULL THEN 'late'
                        WHEN p.due_at < ${ts} THEN 'overdue'
                        ELSE 'pending' END`;
    const [counts, items] = await Promise.all([
      this.raw(
        `SELECT ${state} AS state, COUNT(*) AS n FROM (${base}) p GROUP BY 1`,
        [now, ...bindings],
      ),
      this.raw(
        `SELECT p.*, ${state} AS state FROM (${base}) p
          WHERE NOT (p.pm_at IS NOT NULL AND p.pm_at <= p.due_at)
          ORDER BY CASE ${state} WHEN 'overdue' THEN 0 WHEN 'late' THEN 1 ELSE 2 END, p.due_at
          LIMIT ${Number(limit)}`,
        [now, ...bindings, now],
      ),
    ]);
    const n = (s: string) =>
      num(counts.rows.find((r: Row) => r.state === s)?.n);
    return {
      due: counts.rows.reduce((a: number, r: Row) => a + num(r.n), 0),
      onTime: n('on-time'),
      late: n('late'),
      overdue: n('overdue'),
      pending: n('pending'),
      items: items.rows.map((r: Row) => ({
        number: String(r.number),
        shortDescription: String(r.short_description),
        priority: r.priority as Priority,
        resolvedAt: isoOf(r.resolved_at)!,
        dueAt: isoOf(r.due_at)!,
        postMortemAt: isoOf(r.pm_at),
        state: r.state as 'late' | 'overdue' | 'pending',
      })),
    };
  }

  private async raw(sql: string, bindings: unknown[]) {
    return { rows: await aggregateRows(this.db, sql, bindings) };
  }
}
