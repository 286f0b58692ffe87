import * as fc from 'fast-check';
import { DEFAULT_ESCALATION_POLICY } from './escalation';
import { formatDuration, policyThresholds } from './recommendations';
import {
  ReportKind,
  escalationTriggerOf,
  isoWeeksInYear,
  parseReportPeriod,
  previousReportPeriods,
  reportPeriodContaining,
} from './reports';

describe('report periods', () => {
  it('parses ISO weeks, months and quarters in UTC', () => {
    expect(parseReportPeriod('weekly', '2026-W47')).toEqual({
      kind: 'weekly',
      id: '2026-W47',
      start: '2026-11-16T00:00:00.000Z',
      end: '2026-11-23T00:00:00.000Z',
    });
    // week 1 of 2026 starts in 2025 (it holds 2026's first Thursday)
    expect(parseReportPeriod('weekly', '2026-W01')).toMatchObject({
      start: '2025-12-29T00:00:00.000Z',
    });
    expect(parseReportPeriod('weekly', '2026-W53')).toMatchObject({
      start: '2026-12-28T00:00:00.000Z',
      end: '2027-01-04T00:00:00.000Z',
    });
    expect(parseReportPeriod('monthly', '2026-02')).toMatchObject({
      start: '2026-02-01T00:00:00.000Z',
      end: '2026-03-01T00:00:00.000Z',
    });
    expect(parseReportPeriod('quarterly', '2026-Q4')).toMatchObject({
      start: '2026-10-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
  });

  it('says what is wrong with a bad id', () => {
    const message = (kind: ReportKind, id: string) =>
      (parseReportPeriod(kind, id) as Error).message;
    expect(message('weekly', '2025-W53')).toBe(
      "'2025-W53' is not an ISO week such as 2026-W47: 2025 has weeks 01 to 52",
    );
    expect(message('weekly', '2026-W00')).toContain('weeks 01 to 53');
    expect(message('weekly', '2026-11')).toBe(
      "'2026-11' is not an ISO week such as 2026-W47",
    );
    expect(message('monthly', '2026-13')).toContain('months are 01 to 12');
    expect(message('quarterly', '2026-Q0')).toContain('Q1 to Q4');
    expect(message('monthly', '0000-01')).toContain('year out of range');
  });

  it('knows which years have 53 ISO weeks', () => {
    expect(
      [2015, 2020, 2025, 2026, 2032].map(y => [y, isoWeeksInYear(y)]),
    ).toEqual([
      [2015, 53],
      [2020, 53],
      [2025, 52],
      [2026, 53],
      [2032, 53],
    ]);
  });

  it('finds the period containing a time, and those before it', () => {
    expect(
      reportPeriodContaining('weekly', new Date('2027-01-03T23:59:59Z')).id,
    ).toBe('2026-W53');
    expect(
      reportPeriodContaining('weekly', new Date('2025-12-29T00:00:00Z')).id,
    ).toBe('2026-W01');
    expect(
      previousReportPeriods(
        parseReportPeriod('monthly', '2026-02') as any,
        3,
      ).map(p => p.id),
    ).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(
      previousReportPeriods(
        parseReportPeriod('quarterly', '2026-Q1') as any,
        2,
      ).map(p => p.id),
    ).toEqual(['2025-Q3', '2025-Q4']);
  });

  it('a time falls in the period named by the id of the period containing it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ReportKind>('weekly', 'monthly', 'quarterly'),
        fc.date({
          min: new Date('1971-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (kind, at) => {
          const period = reportPeriodContaining(kind, at);
          expect(parseReportPeriod(kind, period.id)).toEqual(period);
          expect(Date.parse(period.start)).toBeLessThanOrEqual(at.getTime());
          expect(at.getTime()).toBeLessThan(Date.parse(period.end));
          const [before] = previousReportPeriods(period, 1);
          expect(before.end).toBe(period.start);
        },
      ),
    );
  });
});

describe('escalationTriggerOf', () => {
  it('names the operational model’s trigger behind each rule', () => {
    expect(
      [
        'l1-to-l2-unresolved',
        'l2-to-l3-unresolved',
        'any-tier-sla-breach',
        'l1-to-l2-priority',
        'p1-straight-to-l3',
        'l2-to-l3-p1',
        'l1-to-l2-kb-exhausted',
        'manual-kb-exhausted',
        'l2-to-l3-architectural-impact',
        'manual-complexity',
        'manual-stakeholder-request',
        'something-new',
      ].map(escalationTriggerOf),
    ).toEqual([
      'time-based',
      'time-based',
      'time-based',
      'priority',
      'priority',
      'priority',
      'kb-exhausted',
      'kb-exhausted',
      'architectural-impact',
      'complexity',
      'stakeholder-request',
      'other',
    ]);
  });
});

describe('policyThresholds', () => {
  it('leaves out limits a priority never waits for', () => {
    const limits = policyThresholds(DEFAULT_ESCALATION_POLICY)
      .filter(t => !t.rule.startsWith('sla-'))
      .map(t => `${t.rule}/${t.priority}`);
    // P1 goes straight to L3, P2 leaves L1 at once; only P2 has an L2 limit
    expect(limits).toEqual([
      'l2-to-l3-unresolved/P2',
      'l1-to-l2-unresolved/P3',
      'l1-to-l2-unresolved/P4',
    ]);
  });
});

describe('formatDuration', () => {
  it('reads like people write it', () => {
    expect(
      [30, 90, 480, 2 * 60 + 30, 72 * 60, 30 * 60].map(m =>
        formatDuration(m * 60_000),
      ),
    ).toEqual(['30 min', '1 h 30 min', '8 h', '2 h 30 min', '3 d', '30 h']);
  });
});
