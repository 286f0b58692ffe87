import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_ESCALATION_POLICY,
  parseReportPeriod,
  ReportPeriod,
} from '@acme/plugin-incident-ops-common';
import { migrate } from '../database/migrate';
import { DatabaseReportStore } from '../database/DatabaseReportStore';
import { ReportBuilder } from './ReportBuilder';
import { reportToCsv } from './csv';
import { numberOf } from './__fixtures__/history';
import { seedWeek } from './__fixtures__/week47';

jest.setTimeout(60_000);

const MIN = 60_000;
const week = parseReportPeriod('weekly', '2026-W47') as ReportPeriod;

const stat = (key: string, count: number, median: number, p90: number) => ({
  key,
  count,
  medianMs: Math.round(median * MIN),
  p90Ms: Math.round(p90 * MIN),
});

describe('ReportBuilder', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function setUp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex } as any;
    await migrate(database);
    const builder = new ReportBuilder({
      store: new DatabaseReportStore(knex),
      policy: DEFAULT_ESCALATION_POLICY,
    });
    return { knex, builder };
  }

  it.each(databases.eachSupportedId())(
    'computes the weekly figures worked out by hand, %p',
    async databaseId => {
      const { knex, builder } = await setUp(databaseId);
      await seedWeek(knex);
      // "This solved it" twice in week 47, once in week 46
      const deflection = (at: string) => ({
        article_source: 'servicenow',
        article_id: 'KB0010001',
        text: 'egress for livelink-prod',
        actor: 'user:default/jonas.weber',
        created_at: new Date(at),
      });
      await knex('kb_deflections').insert([
        deflection('2026-11-17T09:00:00Z'),
        deflection('2026-11-22T23:59:00Z'),
        deflection('2026-11-15T12:00:00Z'),
      ]);
      const report = await builder.build(
        week,
        new Date('2026-11-23T08:00:00Z'),
      );

      expect(report.period).toEqual({
        kind: 'weekly',
        id: '2026-W47',
        start: '2026-11-16T00:00:00.000Z',
        end: '2026-11-23T00:00:00.000Z',
      });
      expect(report.trend.map(p => p.id)).toEqual([
        '2026-W40',
        '2026-W41',
        '2026-W42',
        '2026-W43',
        '2026-W44',
        '2026-W45',
        '2026-W46',
        '2026-W47',
      ]);

      // Escalations made in the week: A (P1 straight to L3), B (P2 to L2), F (30 min at
      // L1), K (stakeholder request). Not: the alert and SLA decisions, H (removed), F's
      // any-tier escalation at the week's end. G's in week 46 shows in the trend.
      const z = [0, 0, 0, 0, 0, 0];
      expect(report.escalations.total).toBe(4);
      expect(report.escalations.trend).toEqual([...z, 1, 4]);
      expect(report.escalations.byTrigger).toEqual([
        { key: 'priority', count: 2, trend: [...z, 0, 2] },
        { key: 'time-based', count: 1, trend: [...z, 1, 1] },
        { key: 'stakeholder-request', count: 1, trend: [...z, 0, 1] },
      ]);
      expect(report.escalations.byTier).toEqual([
        { key: 'L1→L2', count: 3, trend: [...z, 1, 3] },
        { key: 'L1→L3', count: 1, trend: [...z, 0, 1] },
      ]);
      expect(report.escalations.byPriority).toEqual([
        { key: 'P1', count: 1, trend: [...z, 0, 1] },
        { key: 'P2', count: 1, trend: [...z, 0, 1] },
        { key: 'P3', count: 2, trend: [...z, 1, 2] },
      ]);
      expect(report.escalations.byTicketType).toEqual([
        { key: 'egress', count: 1, trend: [...z, 1, 1] },
        { key: 'cluster-outage', count: 1, trend: [...z, 0, 1] },
        { key: 'namespace-access', count: 1, trend: [...z, 0, 1] },
        { key: 'node-provisioning', count: 1, trend: [...z, 0, 1] },
      ]);

      // Acknowledged in the week: A 10, B 45, C 60, D 40, E 90, F 15, I 30, J 120 minutes.
      // Sorted 10 15 30 40 45 60 90 120: the median sits at rank 1 + 7 x 0.5 = 4.5, between
      // 40 and 45 → 42.5; the p90 at rank 1 + 7 x 0.9 = 7.3 → 90 + 0.3 x 30 = 99.
      const tta = report.timeToAcknowledge;
      expect(tta.overall).toEqual(stat('all', 8, 42.5, 99));
      expect(tta.byPriority).toEqual([
        stat('P1', 1, 10, 10),
        stat('P2', 1, 45, 45),
        // 15 40 60: median 40; p90 at rank 2.8 → 40 + 0.8 x 20 = 56
        stat('P3', 3, 40, 56),
        // 30 90 120: median 90; p90 → 90 + 0.8 x 30 = 114
        stat('P4', 3, 90, 114),
      ]);
      expect(tta.byTier).toEqual([
        // C 60, D 40, E 90, I 30 → 30 40 60 90: median 50; p90 at 3.7 → 60 + 0.7 x 30 = 81
        stat('L1', 4, 50, 81),
        // F 15, B 45: median 30; p90 at 1.9 → 15 + 0.9 x 30 = 42
        stat('L2', 2, 30, 42),
        stat('L3', 1, 10, 10),
        stat('none', 1, 120, 120),
      ]);
      expect(tta.byTicketType).toEqual([
        stat('egress', 2, 50, 58),
        stat('gitlab-ci-access', 2, 60, 84),
        stat('cluster-outage', 1, 10, 10),
        stat('namespace-access', 1, 45, 45),
        stat('node-provisioning', 1, 15, 15),
        stat('other', 1, 120, 120),
      ]);

      // Resolved in the week: A 300, B 360, C 240, D 60, E 1440, J 240 (I at the end is
      // not). Sorted 60 240 240 300 360 1440: median (240 + 300) / 2 = 270; p90 at rank 5.5
      // → 360 + 0.5 x 1080 = 900.
      const ttr = report.timeToResolve;
      expect(ttr.overall).toEqual(stat('all', 6, 270, 900));
      expect(ttr.byPriority).toEqual([
        stat('P1', 1, 300, 300),
        stat('P2', 1, 360, 360),
        // 60 240: median 150; p90 → 60 + 0.9 x 180 = 222
        stat('P3', 2, 150, 222),
        // 240 1440: median 840; p90 → 240 + 0.9 x 1200 = 1320
        stat('P4', 2, 840, 1320),
      ]);
      expect(ttr.byTier).toEqual([
        // 60 240 1440: median 240; p90 at 2.8 → 240 + 0.8 x 1200 = 1200
        stat('L1', 3, 240, 1200),
        stat('L2', 1, 360, 360),
        stat('L3', 1, 300, 300),
        stat('none', 1, 240, 240),
      ]);

      // SLA over the tickets resolved in the week: A breached its resolve target, B its
      // respond target (recorded by the engine); H's breach does not count (removed).
      expect(report.sla).toEqual([
        {
          priority: 'P1',
          resolved: 1,
          respond: { targetMs: 15 * MIN, breached: 0, compliance: 1 },
          resolve: { targetMs: 240 * MIN, breached: 1, compliance: 0 },
        },
        {
          priority: 'P2',
          resolved: 1,
          respond: { targetMs: 30 * MIN, breached: 1, compliance: 0 },
          resolve: { targetMs: 480 * MIN, breached: 0, compliance: 1 },
        },
        {
          priority: 'P3',
          resolved: 2,
          respond: { targetMs: 240 * MIN, breached: 0, compliance: 1 },
          resolve: { targetMs: 72 * 60 * MIN, breached: 0, compliance: 1 },
        },
        {
          priority: 'P4',
          resolved: 2,
          respond: { targetMs: 24 * 60 * MIN, breached: 0, compliance: 1 },
          resolve: { targetMs: 120 * 60 * MIN, breached: 0, compliance: 1 },
        },
      ]);

      expect(report.recurringP2s).toEqual([
        {
          configurationItem: 'abrc1l:livelink-prod',
          ticketType: 'namespace-access',
          incidents: [
            {
              number: numberOf(2),
              shortDescription: 'Ticket 2',
              status: 'resolved',
              openedAt: '2026-11-17T09:00:00.000Z',
              flaggedAt: '2026-11-17T09:02:00.000Z',
              explanation: `recurring-p2 on ${numberOf(2)}`,
            },
          ],
        },
      ]);

      expect(report.recurringP2sTotal).toBe(1);

      // Surveys in the week: A 1, C 2, D 5 (G's was in week 46).
      expect(report.surveys).toEqual({
        responses: 3,
        averageRating: 2.67,
        distribution: [1, 1, 0, 0, 1],
        low: [
          expect.objectContaining({
            number: numberOf(1),
            rating: 1,
            comment: 'Nobody told us it was fixed',
            ticketType: 'cluster-outage',
          }),
          expect.objectContaining({
            number: numberOf(3),
            rating: 2,
            comment: 'Took two tries',
            ticketType: 'egress',
          }),
        ],
      });
      expect(report.kb).toEqual({
        suggestionsShown: 4,
        ticketsWithSuggestions: 3,
        markedHelpful: 2,
        markedNotHelpful: 3,
        kbExhaustedTickets: 1,
        deflections: 2,
        mostHelpful: [
          {
            source: 'servicenow',
            article: 'KB0010001',
            title: 'Request egress for a namespace',
            shown: 2,
            helpful: 2,
            notHelpful: 0,
          },
        ],
        leastHelpful: [
          {
            source: 'servicenow',
            article: 'KB0010002',
            title: 'GitLab runner access',
            shown: 2,
            helpful: 0,
            notHelpful: 2,
          },
          {
            source: 'repository',
            article: 'egress-nfs',
            shown: 0,
            helpful: 0,
            notHelpful: 1,
          },
        ],
      });

      expect(report.vendors).toEqual({
        byVendor: [
          {
            vendor: 'aws',
            opened: 1,
            responded: 1,
            respondedWithinSla: 0,
            breached: 1,
            waiting: 0,
          },
          {
            vendor: 'tanzu',
            opened: 3,
            responded: 1,
            respondedWithinSla: 1,
            breached: 1,
            waiting: 2,
          },
        ],
        breaches: [
          {
            number: numberOf(1),
            vendor: 'aws',
            caseId: 'A-1',
            openedAt: '2026-11-16T11:00:00.000Z',
            respondBy: '2026-11-16T12:00:00.000Z',
            respondedAt: '2026-11-16T13:00:00.000Z',
          },
          {
            number: numberOf(6),
            vendor: 'tanzu',
            caseId: 'T-2',
            openedAt: '2026-11-20T10:00:00.000Z',
            respondBy: '2026-11-20T14:00:00.000Z',
          },
        ],
      });

      expect(report.postMortems).toEqual({
        withinMs: 24 * 60 * MIN,
        due: 3,
        onTime: 1,
        late: 1,
        overdue: 1,
        pending: 0,
        items: [
          {
            number: numberOf(13),
            shortDescription: 'Ticket 13',
            priority: 'P1',
            resolvedAt: '2026-11-15T02:00:00.000Z',
            dueAt: '2026-11-16T02:00:00.000Z',
            state: 'overdue',
          },
          {
            number: numberOf(12),
            shortDescription: 'Ticket 12',
            priority: 'P1',
            resolvedAt: '2026-11-15T06:00:00.000Z',
            dueAt: '2026-11-16T06:00:00.000Z',
            postMortemAt: '2026-11-16T09:00:00.000Z',
            state: 'late',
          },
        ],
      });
      expect(report.recommendations).toBeUndefined();

      const csv = reportToCsv(report).split('\r\n');
      expect(csv[0]).toBe('section,dimension,key,period,metric,value');
      expect(csv).toContain('escalations,total,all,2026-W47,count,4');
      expect(csv).toContain('escalations,trigger,priority,2026-W47,count,2');
      expect(csv).toContain(
        'time-to-resolve,all,all,2026-W47,median_minutes,270',
      );
      expect(csv).toContain(
        'time-to-acknowledge,all,all,2026-W47,p90_minutes,99',
      );
      expect(csv).toContain('sla,priority,P1,2026-W47,resolve_compliance,0');
      expect(csv).toContain('kb,all,all,2026-W47,kb_exhausted_tickets,1');
      expect(csv).toContain('kb,all,all,2026-W47,deflections,2');
      expect(csv).toContain(
        'vendor-escalations,vendor,tanzu,2026-W47,breached,1',
      );
      expect(csv).toContain('post-mortems,all,all,2026-W47,overdue,1');
      expect(csv).toContain('recurring-p2,all,all,2026-W47,flagged,1');
      expect(csv).toContain(
        'surveys,low-score,INC13100001,2026-W47,comment,Nobody told us it was fixed',
      );
    },
  );

  it('computes the same percentiles on SQLite without its percentile extension', async () => {
    const { knex } = await setUp('SQLITE_3');
    await seedWeek(knex);
    const withExtension = new DatabaseReportStore(knex);
    const ranked = new DatabaseReportStore(knex);
    ranked.forceRankedPercentiles = true;
    const range = { start: new Date(week.start), end: new Date(week.end) };
    const sort = (
      rows: Awaited<ReturnType<DatabaseReportStore['durations']>>,
    ) =>
      [...rows].sort((a, b) =>
        `${a.dimension}/${a.key}`.localeCompare(`${b.dimension}/${b.key}`),
      );
    for (const column of ['responded_at', 'resolved_at'] as const) {
      const expected = sort(await withExtension.durations(column, range));
      expect(expected.length).toBeGreaterThan(10);
      expect(sort(await ranked.durations(column, range))).toEqual(expected);
    }
  });

  it.each(databases.eachSupportedId())(
    'reports an empty week as zeros and nulls, %p',
    async databaseId => {
      const { builder } = await setUp(databaseId);
      const report = await builder.build(week, new Date());
      expect(report.escalations.total).toBe(0);
      expect(report.escalations.byTrigger).toEqual([]);
      expect(report.timeToResolve.overall).toEqual({
        key: 'all',
        count: 0,
        medianMs: null,
        p90Ms: null,
      });
      expect(report.sla[0]).toMatchObject({
        resolved: 0,
        resolve: { compliance: null },
      });
      expect(report.surveys).toEqual({
        responses: 0,
        averageRating: null,
        distribution: [0, 0, 0, 0, 0],
        low: [],
      });
      expect(report.recurringP2s).toEqual([]);
      expect(report.recurringP2sTotal).toBe(0);
    },
  );
});
