import type { ClockReading } from './clocks';
import { compareByBreach, slaClock } from './queue';

const MIN = 60_000;
const now = new Date('2026-11-26T10:00:00Z');

const reading = (over: Partial<ClockReading>): ClockReading => ({
  used: 0,
  paused: 0,
  breached: false,
  ...over,
});

describe('slaClock', () => {
  it('follows the respond clock while nobody has worked the ticket', () => {
    const clock = slaClock(
      {
        respond: reading({ used: 10 * MIN, limit: 15 * MIN, left: 5 * MIN }),
        resolve: reading({ used: 10 * MIN, limit: 240 * MIN, left: 230 * MIN }),
      },
      'unassigned',
      now,
    );
    expect(clock).toEqual({
      target: 'respond',
      state: 'running',
      limitMs: 15 * MIN,
      usedMs: 10 * MIN,
      pausedMs: 0,
      leftMs: 5 * MIN,
      dueAt: '2026-11-26T10:05:00.000Z',
    });
  });

  it('keeps showing a missed first response as breached', () => {
    const clock = slaClock(
      {
        respond: reading({ used: 20 * MIN, limit: 15 * MIN, breached: true }),
        resolve: reading({ used: 20 * MIN, limit: 240 * MIN, left: 220 * MIN }),
      },
      'unassigned',
      now,
    );
    expect(clock).toMatchObject({
      target: 'respond',
      state: 'breached',
      overByMs: 5 * MIN,
    });
    expect(clock.dueAt).toBeUndefined();
  });

  it('follows the resolve clock once answered, paused while awaiting the customer', () => {
    const clocks = {
      // answered: its respond reading has stopped
      respond: reading({ used: 50 * MIN, limit: 15 * MIN }),
      resolve: reading({
        used: 50 * MIN,
        paused: 30 * MIN,
        limit: 240 * MIN,
        left: 190 * MIN,
      }),
    };
    expect(slaClock(clocks, 'awaiting-customer', now)).toEqual({
      target: 'resolve',
      state: 'paused',
      limitMs: 240 * MIN,
      usedMs: 50 * MIN,
      pausedMs: 30 * MIN,
      leftMs: 190 * MIN,
    });
    expect(slaClock(clocks, 'work-in-progress', now)).toMatchObject({
      state: 'running',
      dueAt: '2026-11-26T13:10:00.000Z',
    });
    expect(slaClock(clocks, 'resolved', now).state).toBe('stopped');
  });
});

describe('compareByBreach', () => {
  const item = (
    number: string,
    sla: Parameters<typeof compareByBreach>[0]['sla'],
    priority: 'P1' | 'P2' | 'P3' | 'P4' = 'P3',
    openedAt = '2026-11-26T08:00:00Z',
  ) => ({ number, sla, priority, openedAt });
  const base = {
    target: 'resolve',
    limitMs: 0,
    usedMs: 0,
    pausedMs: 0,
  } as const;

  it('orders breached (most overdue first), running (least left), paused, then the rest', () => {
    const items = [
      item('stopped', { ...base, state: 'stopped' }),
      item('paused-short', { ...base, state: 'paused', leftMs: 1 }),
      item('running-long', { ...base, state: 'running', leftMs: 90 * MIN }),
      item('none', undefined),
      item('breached-a-bit', { ...base, state: 'breached', overByMs: MIN }),
      item('running-short', { ...base, state: 'running', leftMs: 5 * MIN }),
      item('breached-long', { ...base, state: 'breached', overByMs: 60 * MIN }),
    ];
    expect(items.sort(compareByBreach).map(i => i.number)).toEqual([
      'breached-long',
      'breached-a-bit',
      'running-short',
      'running-long',
      'paused-short',
      'stopped',
      'none',
    ]);
  });

  it('breaks ties by priority, then the oldest first', () => {
    const sla = { ...base, state: 'running', leftMs: MIN } as const;
    const items = [
      item('p3-new', sla, 'P3', '2026-11-26T09:00:00Z'),
      item('p1', sla, 'P1', '2026-11-26T09:30:00Z'),
      item('p3-old', sla, 'P3', '2026-11-26T07:00:00Z'),
    ];
    expect(items.sort(compareByBreach).map(i => i.number)).toEqual([
      'p1',
      'p3-old',
      'p3-new',
    ]);
  });
});
