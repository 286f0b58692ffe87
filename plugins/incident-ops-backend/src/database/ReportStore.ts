import type {
  PolicyThreshold,
  Priority,
} from '@acme/plugin-incident-ops-common';
import type { FlaggedRecurringP2 } from './recurringP2s';
import type { Range } from './rows';

export type { Range } from './rows';

/** Escalations counted by period (index into the buckets) and every dimension. */
export interface EscalationCubeRow {
  bucket: number;
  rule: string;
  fromTier: string | null;
  toTier: string | null;
  priority: string;
  ticketType: string | null;
  count: number;
}

/** Median and p90 of a duration, for one value of one dimension. */
export interface DurationRow {
  dimension: 'all' | 'priority' | 'tier' | 'ticketType';
  key: string;
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** Per priority and ticket type, over the tickets opened in a period. */
export interface OpenedTicketsRow {
  priority: Priority;
  ticketType: string;
  opened: number;
  /** Were at L1 (now, or escalated from it) and were not moved on by priority alone. */
  atL1: number;
  /** Of those, escalated from L1. */
  escalatedFromL1: number;
  /** Were at L1 at some point (for the L1 time limit). */
  everAtL1: number;
  /** Reached L2 or L3. */
  reachedL2: number;
  l1Limit: number;
  l2Limit: number;
  slaRespond: number;
  slaResolve: number;
}

/** Thresholds with the tickets each applied to and how many reached it. */
export function thresholdFigures(
  thresholds: PolicyThreshold[],
  opened: OpenedTicketsRow[],
) {
  return thresholds.map(t => {
    const rows = opened.filter(r => r.priority === t.priority);
    const sum = (f: (r: OpenedTicketsRow) => number) =>
      rows.reduce((a, r) => a + f(r), 0);
    const [tickets, reached] = {
      'l1-to-l2-unresolved': [sum(r => r.everAtL1), sum(r => r.l1Limit)],
      'l2-to-l3-unresolved': [sum(r => r.reachedL2), sum(r => r.l2Limit)],
      'sla-respond': [sum(r => r.opened), sum(r => r.slaRespond)],
      'sla-resolve': [sum(r => r.opened), sum(r => r.slaResolve)],
    }[t.rule];
    return { ...t, tickets, reached };
  });
}

/** The figures of the reports: aggregate queries over incidents, decisions, surveys and knowledge use. */
export interface ReportStore {
  /**
   * Escalations (decisions to move a ticket up) made in each of `buckets` (contiguous, oldest
   * first), by rule, tiers, priority and ticket type.
   */
  escalationCube(buckets: Range[]): Promise<EscalationCubeRow[]>;
  /**
   * Median and p90 (linear interpolation between ranks, as PostgreSQL's percentile_cont) of
   * the time from opened to `column`, over the tickets whose `column` falls in the range: in
   * all, by priority, by tier and by ticket type.
   */
  durations(
    column: 'responded_at' | 'resolved_at',
    range: Range,
  ): Promise<DurationRow[]>;
  /**
   * Per priority, the tickets resolved in the range and how many of them the escalation
   * engine recorded as breaching the respond and the resolve target (its clocks pause while
   * awaiting the customer, as ServiceNow's do).
   */
  slaBreaches(range: Range): Promise<
    {
      priority: Priority;
      resolved: number;
      respondBreached: number;
      resolveBreached: number;
    }[]
  >;
  recurringP2s(range: Range, limit: number): Promise<FlaggedRecurringP2[]>;
  recurringP2Count(range: Range): Promise<number>;
  recurringIssues(
    range: Range,
    perIssue: number,
  ): Promise<
    {
      configurationItem?: string;
      ticketType?: string;
      total: number;
      incidents: string[];
    }[]
  >;
  /**
   * Per CMDB CI (name and id), over the tickets opened in the range: how many, how many of
   * them reached L3, and the vendor cases opened in the range on its tickets.
   */
  ticketsByCi(range: Range): Promise<
    {
      ciName?: string;
      ciId?: string;
      incidents: number;
      reachedL3: number;
      vendorCases: number;
    }[]
  >;
  /**
   * Over the tickets opened in the range, per priority and ticket type: where they were
   * worked, how many were escalated from L1 (other than by priority), and how many reached
   * each of the policy's time limits (from the decisions the engine recorded).
   */
  openedTickets(range: Range): Promise<OpenedTicketsRow[]>;
  surveySummary(
    range: Range,
    lowAtMost: number,
    limit: number,
  ): Promise<{
    responses: number;
    averageRating: number | null;
    distribution: number[];
    low: {
      number: any;
      rating: number;
      comment: any;
      ticketType: any;
      kbArticle: any;
      playbook: any;
      submittedAt: string;
    }[];
  }>;
  surveySubjects(
    range: Range,
    lowAtMost: number,
    perSubject?: number,
  ): Promise<
    {
      subjectKind: 'kb-article' | 'playbook' | 'ticket-type';
      subject: string;
      responses: number;
      averageRating: number;
      comments: string[];
    }[]
  >;
  kbUsage(range: Range): Promise<{
    suggestionsShown: number;
    ticketsWithSuggestions: number;
    markedHelpful: number;
    markedNotHelpful: number;
    kbExhaustedTickets: number;
    /** "This solved it" in the range: problems an article solved before a ticket. */
    deflections: number;
    articles: {
      source: string;
      article: string;
      title: any;
      shown: number;
      helpful: number;
      notHelpful: number;
    }[];
  }>;
  kbByTicketType(range: Range): Promise<
    Map<
      string,
      {
        suggested: number;
        helpful: number;
        notHelpful: number;
      }
    >
  >;
  playbookSteps(range: Range): Promise<
    {
      playbook: string;
      step: string;
      runs: number;
      skipped: number;
      failed: number;
    }[]
  >;
  lessonsCoverage(): Promise<Set<string>>;
  /** Vendor cases opened in the range, per vendor, and the ones that missed their SLA. */
  vendorEscalations(
    range: Range,
    now: Date,
    limit: number,
  ): Promise<{
    byVendor: {
      vendor: string;
      opened: number;
      responded: number;
      respondedWithinSla: number;
      breached: number;
      waiting: number;
    }[];
    breaches: {
      number: string;
      vendor: string;
      caseId: string;
      openedAt: string;
      respondBy: string;
      respondedAt: string | undefined;
    }[];
  }>;
  /**
   * Post-mortems due in the range (resolution + `withinMs`, for `priorities`): how many were
   * recorded on time, late, are overdue at `now` or not yet due; and the ones not on time.
   */
  postMortems(
    range: Range,
    policy: {
      priorities: Priority[];
      within: number;
    },
    now: Date,
    limit: number,
  ): Promise<{
    due: number;
    onTime: number;
    late: number;
    overdue: number;
    pending: number;
    items: {
      number: string;
      shortDescription: string;
      priority: Priority;
      resolvedAt: string;
      dueAt: string;
      postMortemAt: string | undefined;
      state: 'late' | 'overdue' | 'pending';
    }[];
  }>;
}
