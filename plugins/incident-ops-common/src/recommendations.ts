import { AccountableRole, ROLE_ANNOTATIONS } from './annotations';
import { ACCOUNTABLE_ROLE_LABEL, MATRIX_ROLES } from './contacts';
import type { EscalationPolicy } from './escalation';
import { PRIORITIES, Priority } from './priority';
import type { Recommendation } from './reports';

/** A time limit of the policy that a ticket can reach. @public */
export interface PolicyThreshold {
  rule:
    | 'l1-to-l2-unresolved'
    | 'l2-to-l3-unresolved'
    | 'sla-respond'
    | 'sla-resolve';
  priority: Priority;
  limitMs: number;
}

/**
 * The time limits of a policy that can fire: the unresolved limits at L1 and L2 (not for
 * priorities that leave the tier at once anyway) and the SLA targets.
 * @public
 */
export function policyThresholds(policy: EscalationPolicy): PolicyThreshold[] {
  const out: PolicyThreshold[] = [];
  const leavesAtOnce = (p: Priority, atOnce: Priority[]) =>
    atOnce.includes(p) || (p === 'P1' && policy.p1.straightToL3);
  for (const p of PRIORITIES) {
    const l1 = policy.l1ToL2.unresolved[p];
    if (l1 !== undefined && !leavesAtOnce(p, policy.l1ToL2.atOnce)) {
      out.push({ rule: 'l1-to-l2-unresolved', priority: p, limitMs: l1 });
    }
    const l2 = policy.l2ToL3.unresolved[p];
    if (l2 !== undefined && !leavesAtOnce(p, policy.l2ToL3.atOnce)) {
      out.push({ rule: 'l2-to-l3-unresolved', priority: p, limitMs: l2 });
    }
    out.push({
      rule: 'sla-respond',
      priority: p,
      limitMs: policy.sla[p].respond,
    });
    out.push({
      rule: 'sla-resolve',
      priority: p,
      limitMs: policy.sla[p].resolve,
    });
  }
  return out;
}

/** A duration for people: `45 min`, `8 h`, `5 d`, `2 h 30 min`. @public */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48 || hours % 24 !== 0) {
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  return `${hours / 24} d`;
}

/** The figures the recommendations are drawn from, each computed over one period. @public */
export interface ImprovementFigures {
  /** Per threshold: the tickets it applied to and how many reached it. */
  thresholds: Array<PolicyThreshold & { tickets: number; reached: number }>;
  /**
   * Per ticket type: tickets that were at L1 (not moved on by priority alone) and how many
   * of them were escalated from L1.
   */
  ticketTypes: Array<{
    ticketType: string;
    atL1: number;
    escalatedFromL1: number;
  }>;
  /** Survey results per KB article, playbook or ticket type that was used. */
  surveys: Array<{
    subjectKind: 'kb-article' | 'playbook' | 'ticket-type';
    subject: string;
    responses: number;
    averageRating: number;
    comments: string[];
  }>;
  /** Per ticket type: KB suggestions shown and marked helpful (when KB feedback is recorded). */
  kbByTicketType?: Array<{
    ticketType: string;
    tickets: number;
    suggested: number;
    helpful: number;
    notHelpful: number;
  }>;
  /** Per playbook step: runs that reached it, and how many skipped or failed it. */
  playbookSteps?: Array<{
    playbook: string;
    step: string;
    runs: number;
    skipped: number;
    failed: number;
  }>;
  /** Recurring issues (by entity and ticket type) and whether a lessons-learned record covers them. */
  recurringIssues?: Array<{
    issue: string;
    configurationItem?: string;
    ticketType?: string;
    /** The incidents, or the first of them when `total` says there were more. */
    incidents: string[];
    /** How many incidents recurred, when `incidents` lists only some. */
    total?: number;
    hasLessonsLearned: boolean;
  }>;
  /**
   * The clusters and namespaces that had tickets in the period (placed by their CMDB CI),
   * with the accountable roles nobody holds on them; for the quarterly review of roles.
   */
  roleGaps?: RoleGapFigure[];
}

/** A cluster or namespace with tickets in the period, and the roles nobody holds there. @public */
export interface RoleGapFigure {
  entityRef: string;
  /** The roles of the ownership matrix nobody in the catalog holds on it. */
  unheld: AccountableRole[];
  /** Tickets opened on it in the period. */
  incidents: number;
  /** Of those, the ones that reached L3 (the Evangelists' tier). */
  reachedL3: number;
  /** Vendor cases opened in the period on its tickets. */
  vendorCases: number;
}

/** When a figure is strong enough to recommend something. @public */
export interface RecommendationOptions {
  /** Fewest tickets a share is judged on. */
  minTickets: number;
  /** A threshold "most tickets breach" above this share. */
  mostShare: number;
  /** A ticket type "always escalates past L1" at or above this share. */
  alwaysShare: number;
  /** An average survey rating at or below this is low. */
  lowRating: number;
  /** Fewest survey responses an average is judged on. */
  minSurveys: number;
}

/** @public */
export const DEFAULT_RECOMMENDATION_OPTIONS: RecommendationOptions = {
  minTickets: 10,
  mostShare: 0.5,
  alwaysShare: 0.9,
  lowRating: 2.5,
  minSurveys: 3,
};

const pct = (n: number) => `${Math.round(n * 100)}%`;

const THRESHOLD_NAMES: Record<
  PolicyThreshold['rule'],
  (p: Priority) => string
> = {
  'l1-to-l2-unresolved': p => `${p} unresolved limit at L1`,
  'l2-to-l3-unresolved': p => `${p} unresolved limit at L2`,
  'sla-respond': p => `${p} respond target`,
  'sla-resolve': p => `${p} resolve target`,
};

const CONFIG_KEYS: Record<PolicyThreshold['rule'], (p: Priority) => string> = {
  'l1-to-l2-unresolved': p => `incidentOps.escalation.l1ToL2.unresolved.${p}`,
  'l2-to-l3-unresolved': p => `incidentOps.escalation.l2ToL3.unresolved.${p}`,
  'sla-respond': p => `incidentOps.sla.${p}.respond`,
  'sla-resolve': p => `incidentOps.sla.${p}.resolve`,
};

const POPULATION: Record<PolicyThreshold['rule'], string> = {
  'l1-to-l2-unresolved': 'that were at L1',
  'l2-to-l3-unresolved': 'that reached L2',
  'sla-respond': 'opened',
  'sla-resolve': 'opened',
};

/**
 * What each role is needed for, to judge a gap by: the Evangelists take the tickets that
 * reach L3, the Vendor Liaison the vendor cases, the other roles every ticket.
 */
const ROLE_WORKLOAD: Record<
  AccountableRole,
  {
    count: (g: RoleGapFigure) => number;
    key: string;
    what: string;
  }
> = {
  'support-engineer': {
    count: g => g.incidents,
    key: 'tickets',
    what: 'tickets',
  },
  evangelist: {
    count: g => g.reachedL3,
    key: 'ticketsAtL3',
    what: 'tickets that reached L3',
  },
  'team-lead': { count: g => g.incidents, key: 'tickets', what: 'tickets' },
  'kube-admin': { count: g => g.incidents, key: 'tickets', what: 'tickets' },
  'vendor-liaison': {
    count: g => g.vendorCases,
    key: 'vendorCases',
    what: 'vendor cases',
  },
};

/** Per role: the clusters and namespaces whose work in the period had nobody in that role. */
function recommendRoles(gaps: RoleGapFigure[]): Recommendation[] {
  const out: Recommendation[] = [];
  for (const role of MATRIX_ROLES) {
    const { count, key, what } = ROLE_WORKLOAD[role];
    const hit = gaps
      .filter(g => g.unheld.includes(role) && count(g) > 0)
      .sort(
        (a, b) => count(b) - count(a) || a.entityRef.localeCompare(b.entityRef),
      );
    if (hit.length === 0) continue;
    const label = ACCOUNTABLE_ROLE_LABEL[role];
    const total = hit.reduce((n, g) => n + count(g), 0);
    const listed = hit.slice(0, 10).map(g => `${g.entityRef} (${count(g)})`);
    const places =
      hit.length === 1 ? 'cluster or namespace' : 'clusters and namespaces';
    out.push({
      kind: 'assign-role',
      subject: `role/${role}`,
      title: `Nobody is ${label} on ${hit.length} ${places} with ${what}`,
      detail: `${total} ${what} in the period were on ${listed
        .slice(0, 5)
        .join(', ')}${
        hit.length > 5 ? ', …' : ''
      }, where nobody in the catalog holds the ${label} role. Name one with the ${
        ROLE_ANNOTATIONS[role]
      } annotation on the cluster (its namespaces inherit it) or the namespace.`,
      evidence: {
        role: label,
        annotation: ROLE_ANNOTATIONS[role],
        [key]: total,
        entityCount: hit.length,
        entities: listed,
      },
    });
  }
  return out;
}

/**
 * Process-improvement recommendations (operational model VII) drawn from a period's figures,
 * each with the figures it rests on. Pure; the same analysis serves the monthly report and
 * the quarterly review of thresholds and roles (with `roleGaps`: the roles nobody holds
 * where the period's tickets were).
 * @public
 */
export function recommendImprovements(
  figures: ImprovementFigures,
  options: RecommendationOptions = DEFAULT_RECOMMENDATION_OPTIONS,
): Recommendation[] {
  const out: Recommendation[] = [];

  for (const t of figures.thresholds) {
    if (t.tickets < options.minTickets) continue;
    const share = t.reached / t.tickets;
    const name = THRESHOLD_NAMES[t.rule](t.priority);
    const limit = formatDuration(t.limitMs);
    const evidence = {
      rule: t.rule,
      priority: t.priority,
      limit,
      configKey: CONFIG_KEYS[t.rule](t.priority),
      tickets: t.tickets,
      reached: t.reached,
      share: pct(share),
    };
    if (share > options.mostShare) {
      out.push({
        kind: 'threshold-breached-by-most',
        subject: `${t.rule}/${t.priority}`,
        title: `Most ${t.priority} tickets breach the ${name} (${limit})`,
        detail: `${t.reached} of ${t.tickets} ${t.priority} tickets ${
          POPULATION[t.rule]
        } (${pct(
          share,
        )}) went past ${limit}. Either the limit is shorter than the work takes (${
          evidence.configKey
        }) or the tier needs help with these tickets: review it.`,
        evidence,
      });
    } else if (t.reached === 0) {
      out.push({
        kind: 'threshold-never-reached',
        subject: `${t.rule}/${t.priority}`,
        title: `No ${t.priority} ticket reaches the ${name} (${limit})`,
        detail: `None of the ${t.tickets} ${t.priority} tickets ${
          POPULATION[t.rule]
        } went past ${limit}: the limit never comes into play. Consider tightening it (${
          evidence.configKey
        }).`,
        evidence,
      });
    }
  }

  for (const t of figures.ticketTypes) {
    if (t.atL1 < options.minTickets) continue;
    const share = t.escalatedFromL1 / t.atL1;
    if (share >= options.alwaysShare) {
      out.push({
        kind: 'route-to-l2',
        subject: t.ticketType,
        title: `${t.ticketType} tickets almost always escalate past L1`,
        detail: `${t.escalatedFromL1} of ${t.atL1} ${
          t.ticketType
        } tickets at L1 (${pct(
          share,
        )}) were escalated to a higher tier for reasons other than their priority. Route this ticket type to L2 directly and spare L1 the hand-off.`,
        evidence: {
          ticketType: t.ticketType,
          atL1: t.atL1,
          escalatedFromL1: t.escalatedFromL1,
          share: pct(share),
        },
      });
    }
  }

  for (const k of figures.kbByTicketType ?? []) {
    if (k.tickets < options.minTickets || k.helpful > 0) continue;
    // suggestions shown but no one said whether they helped: nothing to go on
    if (k.suggested > 0 && k.notHelpful === 0) continue;
    out.push({
      kind: 'write-kb-article',
      subject: k.ticketType,
      title: `No KB article helps with ${k.ticketType} tickets`,
      detail:
        k.suggested === 0
          ? `None of the ${k.tickets} ${k.ticketType} tickets had a KB article to suggest. Write one (see the KB article template).`
          : `${k.suggested} KB suggestions were shown on ${k.tickets} ${k.ticketType} tickets and none was marked helpful (${k.notHelpful} marked not helpful). Write an article for this ticket type or fix the ones suggested.`,
      evidence: {
        ticketType: k.ticketType,
        tickets: k.tickets,
        suggested: k.suggested,
        helpful: k.helpful,
        notHelpful: k.notHelpful,
      },
    });
  }

  // The step skipped or failed most, per playbook.
  const worst = new Map<string, NonNullable<typeof figures.playbookSteps>[0]>();
  for (const s of figures.playbookSteps ?? []) {
    if (s.runs < options.minTickets) continue;
    const bad = s.skipped + s.failed;
    if (bad / s.runs < 0.2) continue;
    const current = worst.get(s.playbook);
    if (!current || bad > current.skipped + current.failed) {
      worst.set(s.playbook, s);
    }
  }
  for (const s of worst.values()) {
    const bad = s.skipped + s.failed;
    out.push({
      kind: 'fix-playbook-step',
      subject: `${s.playbook}/${s.step}`,
      title: `“${s.step}” is the step of ${s.playbook} skipped or failed most`,
      detail: `Of ${s.runs} runs that reached it, ${s.skipped} skipped it and ${
        s.failed
      } failed it (${pct(
        bad / s.runs,
      )}). Update the step, or the playbook, so it fits how these tickets are worked.`,
      evidence: {
        playbook: s.playbook,
        step: s.step,
        runs: s.runs,
        skipped: s.skipped,
        failed: s.failed,
        share: pct(bad / s.runs),
      },
    });
  }

  for (const r of figures.recurringIssues ?? []) {
    if (r.hasLessonsLearned) continue;
    const total = Math.max(r.total ?? 0, r.incidents.length);
    out.push({
      kind: 'record-lessons-learned',
      subject: r.issue,
      title: `Recurring issue without lessons learned: ${r.issue}`,
      detail: `${total} incidents (${r.incidents.slice(0, 5).join(', ')}${
        total > 5 ? ', …' : ''
      }) recurred and no lessons-learned record covers them. Write one and link it to the KB article and playbook.`,
      evidence: {
        issue: r.issue,
        ...(r.configurationItem
          ? { configurationItem: r.configurationItem }
          : {}),
        ...(r.ticketType ? { ticketType: r.ticketType } : {}),
        incidents: r.incidents,
        // the list is cut: say how many there were
        ...(total > r.incidents.length ? { totalIncidents: total } : {}),
      },
    });
  }

  const label = {
    'kb-article': 'KB article',
    playbook: 'playbook',
    'ticket-type': 'ticket type',
  };
  for (const s of figures.surveys) {
    if (s.responses < options.minSurveys) continue;
    if (s.averageRating > options.lowRating) continue;
    out.push({
      kind: 'review-low-survey-scores',
      subject: `${s.subjectKind}/${s.subject}`,
      title: `Requestors rate ${label[s.subjectKind]} ${s.subject} low`,
      detail: `${s.responses} post-resolution surveys on tickets worked with ${
        label[s.subjectKind]
      } ${s.subject} average ${s.averageRating.toFixed(
        1,
      )} out of 5. Read the comments and update it.`,
      evidence: {
        subjectKind: s.subjectKind,
        subject: s.subject,
        responses: s.responses,
        averageRating: Number(s.averageRating.toFixed(2)),
        comments: s.comments.slice(0, 5),
      },
    });
  }

  out.push(...recommendRoles(figures.roleGaps ?? []));
  return out;
}
