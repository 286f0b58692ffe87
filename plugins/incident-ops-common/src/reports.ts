import type { Priority } from './priority';

/** How long a report covers. @public */
export type ReportKind = 'weekly' | 'monthly' | 'quarterly';

/** A reporting period: an ISO week, a month or a quarter, in UTC. @public */
export interface ReportPeriod {
  kind: ReportKind;
  /** `2026-W47`, `2026-11` or `2026-Q4`. */
  id: string;
  /** ISO 8601, inclusive. */
  start: string;
  /** ISO 8601, exclusive: the start of the next period. */
  end: string;
}

const DAY = 86_400_000;

const PATTERNS: Record<ReportKind, RegExp> = {
  weekly: /^(\d{4})-W(\d{2})$/,
  monthly: /^(\d{4})-(\d{2})$/,
  quarterly: /^(\d{4})-Q(\d)$/,
};

const EXAMPLES: Record<ReportKind, string> = {
  weekly: 'an ISO week such as 2026-W47',
  monthly: 'a month such as 2026-11',
  quarterly: 'a quarter such as 2026-Q4',
};

/** Monday 00:00 UTC of ISO week 1 of `year` (the week with the year's first Thursday). */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0
  return jan4 - weekday * DAY;
}

/** 52 or 53. @public */
export function isoWeeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / (7 * DAY);
}

function make(kind: ReportKind, id: string, start: number, end: number) {
  return {
    kind,
    id,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * The period named by `id`, or an Error saying what is wrong with it (a week past the
 * year's last, month 13, quarter 5, a malformed id).
 * @public
 */
export function parseReportPeriod(
  kind: ReportKind,
  id: string,
): ReportPeriod | Error {
  const m = PATTERNS[kind].exec(id);
  const bad = (why: string) =>
    new Error(`'${id}' is not ${EXAMPLES[kind]}${why ? `: ${why}` : ''}`);
  if (!m) return bad('');
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (year < 1970 || year > 9998) return bad('year out of range');
  if (kind === 'weekly') {
    const weeks = isoWeeksInYear(year);
    if (n < 1 || n > weeks) return bad(`${year} has weeks 01 to ${weeks}`);
    const start = isoWeekOneMonday(year) + (n - 1) * 7 * DAY;
    return make(kind, id, start, start + 7 * DAY);
  }
  if (kind === 'monthly') {
    if (n < 1 || n > 12) return bad('months are 01 to 12');
    return make(kind, id, Date.UTC(year, n - 1, 1), Date.UTC(year, n, 1));
  }
  if (n < 1 || n > 4) return bad('quarters are Q1 to Q4');
  return make(
    kind,
    id,
    Date.UTC(year, (n - 1) * 3, 1),
    Date.UTC(year, n * 3, 1),
  );
}

/** The period of `kind` that contains `at`. @public */
export function reportPeriodContaining(
  kind: ReportKind,
  at: Date,
): ReportPeriod {
  const year = at.getUTCFullYear();
  if (kind === 'weekly') {
    // the ISO year is the calendar year of the week's Thursday
    const monday = Date.UTC(year, at.getUTCMonth(), at.getUTCDate());
    const start = monday - ((at.getUTCDay() + 6) % 7) * DAY;
    const isoYear = new Date(start + 3 * DAY).getUTCFullYear();
    const week = Math.round((start - isoWeekOneMonday(isoYear)) / (7 * DAY));
    return make(kind, `${isoYear}-W${pad(week + 1)}`, start, start + 7 * DAY);
  }
  if (kind === 'monthly') {
    const month = at.getUTCMonth();
    return make(
      kind,
      `${year}-${pad(month + 1)}`,
      Date.UTC(year, month, 1),
      Date.UTC(year, month + 1, 1),
    );
  }
  const q = Math.floor(at.getUTCMonth() / 3);
  return make(
    kind,
    `${year}-Q${q + 1}`,
    Date.UTC(year, q * 3, 1),
    Date.UTC(year, q * 3 + 3, 1),
  );
}

/** The `count` periods before `period`, oldest first. @public */
export function previousReportPeriods(
  period: ReportPeriod,
  count: number,
): ReportPeriod[] {
  const out: ReportPeriod[] = [];
  let current = period;
  for (let i = 0; i < count; i++) {
    current = reportPeriodContaining(
      current.kind,
      new Date(Date.parse(current.start) - 1),
    );
    out.unshift(current);
  }
  return out;
}

/**
 * Why a ticket was escalated, as the operational model names the triggers (III.2, IV):
 * time-based (a time limit at the tier or an SLA breach), priority (P1 auto-escalation, P2 to
 * L2), KB exhaustion, complexity, stakeholder request, architectural impact.
 * @public
 */
export type EscalationTrigger =
  | 'time-based'
  | 'priority'
  | 'kb-exhausted'
  | 'complexity'
  | 'stakeholder-request'
  | 'architectural-impact'
  | 'other';

/** Escalation rules that move a ticket because of its priority alone (policy routing). @public */
export const PRIORITY_ESCALATION_RULES: readonly string[] = [
  'l1-to-l2-priority',
  'l2-to-l3-priority',
  'p1-straight-to-l3',
  'l2-to-l3-p1',
];

/** The trigger behind an escalation rule (the engine's or a person's `manual-<trigger>`). @public */
export function escalationTriggerOf(rule: string): EscalationTrigger {
  if (PRIORITY_ESCALATION_RULES.includes(rule)) return 'priority';
  if (rule.endsWith('-unresolved') || rule === 'any-tier-sla-breach') {
    return 'time-based';
  }
  if (rule.endsWith('kb-exhausted')) return 'kb-exhausted';
  if (rule.endsWith('architectural-impact')) return 'architectural-impact';
  if (rule === 'manual-complexity') return 'complexity';
  if (rule === 'manual-stakeholder-request') return 'stakeholder-request';
  return 'other';
}

/** A count for one value of a dimension, with its values over the trend's periods. @public */
export interface ReportCount {
  key: string;
  count: number;
  /** One value per period of `ReportResponse.trend`, oldest first; the last is this period. */
  trend: number[];
}

/** Median and 90th percentile (linear interpolation between ranks) of a duration. @public */
export interface DurationStat {
  key: string;
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** A duration broken down by priority, tier and ticket type. @public */
export interface DurationBreakdown {
  overall: DurationStat;
  byPriority: DurationStat[];
  byTier: DurationStat[];
  byTicketType: DurationStat[];
}

/** SLA compliance for one priority over the tickets resolved in the period. @public */
export interface SlaCompliance {
  priority: Priority;
  resolved: number;
  respond: { targetMs: number; breached: number; compliance: number | null };
  resolve: { targetMs: number; breached: number; compliance: number | null };
}

/** A low survey score with its comment. @public */
export interface SurveyLowScore {
  number: string;
  rating: number;
  comment?: string;
  ticketType?: string;
  kbArticle?: string;
  playbook?: string;
  submittedAt: string;
}

/**
 * Post-resolution survey results of the period. `low` lists the first 50 low scores; how
 * many there were is in `distribution` (ratings 1 and 2). @public
 */
export interface SurveySummary {
  responses: number;
  averageRating: number | null;
  /** Responses per rating 1–5. */
  distribution: number[];
  low: SurveyLowScore[];
}

/** A KB article a survey is linked to: shown on the ticket and marked. @public */
export interface SurveyArticle {
  source: string;
  /** The article number (KB0010001) or repository article id. */
  id: string;
  /** The latest mark on the ticket. */
  helpful: boolean;
}

/** A post-resolution survey (`POST /incidents/{number}/survey`). @public */
export interface IncidentSurvey {
  number: string;
  /** The incident's caller: its source user id, else `caller:<name>`. */
  requestor: string;
  /** Entity ref of who submitted it: the requestor, or someone on their behalf. */
  submittedBy: string;
  /** Recorded on the requestor's behalf; it never replaces the requestor's own answer. */
  onBehalf: boolean;
  rating: number;
  comment?: string;
  /** The first of `kbArticles`. */
  kbArticle?: string;
  /**
   * The KB articles marked on the ticket when the survey was submitted: the ones marked
   * helpful, or, when none was, the ones marked not helpful; latest first.
   */
  kbArticles: SurveyArticle[];
  /** The playbook last run on the ticket. */
  playbook?: string;
  createdAt: string;
  updatedAt: string;
  /** A week after the first submission; after that it is final. */
  editableUntil: string;
}

/** `GET /incidents/{number}/survey`: the requestor's survey, and whether it can be answered. @public */
export interface IncidentSurveyView {
  number: string;
  /** The incident is resolved or closed: the survey is open. */
  open: boolean;
  /** The signed-in user is the incident's requestor. */
  requestor: boolean;
  /** The requestor's survey, when there is one. */
  survey?: IncidentSurvey;
  /** Open, and not answered yet or still within its week. */
  editable: boolean;
}

/**
 * What requestors said on the tickets a KB article or a playbook was used on (all time).
 * @public
 */
export interface SurveyFigures {
  /** Surveys on those tickets. */
  responses: number;
  averageRating: number | null;
  /** How many rated 2 or less. */
  low: number;
  /** The latest low scores (2 or less) with a comment, newest first (at most 5). */
  comments: Array<{
    number: string;
    rating: number;
    comment: string;
    submittedAt: string;
  }>;
}

/**
 * P2s flagged as recurring in the period, grouped by entity (CMDB CI) and ticket type, for
 * the weekly stakeholder review. @public
 */
export interface RecurringP2Group {
  configurationItem?: string;
  ticketType?: string;
  incidents: Array<{
    number: string;
    shortDescription: string;
    status: string;
    openedAt: string;
    flaggedAt: string;
    explanation: string;
  }>;
}

/** Suggestions and feedback on one KB article in the period. @public */
export interface KbArticleUsage {
  source: string;
  /** The article number, e.g. KB0010001, or a repository article id. */
  article: string;
  title?: string;
  shown: number;
  helpful: number;
  notHelpful: number;
}

/** How the knowledge base was used in the period. @public */
export interface KbUsage {
  suggestionsShown: number;
  ticketsWithSuggestions: number;
  markedHelpful: number;
  markedNotHelpful: number;
  /** Tickets whose every suggested article was marked not helpful. */
  kbExhaustedTickets: number;
  /** "This solved it": problems an article solved while being reported, before a ticket. */
  deflections: number;
  /** The articles marked helpful most often, best first. */
  mostHelpful: KbArticleUsage[];
  /** The articles marked not helpful most often, worst first. */
  leastHelpful: KbArticleUsage[];
}

/** Cases opened with one vendor in the period, against the vendor's response SLA. @public */
export interface VendorEscalationSummary {
  vendor: string;
  opened: number;
  responded: number;
  respondedWithinSla: number;
  /** Answered late, or unanswered past the SLA when the report was made. */
  breached: number;
  waiting: number;
}

/** A vendor case that missed its response SLA. @public */
export interface VendorBreach {
  number: string;
  vendor: string;
  caseId: string;
  openedAt: string;
  respondBy: string;
  respondedAt?: string;
}

/** Post-mortems that fell due in the period (P1: within 24 h of resolution by default). @public */
export interface PostMortemSummary {
  withinMs: number;
  due: number;
  onTime: number;
  late: number;
  /** Not recorded, and past due when the report was made. */
  overdue: number;
  /** Not recorded, not yet due. */
  pending: number;
  /** The ones not done on time, overdue first. */
  items: Array<{
    number: string;
    shortDescription: string;
    priority: Priority;
    resolvedAt: string;
    dueAt: string;
    postMortemAt?: string;
    state: 'late' | 'overdue' | 'pending';
  }>;
}

/** A process-improvement recommendation and the figures it rests on. @public */
export interface Recommendation {
  kind:
    | 'threshold-breached-by-most'
    | 'threshold-never-reached'
    | 'route-to-l2'
    | 'write-kb-article'
    | 'fix-playbook-step'
    | 'record-lessons-learned'
    | 'review-low-survey-scores'
    | 'assign-role';
  /** What it is about: `sla-resolve/P3`, a ticket type, a playbook step, … */
  subject: string;
  title: string;
  detail: string;
  evidence: Record<string, string | number | string[]>;
}

/** A report (`GET /reports/weekly|monthly|quarterly`). @public */
export interface ReportResponse {
  period: ReportPeriod;
  generatedAt: string;
  /** The periods of every `trend` array, oldest first; the last is `period`. */
  trend: ReportPeriod[];
  escalations: {
    total: number;
    trend: number[];
    byTrigger: ReportCount[];
    /** Keyed `L1→L2`, `L2→L3`, `L1→L3`. */
    byTier: ReportCount[];
    byPriority: ReportCount[];
    byTicketType: ReportCount[];
  };
  /** Tickets acknowledged (first worked) in the period: opened → first response. */
  timeToAcknowledge: DurationBreakdown;
  /** Tickets resolved in the period: opened → resolved. */
  timeToResolve: DurationBreakdown;
  sla: SlaCompliance[];
  /** At most 200 incidents in all; `recurringP2sTotal` says how many were flagged. */
  recurringP2s: RecurringP2Group[];
  /** P2s flagged as recurring in the period, listed in `recurringP2s` or not. */
  recurringP2sTotal: number;
  kb: KbUsage;
  /**
   * `breaches` lists the first 50 cases past their SLA; each vendor's `breached` counts
   * them all.
   */
  vendors: { byVendor: VendorEscalationSummary[]; breaches: VendorBreach[] };
  /** `items` lists the first 50 not done on time; the counts cover them all. */
  postMortems: PostMortemSummary;
  surveys: SurveySummary;
  /** Monthly and quarterly reports only. */
  recommendations?: Recommendation[];
}
