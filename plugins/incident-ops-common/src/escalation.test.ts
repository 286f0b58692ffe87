import fc from 'fast-check';
import {
  DEFAULT_ESCALATION_POLICY as policy,
  EscalationSubject,
  atTriage,
  escalationClocks,
  evaluateEscalation,
  nextEscalationDueAt,
  pausedBetween,
} from './escalation';
import { PRIORITIES } from './priority';
import { TIERS, type Tier } from './types';
import { INCIDENT_STATUSES } from './workflow';

const T0 = Date.parse('2026-11-25T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

const subject = (s: Partial<EscalationSubject>): EscalationSubject => ({
  priority: 'P3',
  status: 'work-in-progress',
  tier: 'L1',
  tierEnteredAt: iso(0),
  openedAt: iso(0),
  respondedAt: iso(1),
  history: [{ at: iso(0), status: 'work-in-progress' }],
  ...s,
});

const rules = (s: EscalationSubject, minutes: number) =>
  evaluateEscalation(s, policy, at(minutes)).map(d => d.rule);

describe('the operational model’s rules', () => {
  it('L1 -> L2 after 30 minutes unresolved at L1', () => {
    expect(rules(subject({}), 29)).toEqual([]);
    const [d] = evaluateEscalation(subject({}), policy, at(30));
    expect(d).toMatchObject({
      action: 'escalate',
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
      explanation:
        'P3 unresolved 30 min at L1 (limit 30 min, 0 min awaiting the customer not counted)',
      clocks: { atTier: 30 * 60_000, paused: 0, limit: 30 * 60_000 },
    });
    expect(d.key).toBe(`l1-to-l2-unresolved:L1@${iso(0)}`);
  });

  it('an SLA breach at any tier moves it up once, not again at the next tier', () => {
    // a P3 at L2 (no L2 time limit for P3) not responded to in 4 h: respond SLA breached
    const atL2 = subject({ tier: 'L2', respondedAt: undefined });
    const decisions = evaluateEscalation(atL2, policy, at(240));
    expect(decisions.map(d => [d.rule, d.to])).toEqual([
      ['any-tier-sla-breach', 'L3'],
      ['sla-respond', undefined],
    ]);
    expect(decisions[0].key).toBe('any-tier-sla-breach:sla-respond');
    // the same breach at the next tier does not move it again
    const atL3Later = subject({
      tier: 'L2',
      tierEnteredAt: iso(300),
      respondedAt: undefined,
      fired: decisions.map(d => d.key),
    });
    expect(rules(atL3Later, 400)).toEqual([]);
    // and it can be turned off
    const off = { ...policy, anyTier: { onSlaBreach: false } };
    expect(evaluateEscalation(atL2, off, at(240)).map(d => d.rule)).toEqual([
      'sla-respond',
    ]);
  });

  it('flags the third P2 of a type on an entity within 7 days as recurring, once', () => {
    const p2 = (similar: number) =>
      subject({
        priority: 'P2',
        tier: 'L2',
        similarP2s: Array.from({ length: similar }, (_, n) => ({
          number: `INC00${n}`,
          openedAt: iso(-n * 60),
        })),
      });
    expect(rules(p2(1), 1)).toEqual([]);
    const [flag] = evaluateEscalation(p2(2), policy, at(1));
    expect(flag).toMatchObject({
      action: 'flag-recurring',
      rule: 'recurring-p2',
      key: 'recurring-p2:incident',
      explanation:
        'Recurring P2: 3 P2s of this type on this entity within 7 days (INC000, INC001 before it): for the weekly stakeholder review',
    });
    expect(rules({ ...p2(2), fired: [flag.key] }, 2)).toEqual([]);
  });

  it('L1 -> L2 at once for a P2', () => {
    expect(rules(subject({ priority: 'P2' }), 0)).toEqual([
      'l1-to-l2-priority',
    ]);
  });

  it('L1 -> L2 when the KB is exhausted', () => {
    expect(rules(subject({ signals: { kbExhausted: true } }), 5)).toEqual([
      'l1-to-l2-kb-exhausted',
    ]);
  });

  it('L2 -> L3 for a P2 unresolved 60 minutes at L2, not for a P3', () => {
    const p2 = subject({ priority: 'P2', tier: 'L2', tierEnteredAt: iso(10) });
    expect(rules(p2, 69)).toEqual([]);
    expect(rules(p2, 70)).toEqual(['l2-to-l3-unresolved']);
    expect(rules({ ...p2, priority: 'P3' }, 500)).toEqual([]);
  });

  it('L2 -> L3 on architectural impact', () => {
    expect(
      rules(subject({ tier: 'L2', signals: { architecturalImpact: true } }), 1),
    ).toEqual(['l2-to-l3-architectural-impact']);
  });

  it('a P1 goes straight to L3 and alerts management', () => {
    const decisions = evaluateEscalation(
      subject({ priority: 'P1' }),
      policy,
      at(0),
    );
    expect(decisions.map(d => [d.action, d.rule, d.to])).toEqual([
      ['escalate', 'p1-straight-to-l3', 'L3'],
      ['alert-management', 'p1-management-alert', undefined],
    ]);
    expect(rules(subject({ priority: 'P1', tier: 'L2' }), 0)[0]).toBe(
      'l2-to-l3-p1',
    );
    expect(rules(subject({ priority: 'P1', tier: 'L3' }), 0)).toEqual([
      'p1-management-alert',
    ]);
  });

  it('flags SLA breaches: no response, and not resolved in time', () => {
    // (at L3, where no tier rule applies)
    const unanswered = subject({
      priority: 'P2',
      tier: 'L3',
      respondedAt: undefined,
    });
    expect(rules(unanswered, 29)).toEqual([]);
    expect(rules(unanswered, 30)).toEqual(['sla-respond']);
    expect(rules(unanswered, 8 * 60)).toEqual(['sla-respond', 'sla-resolve']);
  });

  it('does not count time awaiting the customer, at the tier or on the SLA', () => {
    const s = subject({
      history: [
        { at: iso(0), status: 'work-in-progress' },
        { at: iso(10), status: 'awaiting-customer' },
        { at: iso(100), status: 'work-in-progress' },
      ],
    });
    // 110 minutes of wall time, 90 of them paused: 20 at the tier
    expect(rules(s, 110)).toEqual([]);
    const [d] = evaluateEscalation(s, policy, at(120));
    expect(d.rule).toBe('l1-to-l2-unresolved');
    expect(d.clocks).toMatchObject({
      atTier: 30 * 60_000,
      paused: 90 * 60_000,
    });
    // and no clock-based escalation while it is awaiting the customer
    const waiting = subject({
      status: 'awaiting-customer',
      history: [{ at: iso(0), status: 'awaiting-customer' }],
    });
    expect(rules(waiting, 500)).toEqual([]);
  });

  it('does nothing for resolved or closed tickets', () => {
    expect(rules(subject({ priority: 'P1', status: 'resolved' }), 999)).toEqual(
      [],
    );
    expect(rules(subject({ status: 'closed' }), 999)).toEqual([]);
  });

  it('never fires the same rule twice for the same stay, but again for a new stay', () => {
    const s = subject({});
    const first = evaluateEscalation(s, policy, at(40));
    expect(first).toHaveLength(1);
    expect(
      evaluateEscalation({ ...s, fired: [first[0].key] }, policy, at(90)),
    ).toEqual([]);
    // back at L1 later (de-escalated by hand): a new stay, its own clock
    const again = { ...s, tierEnteredAt: iso(100), fired: [first[0].key] };
    expect(rules(again, 129)).toEqual([]);
    expect(rules(again, 130)).toEqual(['l1-to-l2-unresolved']);
  });

  it('honours a policy changed at the quarterly review', () => {
    const strict = {
      ...policy,
      l1ToL2: { ...policy.l1ToL2, unresolved: { P3: 10 * 60_000 } },
    };
    expect(
      evaluateEscalation(subject({}), strict, at(10)).map(d => d.rule),
    ).toEqual(['l1-to-l2-unresolved']);
    expect(
      evaluateEscalation(subject({ priority: 'P4' }), strict, at(500)).map(
        d => d.rule,
      ),
    ).toEqual([]);
  });
});

describe('triage: no assignment group, or one mapped to no tier', () => {
  const unassigned = (s: Partial<EscalationSubject> = {}) =>
    subject({ tier: undefined, respondedAt: undefined, ...s });

  it('is L1 for an open ticket only', () => {
    expect(atTriage(unassigned())).toBe(true);
    expect(atTriage(unassigned({ status: 'resolved' }))).toBe(false);
    expect(atTriage(subject({}))).toBe(false);
  });

  it('sends an unassigned P1 to L3 at once, and alerts management', () => {
    const decisions = evaluateEscalation(
      unassigned({ priority: 'P1' }),
      policy,
      at(0),
    );
    expect(decisions.map(d => [d.action, d.rule, d.from, d.to])).toEqual([
      ['escalate', 'p1-straight-to-l3', 'L1', 'L3'],
      ['alert-management', 'p1-management-alert', undefined, undefined],
    ]);
    expect(decisions[0].explanation).toBe(
      'no assignment group: at L1 for triage; P1 at L1: P1 tickets go to L3 (Evangelist) at once',
    );
    expect(decisions[0].key).toBe(`p1-straight-to-l3:L1@${iso(0)}`);
  });

  it('sends an unassigned P2 to L2 at once, naming a group mapped to no tier', () => {
    const [d, ...rest] = evaluateEscalation(
      unassigned({ priority: 'P2', assignmentGroup: 'Atlas-Network' }),
      policy,
      at(0),
    );
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: 'l1-to-l2-priority',
      from: 'L1',
      to: 'L2',
      explanation:
        'assignment group Atlas-Network maps to no tier: at L1 for triage; P2 at L1: P2 tickets go to L2 at once',
    });
  });

  it('keeps a P3 or P4 under L1’s limit: L2 after 30 min, not before', () => {
    for (const priority of ['P3', 'P4'] as const) {
      const s = unassigned({ priority });
      expect(rules(s, 29)).toEqual([]);
      const [d] = evaluateEscalation(s, policy, at(30));
      expect(d).toMatchObject({
        rule: 'l1-to-l2-unresolved',
        from: 'L1',
        to: 'L2',
        explanation: `no assignment group: at L1 for triage; ${priority} unresolved 30 min at L1 (limit 30 min, 0 min awaiting the customer not counted)`,
      });
      expect(nextEscalationDueAt(s, policy, at(10))).toEqual(at(30));
      // once decided, not again for the same stay
      expect(rules({ ...s, fired: [d.key] }, 60)).toEqual([]);
    }
  });

  it('counts from when it lost its tier, without time awaiting the customer', () => {
    const s = unassigned({
      tierEnteredAt: iso(100),
      history: [
        { at: iso(0), status: 'work-in-progress' },
        { at: iso(110), status: 'awaiting-customer' },
        { at: iso(150), status: 'work-in-progress' },
      ],
    });
    // 30 min at triage at 170: 10 before the wait, 20 after
    expect(rules(s, 169)).toEqual([]);
    const [d] = evaluateEscalation(s, policy, at(170));
    expect(d).toMatchObject({
      rule: 'l1-to-l2-unresolved',
      clocks: { atTier: 30 * 60_000, paused: 40 * 60_000 },
    });
    expect(nextEscalationDueAt(s, policy, at(155))).toEqual(at(170));
    // and nothing while it awaits the customer
    const waiting = unassigned({
      status: 'awaiting-customer',
      history: [{ at: iso(0), status: 'awaiting-customer' }],
    });
    expect(rules(waiting, 500)).toEqual([]);
    expect(nextEscalationDueAt(waiting, policy, at(5))).toBeUndefined();
  });

  it('reads its tier clock as L1 triage', () => {
    expect(
      escalationClocks(unassigned({ priority: 'P3' }), policy, at(10)).tier,
    ).toEqual({
      tier: 'L1',
      triage: true,
      used: 10 * 60_000,
      paused: 0,
      limit: 30 * 60_000,
      left: 20 * 60_000,
      breached: false,
    });
    expect(
      escalationClocks(unassigned({ status: 'closed' }), policy, at(10)).tier,
    ).toBeUndefined();
  });
});

describe('pausedBetween', () => {
  it('adds up the awaiting-customer intervals inside the window', () => {
    const history = [
      { at: iso(0), status: 'awaiting-customer' as const },
      { at: iso(20), status: 'work-in-progress' as const },
      { at: iso(50), status: 'awaiting-customer' as const },
    ];
    expect(pausedBetween(history, T0, at(60).getTime())).toBe(30 * 60_000);
    // a window starting inside a pause counts from the window's start
    expect(pausedBetween(history, at(10).getTime(), at(30).getTime())).toBe(
      10 * 60_000,
    );
  });
});

describe('invariants (property-based)', () => {
  const arbSubject = fc
    .record({
      priority: fc.constantFrom(...PRIORITIES),
      status: fc.constantFrom(...INCIDENT_STATUSES),
      tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined }),
      enteredAfter: fc.integer({ min: 0, max: 600 }),
      responded: fc.boolean(),
      kbExhausted: fc.boolean(),
      architecturalImpact: fc.boolean(),
      changes: fc.array(
        fc.record({
          minute: fc.integer({ min: 0, max: 2000 }),
          status: fc.constantFrom(...INCIDENT_STATUSES),
        }),
        { maxLength: 8 },
      ),
    })
    .map(
      (r): EscalationSubject => ({
        priority: r.priority,
        status: r.status,
        tier: r.tier,
        openedAt: iso(0),
        tierEnteredAt: iso(r.enteredAfter),
        respondedAt: r.responded ? iso(1) : undefined,
        history: r.changes.map(c => ({ at: iso(c.minute), status: c.status })),
        signals: {
          kbExhausted: r.kbExhausted,
          architecturalImpact: r.architecturalImpact,
        },
      }),
    );
  const arbNow = fc.integer({ min: 0, max: 3000 }).map(at);

  const rank = (t?: string) => ['L1', 'L2', 'L3'].indexOf(t ?? '');

  it('never escalates downward or sideways', () => {
    fc.assert(
      fc.property(arbSubject, arbNow, (s, now) =>
        evaluateEscalation(s, policy, now)
          .filter(d => d.action === 'escalate')
          // (no tier: at L1 for triage)
          .every(d => rank(d.to) > rank(s.tier ?? 'L1')),
      ),
    );
  });

  it('never repeats a decision already taken', () => {
    fc.assert(
      fc.property(arbSubject, arbNow, arbNow, (s, a, b) => {
        const [first, later] = a <= b ? [a, b] : [b, a];
        const taken = evaluateEscalation(s, policy, first).map(d => d.key);
        return evaluateEscalation({ ...s, fired: taken }, policy, later).every(
          d => !taken.includes(d.key),
        );
      }),
    );
  });

  it('sends every open P1 below L3 to L3, and nothing else', () => {
    fc.assert(
      fc.property(arbSubject, arbNow, (s, now) => {
        const p1 = { ...s, priority: 'P1' as const };
        const open = p1.status !== 'resolved' && p1.status !== 'closed';
        const targets = evaluateEscalation(p1, policy, now)
          .filter(d => d.action === 'escalate')
          .map(d => d.to);
        // (no tier: at L1 for triage)
        const due = open && p1.tier !== 'L3';
        return due
          ? targets.length === 1 && targets[0] === 'L3'
          : targets.length === 0;
      }),
    );
  });

  it('never counts more time at the tier than has passed, nor negative time', () => {
    fc.assert(
      fc.property(arbSubject, arbNow, (s, now) => {
        const wall = Math.max(0, now.getTime() - Date.parse(s.tierEnteredAt!));
        return evaluateEscalation(s, policy, now).every(
          d =>
            d.clocks.paused >= 0 &&
            (d.clocks.atTier === undefined ||
              (d.clocks.atTier >= 0 && d.clocks.atTier <= wall)),
        );
      }),
    );
  });
});

describe('nextEscalationDueAt', () => {
  it('is when the first clock runs out', () => {
    // P3 at L1 since 0, responded: L1 limit 30 min is first
    expect(nextEscalationDueAt(subject({}), policy, at(10))).toEqual(at(30));
    // once that fired, the next is the P3 resolve target (72 h)
    const fired = evaluateEscalation(subject({}), policy, at(30)).map(
      d => d.key,
    );
    expect(nextEscalationDueAt(subject({ fired }), policy, at(30))).toEqual(
      at(72 * 60),
    );
  });

  it('is nothing while awaiting the customer or once resolved', () => {
    expect(
      nextEscalationDueAt(
        subject({ status: 'awaiting-customer' }),
        policy,
        at(5),
      ),
    ).toBeUndefined();
    expect(
      nextEscalationDueAt(subject({ status: 'resolved' }), policy, at(5)),
    ).toBeUndefined();
  });

  it('agrees with the evaluator: nothing clock-based is due before it, something is at it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PRIORITIES),
        // (no tier: at L1 for triage)
        fc.constantFrom<Tier | undefined>('L1', 'L2', 'L3', undefined),
        fc.integer({ min: 0, max: 600 }),
        fc.boolean(),
        (priority, tier, minute, responded) => {
          const s = subject({
            priority,
            tier,
            respondedAt: responded ? iso(1) : undefined,
            signals: {},
          });
          // decisions that do not depend on clocks fire at once; take them as done
          const immediate = evaluateEscalation(s, policy, at(0)).map(
            d => d.key,
          );
          const settled = { ...s, fired: immediate };
          const due = nextEscalationDueAt(settled, policy, at(minute));
          const clockRules = (when: Date) =>
            evaluateEscalation(settled, policy, when).filter(
              d => d.clocks.limit !== undefined,
            );
          if (!due) return clockRules(at(100_000)).length === 0;
          // nothing clock-based is due a moment before it (unless it is already now),
          // and something is at it
          const before = new Date(due.getTime() - 1);
          const quietBefore =
            due.getTime() === at(minute).getTime() ||
            clockRules(before).length === 0;
          return quietBefore && clockRules(due).length > 0;
        },
      ),
    );
  });
});

describe('escalationClocks', () => {
  it('reads time used, paused and left against each limit', () => {
    const s = subject({
      priority: 'P2',
      tier: 'L2',
      tierEnteredAt: iso(10),
      respondedAt: undefined,
      history: [
        { at: iso(0), status: 'work-in-progress' },
        { at: iso(20), status: 'awaiting-customer' },
        { at: iso(30), status: 'work-in-progress' },
      ],
    });
    const clocks = escalationClocks(s, policy, at(50));
    expect(clocks.tier).toEqual({
      tier: 'L2',
      used: 30 * 60_000,
      paused: 10 * 60_000,
      limit: 60 * 60_000,
      left: 30 * 60_000,
      breached: false,
    });
    expect(clocks.respond).toMatchObject({
      used: 40 * 60_000,
      left: 0,
      breached: true,
    });
    expect(clocks.resolve).toMatchObject({ left: 8 * 3600_000 - 40 * 60_000 });
  });

  it('stops clocks that no longer run', () => {
    const clocks = escalationClocks(
      subject({ status: 'resolved', respondedAt: iso(1) }),
      policy,
      at(5000),
    );
    expect(clocks.respond.breached).toBe(false);
    expect(clocks.resolve).toMatchObject({ breached: false, left: undefined });
  });
});
