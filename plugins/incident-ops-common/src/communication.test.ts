import {
  CadenceSubject,
  DEFAULT_COMMUNICATION_POLICY as policy,
  communicationObligations,
  lastDailyTime,
  missedHourlyUpdates,
  nextDailyTime,
  vendorResponseClock,
} from './communication';

const T0 = '2026-11-25T09:00:00.000Z';
const at = (hhmm: string, day = '2026-11-25') => `${day}T${hhmm}:00.000Z`;

function p2(overrides: Partial<CadenceSubject> = {}): CadenceSubject {
  return {
    priority: 'P2',
    status: 'work-in-progress',
    openedAt: T0,
    history: [{ at: T0, status: 'work-in-progress' }],
    updates: [],
    ...overrides,
  };
}

describe('communicationObligations', () => {
  it('owes a P2 resolved after 3 h 20 min exactly three hourly updates', () => {
    const subject = p2({
      status: 'resolved',
      resolvedAt: at('12:20'),
      history: [
        { at: T0, status: 'work-in-progress' },
        { at: at('12:20'), status: 'resolved' },
      ],
      updates: [{ kind: 'update', at: at('10:30') }],
    });
    const { obligations, next } = communicationObligations(
      subject,
      policy,
      new Date(at('15:00')),
    );
    expect(obligations.map(o => [o.slot, o.dueAt, o.state])).toEqual([
      [1, at('10:00'), 'missed'],
      [2, at('11:00'), 'met'],
      [3, at('12:00'), 'missed'],
    ]);
    expect(obligations[1].metAt).toBe(at('10:30'));
    expect(next).toBeUndefined();
  });

  it('shows the hour in progress as upcoming, and the next one once it is met', () => {
    const open = p2();
    expect(
      communicationObligations(open, policy, new Date(at('09:48'))).next,
    ).toEqual({
      kind: 'hourly-update',
      slot: 1,
      dueAt: at('10:00'),
      state: 'upcoming',
    });
    const updated = p2({ updates: [{ kind: 'update', at: at('09:50') }] });
    const reading = communicationObligations(
      updated,
      policy,
      new Date(at('09:55')),
    );
    expect(reading.obligations.map(o => o.state)).toEqual(['met', 'upcoming']);
    expect(reading.next).toMatchObject({ slot: 2, dueAt: at('11:00') });
  });

  it('is overdue after a missed hour until an update is sent', () => {
    const missed = communicationObligations(
      p2(),
      policy,
      new Date(at('10:10')),
    );
    expect(missed.next).toMatchObject({
      slot: 1,
      dueAt: at('10:00'),
      state: 'overdue',
    });
    const late = p2({ updates: [{ kind: 'update', at: at('10:05') }] });
    expect(
      communicationObligations(late, policy, new Date(at('10:10'))).next,
    ).toMatchObject({ slot: 3, dueAt: at('12:00'), state: 'upcoming' });
  });

  it('waives an hour that falls due while awaiting the customer', () => {
    const subject = p2({
      history: [
        { at: T0, status: 'work-in-progress' },
        { at: at('10:30'), status: 'awaiting-customer' },
        { at: at('11:30'), status: 'work-in-progress' },
      ],
    });
    expect(missedHourlyUpdates(subject, policy, new Date(at('12:05')))).toEqual(
      [1, 3],
    );
    expect(
      communicationObligations(subject, policy, new Date(at('12:05')))
        .obligations[1].state,
    ).toBe('waived');
  });

  it('gives a P1 resolved at 10:00 a post-mortem due at 10:00 the next day', () => {
    const p1: CadenceSubject = {
      priority: 'P1',
      status: 'resolved',
      openedAt: at('07:12'),
      resolvedAt: at('10:00'),
      history: [{ at: at('10:00'), status: 'resolved' }],
      updates: [],
    };
    const before = communicationObligations(p1, policy, new Date(at('18:00')));
    expect(before.obligations).toEqual([
      {
        kind: 'post-mortem',
        slot: 1,
        dueAt: at('10:00', '2026-11-26'),
        state: 'upcoming',
      },
    ]);
    expect(before.next?.dueAt).toBe(at('10:00', '2026-11-26'));
    const after = communicationObligations(
      p1,
      policy,
      new Date(at('10:01', '2026-11-26')),
    );
    expect(after.next?.state).toBe('overdue');
    const done = communicationObligations(
      {
        ...p1,
        updates: [{ kind: 'post-mortem', at: at('09:00', '2026-11-26') }],
      },
      policy,
      new Date(at('12:00', '2026-11-26')),
    );
    expect(done.obligations[0]).toMatchObject({
      state: 'met',
      metAt: at('09:00', '2026-11-26'),
    });
    expect(done.next).toBeUndefined();
  });

  it('owes no post-mortem while a P1 is open, and no hourly updates', () => {
    const open: CadenceSubject = {
      priority: 'P1',
      status: 'work-in-progress',
      openedAt: T0,
      history: [],
      updates: [],
    };
    expect(
      communicationObligations(open, policy, new Date(at('15:00'))).obligations,
    ).toEqual([]);
  });

  it('schedules the daily summary of an open P3 at the next daily time (UTC)', () => {
    const p3 = p2({ priority: 'P3' });
    expect(
      communicationObligations(p3, policy, new Date(at('07:59'))).obligations,
    ).toEqual([
      {
        kind: 'daily-summary',
        slot: '2026-11-25',
        dueAt: at('08:00'),
        state: 'scheduled',
      },
    ]);
    expect(
      communicationObligations(p3, policy, new Date(at('08:00'))).obligations[0]
        .dueAt,
    ).toBe(at('08:00', '2026-11-26'));
  });
});

describe('daily times', () => {
  it('finds the next and the last HH:MM in UTC', () => {
    const t = Date.parse(at('09:30'));
    expect(nextDailyTime('08:00', t)).toEqual({
      at: Date.parse(at('08:00', '2026-11-26')),
      date: '2026-11-26',
    });
    expect(lastDailyTime('08:00', t)).toEqual({
      at: Date.parse(at('08:00')),
      date: '2026-11-25',
    });
    expect(lastDailyTime('08:00', Date.parse(at('08:00'))).date).toBe(
      '2026-11-25',
    );
  });
});

describe('vendorResponseClock', () => {
  const engagement = { openedAt: at('10:00'), responseSla: 30 * 60_000 };

  it('runs while waiting and breaches after the SLA', () => {
    expect(vendorResponseClock(engagement, new Date(at('10:20')))).toEqual({
      respondBy: at('10:30'),
      timeToResponse: 20 * 60_000,
      responded: false,
      breached: false,
      left: 10 * 60_000,
    });
    expect(vendorResponseClock(engagement, new Date(at('10:31')))).toEqual(
      expect.objectContaining({ breached: true, left: 0 }),
    );
  });

  it('stops at the response', () => {
    expect(
      vendorResponseClock(
        { ...engagement, respondedAt: at('10:45') },
        new Date(at('12:00')),
      ),
    ).toEqual({
      respondBy: at('10:30'),
      timeToResponse: 45 * 60_000,
      responded: true,
      breached: true,
    });
  });
});
