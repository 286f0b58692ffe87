import type { ClockReading } from './clocks';
import type { Priority } from './priority';
import type { Tier } from './types';
import { type IncidentStatus, isOpenStatus } from './workflow';
import { isoMillis as ms } from './time';

/** Per priority, a duration in milliseconds; absent means "never". @public */
export type PerPriority = Partial<Record<Priority, number>>;

/**
 * The escalation policy (operational model, sections III.2 and IV). Durations are in
 * milliseconds of time at the tier, not counting time awaiting the customer.
 * @public
 */
export interface EscalationPolicy {
  l1ToL2: {
    /** Unresolved this long at L1 → L2. */
    unresolved: PerPriority;
    /** Priorities that go to L2 as soon as they are at L1 (the model: P2). */
    atOnce: Priority[];
    /** Every KB suggestion marked not helpful → L2. */
    onKbExhausted: boolean;
  };
  l2ToL3: {
    /** Unresolved this long at L2 → L3 (the model: P2 after 60 min). */
    unresolved: PerPriority;
    /** Priorities that go to L3 as soon as they are at L2 (the model: P1). */
    atOnce: Priority[];
    onArchitecturalImpact: boolean;
  };
  /** P1: straight to L3 from any tier, and a management alert. */
  p1: { straightToL3: boolean; alertManagement: boolean };
  /** Any tier: an SLA breach (respond or resolve) escalates one tier up. */
  anyTier: { onSlaBreach: boolean };
  /**
   * The same entity (CMDB CI) and ticket type with `count` P2s within `window` ms: flagged
   * for the weekly stakeholder review.
   */
  recurringP2: { count: number; window: number };
  /** SLA targets: time to respond (first work) and time to resolve, by priority. */
  sla: Record<Priority, { respond: number; resolve: number }>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The operational model's policy. The SLA targets are the suite's defaults (the model names
 * SLA breach as a trigger without figures); teams set their own in config.
 * @public
 */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  l1ToL2: {
    unresolved: { P1: 30 * MIN, P2: 30 * MIN, P3: 30 * MIN, P4: 30 * MIN },
    atOnce: ['P2'],
    onKbExhausted: true,
  },
  l2ToL3: {
    unresolved: { P2: 60 * MIN },
    atOnce: ['P1'],
    onArchitecturalImpact: true,
  },
  p1: { straightToL3: true, alertManagement: true },
  anyTier: { onSlaBreach: true },
  recurringP2: { count: 3, window: 7 * 24 * HOUR },
  sla: {
    P1: { respond: 15 * MIN, resolve: 4 * HOUR },
    P2: { respond: 30 * MIN, resolve: 8 * HOUR },
    P3: { respond: 4 * HOUR, resolve: 72 * HOUR },
    P4: { respond: 24 * HOUR, resolve: 120 * HOUR },
  },
};

/** A status the incident held from `at` on. @public */
export interface StatusChange {
  at: string;
  status: IncidentStatus;
}

/** What the evaluator needs to know about one incident. @public */
export interface EscalationSubject {
  priority: Priority;
  status: IncidentStatus;
  /** Absent: no assignment group, or one mapped to no tier (an open one is at L1 triage). */
  tier?: Tier;
  /** Since when it has been at its tier, or without one (ISO 8601). */
  tierEnteredAt?: string;
  /** Its assignment group's name (or id), for the explanation of a triage decision. */
  assignmentGroup?: string;
  openedAt: string;
  /** When someone first worked it, if anyone has. */
  respondedAt?: string;
  /** Its statuses over time, oldest first; the paused (awaiting-customer) time comes from here. */
  history: StatusChange[];
  /** Triggers raised by people or other parts of the suite. */
  signals?: { kbExhausted?: boolean; architecturalImpact?: boolean };
  /** Keys of the decisions already taken for it (see EscalationDecision.key). */
  fired?: string[];
  /**
   * Other P2s on the same entity with the same ticket type, opened within the recurring-P2
   * window before this one (for a P2 only).
   */
  similarP2s?: Array<{ number: string; openedAt: string }>;
}

/** The clock values a decision was made on, in milliseconds. @public */
export interface EscalationClocks {
  /** Time at the current tier, awaiting-customer time excluded. */
  atTier?: number;
  /** Time since opened, awaiting-customer time excluded. */
  open: number;
  paused: number;
  limit?: number;
}

/** A decision the policy says is due now, with why. @public */
export interface EscalationDecision {
  /** `escalate`, `alert-management`, `sla-breach` or `flag-recurring`. */
  action: 'escalate' | 'alert-management' | 'sla-breach' | 'flag-recurring';
  rule: string;
  from?: Tier;
  to?: Tier;
  /** A sentence a person can read: which rule, on what evidence. */
  explanation: string;
  clocks: EscalationClocks;
  /**
   * Unique for one rule and one stay at a tier (or the incident's life, for alerts and SLA
   * breaches): the same rule never fires twice for the same stay.
   */
  key: string;
}

const RANK: Record<Tier, number> = { L1: 1, L2: 2, L3: 3 };

/**
 * Whether an incident is at L1 for triage: open, with no assignment group or one mapped to
 * no tier (operational model V.5.1: Triage → Categorize → Assign tier is L1's job). Every
 * rule treats it as at L1, its stay counted from when it was opened or lost its tier.
 * @public
 */
export function atTriage(incident: {
  tier?: Tier;
  status: IncidentStatus;
}): boolean {
  return !incident.tier && isOpenStatus(incident.status);
}

/** The tier the rules see: its own, or L1 while at triage. */
const tierOf = (subject: EscalationSubject): Tier | undefined =>
  atTriage(subject) ? 'L1' : subject.tier;

/** Why a ticket at triage is at L1, to open the explanation of a decision on it. */
const triageReason = (subject: EscalationSubject) =>
  `${
    subject.assignmentGroup
      ? `assignment group ${subject.assignmentGroup} maps to no tier`
      : 'no assignment group'
  }: at L1 for triage; `;

/**
 * Time between `from` and `now` that the incident spent awaiting the customer, from its
 * status history. A change before `from` sets the status `from` starts in.
 * @public
 */
export function pausedBetween(
  history: StatusChange[],
  from: number,
  now: number,
): number {
  let paused = 0;
  let status: IncidentStatus | undefined;
  let since = from;
  for (const change of [...history].sort((a, b) => ms(a.at) - ms(b.at))) {
    const at = Math.min(Math.max(ms(change.at), from), now);
    if (status === 'awaiting-customer') paused += at - since;
    status = change.status;
    since = at;
  }
  if (status === 'awaiting-customer') paused += now - since;
  return paused;
}

const minutes = (n: number) => `${Math.round(n / MIN)} min`;

/**
 * The decisions due for an incident now, each with the rule, its evidence and the clocks
 * that fired it. Pure: time is an argument. Never escalates downward, never repeats a
 * decision already taken (by key), and a P1 below L3 is always sent to L3.
 * @public
 */
export function evaluateEscalation(
  subject: EscalationSubject,
  policy: EscalationPolicy,
  now: Date,
): EscalationDecision[] {
  const t = now.getTime();
  const fired = new Set(subject.fired ?? []);
  const decisions: EscalationDecision[] = [];
  const openFrom = ms(subject.openedAt);
  const pausedOpen = pausedBetween(subject.history, openFrom, t);
  const openClock = Math.max(0, t - openFrom - pausedOpen);
  if (subject.status === 'resolved' || subject.status === 'closed') {
    return [];
  }
  const awaiting = subject.status === 'awaiting-customer';

  const push = (d: Omit<EscalationDecision, 'key'>, stay: string) => {
    const key = `${d.rule}:${stay}`;
    if (!fired.has(key)) decisions.push({ ...d, key });
  };

  // Escalations: from the tier it is at, one step or straight to L3, upward only.
  const tier = tierOf(subject);
  if (tier && tier !== 'L3') {
    const enteredAt = ms(subject.tierEnteredAt ?? subject.openedAt);
    const paused = pausedBetween(subject.history, enteredAt, t);
    const atTier = Math.max(0, t - enteredAt - paused);
    const stay = `${tier}@${new Date(enteredAt).toISOString()}`;
    const clocks = (limit?: number): EscalationClocks => ({
      atTier,
      open: openClock,
      paused,
      limit,
    });
    // (a candidate may fire once per incident rather than once per stay: `once`)
    const candidates: Array<
      Omit<EscalationDecision, 'key'> & { once?: string }
    > = [];
    const p = subject.priority;
    const slaTarget = policy.sla[p];
    const resolveBreached = openClock >= slaTarget.resolve;
    const breached =
      resolveBreached ||
      (!subject.respondedAt && openClock >= slaTarget.respond);
    if (policy.anyTier.onSlaBreach && breached && !awaiting) {
      // each SLA breach moves it up once, not again at every tier it reaches
      const which = resolveBreached ? 'resolve' : 'respond';
      const next: Tier = tier === 'L1' ? 'L2' : 'L3';
      candidates.push({
        action: 'escalate',
        rule: 'any-tier-sla-breach',
        from: tier,
        to: next,
        explanation: `${p} SLA breached at ${tier} (${
          openClock >= slaTarget.resolve
            ? `unresolved after ${minutes(openClock)}, target ${minutes(
                slaTarget.resolve,
              )}`
            : `no response after ${minutes(openClock)}, target ${minutes(
                slaTarget.respond,
              )}`
        }): one tier up`,
        clocks: clocks(),
        once: `sla-${which}`,
      });
    }
    if (p === 'P1' && policy.p1.straightToL3) {
      candidates.push({
        action: 'escalate',
        rule: tier === 'L1' ? 'p1-straight-to-l3' : 'l2-to-l3-p1',
        from: tier,
        to: 'L3',
        explanation: `P1 at ${tier}: P1 tickets go to L3 (Evangelist) at once`,
        clocks: clocks(),
      });
    }
    if (tier === 'L1') {
      const limit = policy.l1ToL2.unresolved[p];
      if (policy.l1ToL2.atOnce.includes(p)) {
        candidates.push({
          action: 'escalate',
          rule: 'l1-to-l2-priority',
          from: 'L1',
          to: 'L2',
          explanation: `${p} at L1: ${p} tickets go to L2 at once`,
          clocks: clocks(),
        });
      }
      if (subject.signals?.kbExhausted && policy.l1ToL2.onKbExhausted) {
        candidates.push({
          action: 'escalate',
          rule: 'l1-to-l2-kb-exhausted',
          from: 'L1',
          to: 'L2',
          explanation:
            'KB exhausted: every suggested article was marked not helpful',
          clocks: clocks(),
        });
      }
      if (limit !== undefined && atTier >= limit && !awaiting) {
        candidates.push({
          action: 'escalate',
          rule: 'l1-to-l2-unresolved',
          from: 'L1',
          to: 'L2',
          explanation: `${p} unresolved ${minutes(
            atTier,
          )} at L1 (limit ${minutes(limit)}, ${minutes(
            paused,
          )} awaiting the customer not counted)`,
          clocks: clocks(limit),
        });
      }
    } else {
      const limit = policy.l2ToL3.unresolved[p];
      // (a P1 is already covered by the P1 rule when that is on)
      if (
        policy.l2ToL3.atOnce.includes(p) &&
        !(p === 'P1' && policy.p1.straightToL3)
      ) {
        candidates.push({
          action: 'escalate',
          rule: 'l2-to-l3-priority',
          from: 'L2',
          to: 'L3',
          explanation: `${p} at L2: ${p} tickets go to L3 at once`,
          clocks: clocks(),
        });
      }
      if (
        subject.signals?.architecturalImpact &&
        policy.l2ToL3.onArchitecturalImpact
      ) {
        candidates.push({
          action: 'escalate',
          rule: 'l2-to-l3-architectural-impact',
          from: 'L2',
          to: 'L3',
          explanation: 'Architectural impact: the Evangelist tier engages',
          clocks: clocks(),
        });
      }
      if (limit !== undefined && atTier >= limit && !awaiting) {
        candidates.push({
          action: 'escalate',
          rule: 'l2-to-l3-unresolved',
          from: 'L2',
          to: 'L3',
          explanation: `${p} unresolved ${minutes(
            atTier,
          )} at L2 (limit ${minutes(limit)}, ${minutes(
            paused,
          )} awaiting the customer not counted)`,
          clocks: clocks(limit),
        });
      }
    }
    // One escalation at a time: the one that goes highest, then the first by rule order.
    const keyOf = (c: (typeof candidates)[number]) =>
      `${c.rule}:${c.once ?? stay}`;
    // one escalation per stay at a tier: once one has fired, the stay is spent
    const spent = [...fired].some(k => k.endsWith(`:${stay}`));
    const best = candidates
      .filter(c => !spent && RANK[c.to!] > RANK[tier] && !fired.has(keyOf(c)))
      .sort((a, b) => RANK[b.to!] - RANK[a.to!])[0];
    if (best) {
      const { once: _once, ...decision } = best;
      if (!subject.tier) {
        decision.explanation = triageReason(subject) + decision.explanation;
      }
      push(decision, best.once ?? stay);
    }
  }

  if (subject.priority === 'P1' && policy.p1.alertManagement) {
    push(
      {
        action: 'alert-management',
        rule: 'p1-management-alert',
        explanation:
          'P1: area leads and the vendor manager are alerted by SMS and email',
        clocks: { open: openClock, paused: pausedOpen },
      },
      'incident',
    );
  }

  const similar = subject.similarP2s ?? [];
  if (
    subject.priority === 'P2' &&
    similar.length + 1 >= policy.recurringP2.count
  ) {
    push(
      {
        action: 'flag-recurring',
        rule: 'recurring-p2',
        explanation: `Recurring P2: ${
          similar.length + 1
        } P2s of this type on this entity within ${Math.round(
          policy.recurringP2.window / HOUR / 24,
        )} days (${[...similar.map(s2 => s2.number)].join(
          ', ',
        )} before it): for the weekly stakeholder review`,
        clocks: { open: openClock, paused: pausedOpen },
      },
      'incident',
    );
  }

  // SLA clocks pause while awaiting the customer, as ServiceNow's do.
  const sla = policy.sla[subject.priority];
  if (!subject.respondedAt && openClock >= sla.respond) {
    push(
      {
        action: 'sla-breach',
        rule: 'sla-respond',
        explanation: `No response after ${minutes(openClock)} (${
          subject.priority
        } target ${minutes(sla.respond)})`,
        clocks: { open: openClock, paused: pausedOpen, limit: sla.respond },
      },
      'incident',
    );
  }
  if (openClock >= sla.resolve) {
    push(
      {
        action: 'sla-breach',
        rule: 'sla-resolve',
        explanation: `Unresolved after ${minutes(openClock)} (${
          subject.priority
        } target ${minutes(sla.resolve)})`,
        clocks: { open: openClock, paused: pausedOpen, limit: sla.resolve },
      },
      'incident',
    );
  }
  return decisions;
}

/**
 * The earliest time a clock-based decision could become due for the subject, assuming it
 * stays as it is (no new signals, no status change); undefined when none can. The engine
 * stores it so a scheduled tick reads only incidents whose time has come. While the ticket
 * awaits the customer its clocks stand still, so nothing is due until it changes.
 * @public
 */
export function nextEscalationDueAt(
  subject: EscalationSubject,
  policy: EscalationPolicy,
  now: Date,
): Date | undefined {
  if (
    subject.status === 'resolved' ||
    subject.status === 'closed' ||
    subject.status === 'awaiting-customer'
  ) {
    return undefined;
  }
  const t = now.getTime();
  const fired = new Set(subject.fired ?? []);
  const candidates: number[] = [];
  const openFrom = ms(subject.openedAt);
  const openClock = t - openFrom - pausedBetween(subject.history, openFrom, t);
  const sla = policy.sla[subject.priority];
  if (!subject.respondedAt && !fired.has('sla-respond:incident')) {
    candidates.push(t + Math.max(0, sla.respond - openClock));
  }
  if (!fired.has('sla-resolve:incident')) {
    candidates.push(t + Math.max(0, sla.resolve - openClock));
  }
  const tier = tierOf(subject);
  if (tier === 'L1' || tier === 'L2') {
    const enteredAt = ms(subject.tierEnteredAt ?? subject.openedAt);
    const atTier = t - enteredAt - pausedBetween(subject.history, enteredAt, t);
    const stay = `${tier}@${new Date(enteredAt).toISOString()}`;
    const [limit, rule] =
      tier === 'L1'
        ? [policy.l1ToL2.unresolved[subject.priority], 'l1-to-l2-unresolved']
        : [policy.l2ToL3.unresolved[subject.priority], 'l2-to-l3-unresolved'];
    // One escalation per stay at a tier: once any has fired, the tier clock is spent.
    const escalated = [...fired].some(k => k.endsWith(`:${stay}`));
    if (limit !== undefined && !escalated && !fired.has(`${rule}:${stay}`)) {
      candidates.push(t + Math.max(0, limit - atTier));
    }
  }
  return candidates.length ? new Date(Math.min(...candidates)) : undefined;
}

/**
 * The incident's clocks now, for people: time at its tier against the tier's limit (at L1
 * with `triage` while it has no tier), and the SLA's respond and resolve clocks, each with
 * time used, paused (awaiting the customer) and left.
 * @public
 */
export function escalationClocks(
  subject: EscalationSubject,
  policy: EscalationPolicy,
  now: Date,
): {
  tier?: ClockReading & { tier: Tier; triage?: boolean };
  respond: ClockReading;
  resolve: ClockReading;
} {
  const t = now.getTime();
  const reading = (
    from: number,
    limit?: number,
    stopped?: boolean,
  ): ClockReading => {
    const paused = pausedBetween(subject.history, from, t);
    const used = Math.max(0, t - from - paused);
    return {
      used,
      paused,
      limit,
      left:
        limit === undefined || stopped ? undefined : Math.max(0, limit - used),
      breached: limit !== undefined && !stopped && used >= limit,
    };
  };
  const openFrom = ms(subject.openedAt);
  const sla = policy.sla[subject.priority];
  const done = subject.status === 'resolved' || subject.status === 'closed';
  const tier = tierOf(subject);
  const tierLimits: Partial<Record<Tier, PerPriority>> = {
    L1: policy.l1ToL2.unresolved,
    L2: policy.l2ToL3.unresolved,
  };
  const limit = tier ? tierLimits[tier]?.[subject.priority] : undefined;
  return {
    tier: tier
      ? {
          tier,
          ...(atTriage(subject) ? { triage: true } : {}),
          ...reading(
            ms(subject.tierEnteredAt ?? subject.openedAt),
            limit,
            done,
          ),
        }
      : undefined,
    respond: reading(openFrom, sla.respond, done || !!subject.respondedAt),
    resolve: reading(openFrom, sla.resolve, done),
  };
}
