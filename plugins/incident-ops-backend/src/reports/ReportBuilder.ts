import {
  CommunicationPolicy,
  DEFAULT_COMMUNICATION_POLICY,
  DEFAULT_RECOMMENDATION_OPTIONS,
  DurationBreakdown,
  DurationStat,
  EscalationPolicy,
  ImprovementFigures,
  OwnershipMatrix,
  PRIORITIES,
  RecommendationOptions,
  RecurringP2Group,
  ReportCount,
  RoleGapFigure,
  ReportKind,
  ReportPeriod,
  ReportResponse,
  escalationTriggerOf,
  policyThresholds,
  previousReportPeriods,
  recommendImprovements,
} from '@acme/plugin-incident-ops-common';
import {
  type DurationRow,
  type EscalationCubeRow,
  type Range,
  type ReportStore,
  thresholdFigures,
} from '../database/ReportStore';
import type { FlaggedRecurringP2 } from '../database/recurringP2s';

/** How many periods each report's trends cover, this one included. */
export const TREND_LENGTH: Record<ReportKind, number> = {
  weekly: 8,
  monthly: 6,
  quarterly: 4,
};

/** Survey ratings at or below this are listed as low scores. */
const LOW_RATING = 2;

/** How many recurring P2s the weekly report lists (`recurringP2sTotal` counts them all). */
export const RECURRING_P2_LIMIT = 200;

/** How many incidents each recurring issue of the recommendations names. */
const INCIDENTS_PER_ISSUE = 20;

const range = (p: ReportPeriod): Range => ({
  start: new Date(p.start),
  end: new Date(p.end),
});

const ORDER: Record<string, string[]> = {
  priority: [...PRIORITIES],
  tier: ['L1', 'L2', 'L3', 'none'],
};

function counts(
  rows: EscalationCubeRow[],
  keyOf: (r: EscalationCubeRow) => string,
  periods: number,
  order?: string[],
): ReportCount[] {
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const key = keyOf(r);
    const trend = byKey.get(key) ?? new Array(periods).fill(0);
    trend[r.bucket] += r.count;
    byKey.set(key, trend);
  }
  const out = [...byKey.entries()].map(([key, trend]) => ({
    key,
    count: trend[periods - 1],
    trend,
  }));
  return out.sort((a, b) =>
    order
      ? order.indexOf(a.key) - order.indexOf(b.key)
      : b.count - a.count ||
        b.trend.reduce((x, y) => x + y, 0) -
          a.trend.reduce((x, y) => x + y, 0) ||
        a.key.localeCompare(b.key),
  );
}

function breakdown(rows: DurationRow[]): DurationBreakdown {
  const stat = (r: DurationRow): DurationStat => ({
    key: r.key,
    count: r.count,
    medianMs: r.medianMs,
    p90Ms: r.p90Ms,
  });
  const of = (dimension: DurationRow['dimension']) => {
    const list = rows.filter(r => r.dimension === dimension).map(stat);
    const order = ORDER[dimension];
    return list.sort((a, b) =>
      order
        ? order.indexOf(a.key) - order.indexOf(b.key)
        : b.count - a.count || a.key.localeCompare(b.key),
    );
  };
  return {
    overall: of('all')[0] ?? {
      key: 'all',
      count: 0,
      medianMs: null,
      p90Ms: null,
    },
    byPriority: of('priority'),
    byTier: of('tier'),
    byTicketType: of('ticketType'),
  };
}

function groupRecurring(rows: FlaggedRecurringP2[]): RecurringP2Group[] {
  const groups = new Map<string, RecurringP2Group>();
  for (const { configurationItem, ticketType, ...incident } of rows) {
    const key = `${configurationItem ?? ''}\u0000${ticketType ?? ''}`;
    const group: RecurringP2Group = groups.get(key) ?? {
      configurationItem,
      ticketType,
      incidents: [],
    };
    group.incidents.push(incident);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => b.incidents.length - a.incidents.length,
  );
}

/**
 * Builds the weekly, monthly and quarterly reports from the store's aggregate queries; the
 * monthly and quarterly ones carry the process-improvement recommendations.
 */
export class ReportBuilder {
  constructor(
    private readonly options: {
      store: ReportStore;
      policy: EscalationPolicy;
      /** Which post-mortems are due, and when (the communication cadence). */
      postMortem?: CommunicationPolicy['postMortem'];
      recommendations?: RecommendationOptions;
      /**
       * The role accountability matrix (with each row's CMDB CI): the quarterly review
       * names the roles nobody holds where the quarter's tickets were. Without it, no role
       * findings.
       */
      ownership?: () => Promise<OwnershipMatrix>;
    },
  ) {}

  async build(period: ReportPeriod, now: Date): Promise<ReportResponse> {
    const { store, policy } = this.options;
    const trend = [
      ...previousReportPeriods(period, TREND_LENGTH[period.kind] - 1),
      period,
    ];
    const r = range(period);
    const postMortem =
      this.options.postMortem ?? DEFAULT_COMMUNICATION_POLICY.postMortem;
    const [
      cube,
      tta,
      ttr,
      sla,
      recurring,
      recurringTotal,
      surveys,
      kb,
      vendors,
      postMortems,
    ] = await Promise.all([
      store.escalationCube(trend.map(range)),
      store.durations('responded_at', r),
      store.durations('resolved_at', r),
      store.slaBreaches(r),
      store.recurringP2s(r, RECURRING_P2_LIMIT),
      store.recurringP2Count(r),
      store.surveySummary(r, LOW_RATING, 50),
      store.kbUsage(r),
      store.vendorEscalations(r, now, 50),
      store.postMortems(r, postMortem, now, 50),
    ]);
    const { articles, ...kbTotals } = kb;
    const n = trend.length;
    const totals = new Array(n).fill(0);
    for (const row of cube) totals[row.bucket] += row.count;

    const report: ReportResponse = {
      period,
      generatedAt: now.toISOString(),
      trend,
      escalations: {
        total: totals[n - 1],
        trend: totals,
        byTrigger: counts(cube, row => escalationTriggerOf(row.rule), n),
        // in tier order: L1→L2, L1→L3, L2→L3
        byTier: counts(
          cube,
          row => `${row.fromTier ?? '?'}→${row.toTier ?? '?'}`,
          n,
        ).sort((a, b) => a.key.localeCompare(b.key)),
        byPriority: counts(cube, row => row.priority, n, ORDER.priority),
        byTicketType: counts(cube, row => row.ticketType ?? 'unclassified', n),
      },
      timeToAcknowledge: breakdown(tta),
      timeToResolve: breakdown(ttr),
      sla: PRIORITIES.map(priority => {
        const row = sla.find(s => s.priority === priority);
        const resolved = row?.resolved ?? 0;
        const share = (breached: number) =>
          resolved
            ? Math.round(((resolved - breached) / resolved) * 1000) / 1000
            : null;
        return {
          priority,
          resolved,
          respond: {
            targetMs: policy.sla[priority].respond,
            breached: row?.respondBreached ?? 0,
            compliance: share(row?.respondBreached ?? 0),
          },
          resolve: {
            targetMs: policy.sla[priority].resolve,
            breached: row?.resolveBreached ?? 0,
            compliance: share(row?.resolveBreached ?? 0),
          },
        };
      }),
      recurringP2s: groupRecurring(recurring),
      recurringP2sTotal: recurringTotal,
      kb: {
        ...kbTotals,
        mostHelpful: articles
          .filter(a => a.helpful > 0)
          .sort((a, b) => b.helpful - a.helpful || a.notHelpful - b.notHelpful)
          .slice(0, 5),
        leastHelpful: articles
          .filter(a => a.notHelpful > 0)
          .sort((a, b) => b.notHelpful - a.notHelpful || a.helpful - b.helpful)
          .slice(0, 5),
      },
      vendors,
      postMortems: { withinMs: postMortem.within, ...postMortems },
      surveys,
    };
    if (period.kind !== 'weekly') {
      report.recommendations = recommendImprovements(
        await this.improvementFigures(r, {
          roles: period.kind === 'quarterly',
        }),
        this.options.recommendations ?? DEFAULT_RECOMMENDATION_OPTIONS,
      );
    }
    return report;
  }

  /**
   * The figures the recommendations are drawn from, over one period; with `roles` (the
   * quarterly review), the roles nobody holds where the period's tickets were.
   */
  async improvementFigures(
    r: Range,
    options: { roles?: boolean } = {},
  ): Promise<ImprovementFigures> {
    const { store, policy } = this.options;
    const lowRating =
      this.options.recommendations?.lowRating ??
      DEFAULT_RECOMMENDATION_OPTIONS.lowRating;
    const [opened, surveys, kb, steps, recurring, covered, roleGaps] =
      await Promise.all([
        store.openedTickets(r),
        store.surveySubjects(r, lowRating),
        store.kbByTicketType(r),
        store.playbookSteps(r),
        store.recurringIssues(r, INCIDENTS_PER_ISSUE),
        store.lessonsCoverage(),
        options.roles ? this.roleGaps(r) : undefined,
      ]);
    const byType = new Map<
      string,
      { tickets: number; atL1: number; escalatedFromL1: number }
    >();
    for (const row of opened) {
      if (row.ticketType === 'unclassified') continue;
      const t = byType.get(row.ticketType) ?? {
        tickets: 0,
        atL1: 0,
        escalatedFromL1: 0,
      };
      t.tickets += row.opened;
      t.atL1 += row.atL1;
      t.escalatedFromL1 += row.escalatedFromL1;
      byType.set(row.ticketType, t);
    }
    const types = [...byType.keys()].sort();
    return {
      thresholds: thresholdFigures(policyThresholds(policy), opened),
      ticketTypes: types.map(ticketType => ({
        ticketType,
        atL1: byType.get(ticketType)!.atL1,
        escalatedFromL1: byType.get(ticketType)!.escalatedFromL1,
      })),
      kbByTicketType: types
        .filter(t => t !== 'other')
        .map(ticketType => ({
          ticketType,
          tickets: byType.get(ticketType)!.tickets,
          suggested: kb.get(ticketType)?.suggested ?? 0,
          helpful: kb.get(ticketType)?.helpful ?? 0,
          notHelpful: kb.get(ticketType)?.notHelpful ?? 0,
        })),
      playbookSteps: steps,
      recurringIssues: recurring.map(g => ({
        issue: `${g.ticketType ?? 'unclassified'} on ${
          g.configurationItem ?? 'no CI'
        }`,
        configurationItem: g.configurationItem,
        ticketType: g.ticketType,
        incidents: g.incidents,
        ...(g.total > g.incidents.length ? { total: g.total } : {}),
        hasLessonsLearned: covered.has(
          `${g.configurationItem ?? ''}\u0000${g.ticketType ?? ''}`,
        ),
      })),
      surveys,
      ...(roleGaps ? { roleGaps } : {}),
    };
  }

  /**
   * The clusters and namespaces of the ownership matrix that had tickets in the period
   * (those whose CMDB CI the tickets name), with the roles nobody holds there.
   */
  private async roleGaps(r: Range): Promise<RoleGapFigure[] | undefined> {
    if (!this.options.ownership) return undefined;
    const [matrix, tickets] = await Promise.all([
      this.options.ownership(),
      this.options.store.ticketsByCi(r),
    ]);
    const rowOf = new Map(
      matrix.rows
        .filter(row => row.configurationItem)
        .map(row => [row.configurationItem!, row] as const),
    );
    const figures = new Map<string, RoleGapFigure>();
    for (const t of tickets) {
      // by the CI's name first, as incidents are placed on entities
      const row =
        (t.ciName !== undefined ? rowOf.get(t.ciName) : undefined) ??
        (t.ciId !== undefined ? rowOf.get(t.ciId) : undefined);
      const unheld = row?.cells.filter(c => c.gap).map(c => c.role) ?? [];
      if (!row || unheld.length === 0) continue;
      const f = figures.get(row.entityRef) ?? {
        entityRef: row.entityRef,
        unheld,
        incidents: 0,
        reachedL3: 0,
        vendorCases: 0,
      };
      f.incidents += t.incidents;
      f.reachedL3 += t.reachedL3;
      f.vendorCases += t.vendorCases;
      figures.set(row.entityRef, f);
    }
    return [...figures.values()];
  }
}
