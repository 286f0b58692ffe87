import { DEFAULT_COMMUNICATION_POLICY } from './communication';
import { DEFAULT_NOTIFICATION_RULES } from './notifications';
import {
  cadenceForPriority,
  previewPriority,
  tierForPriority,
} from './reporting';

describe('previewPriority', () => {
  it.each([
    ['1', '1', 'P1', 'L3'],
    ['1', '2', 'P2', 'L2'],
    ['2', '1', 'P2', 'L2'],
    ['2', '2', 'P3', 'L1'],
    ['1', '3', 'P3', 'L1'],
    ['2', '3', 'P4', 'L1'],
    // 5 Planning is the suite's P4
    ['3', '3', 'P4', 'L1'],
  ] as const)(
    'impact %s × urgency %s is %s at %s',
    (impact, urgency, priority, tier) => {
      expect(previewPriority(impact, urgency)).toEqual({ priority, tier });
    },
  );

  it('refuses codes outside 1-3', () => {
    expect(() => previewPriority('4' as any, '1')).toThrow(/must be 1-3/);
  });

  it('sends P1 to L3, P2 to L2, P3 and P4 to L1', () => {
    expect(
      ['P1', 'P2', 'P3', 'P4'].map(p => tierForPriority(p as any)),
    ).toEqual(['L3', 'L2', 'L1', 'L1']);
  });
});

describe('cadenceForPriority', () => {
  const cadence = (
    p: 'P1' | 'P2' | 'P3' | 'P4',
    policy = DEFAULT_COMMUNICATION_POLICY,
  ) => cadenceForPriority(p, policy, DEFAULT_NOTIFICATION_RULES);

  it('P1: real time to stakeholders, requestor included, and a post-mortem', () => {
    const c = cadence('P1');
    expect(c.kind).toBe('real-time');
    expect(c.postMortemWithinHours).toBe(24);
    expect(c.audience).toEqual(
      expect.arrayContaining([
        'requestor',
        'team-lead',
        'evangelist',
        'area-lead',
      ]),
    );
    expect(c.summary).toMatch(/every change.*post-mortem within 24 h/);
  });

  it('P2: an update every hour to the requestor', () => {
    const c = cadence('P2');
    expect(c).toMatchObject({ kind: 'hourly', everyMinutes: 60 });
    expect(c.audience).toContain('requestor');
    expect(c.summary).toBe('An update every 60 minutes until resolved');
  });

  it('P3 and P4: a daily summary to the requestor at the configured time', () => {
    expect(cadence('P3')).toEqual({
      kind: 'daily',
      dailyAt: '08:00',
      audience: ['requestor'],
      summary: 'A daily summary at 08:00 UTC',
    });
    expect(cadence('P4').kind).toBe('daily');
  });

  it('follows the configured policy', () => {
    const policy = {
      ...DEFAULT_COMMUNICATION_POLICY,
      hourlyUpdates: { priorities: ['P2', 'P3'] as any, every: 30 * 60_000 },
      dailySummary: { priorities: ['P4'] as any, at: '07:30' },
    };
    expect(cadence('P3', policy)).toMatchObject({
      kind: 'hourly',
      everyMinutes: 30,
    });
    expect(cadence('P4', policy).dailyAt).toBe('07:30');
  });
});
