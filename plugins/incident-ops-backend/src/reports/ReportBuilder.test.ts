import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_ESCALATION_POLICY,
  parseReportPeriod,
  ReportPeriod,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import { migrate } from '../database/migrate';
import { DatabaseReportStore } from '../database/DatabaseReportStore';
import { ReportBuilder } from './ReportBuilder';
import { reportToCsv } from './csv';
import {
  insertArticles,
  insertDecisions,
  insertIncidents,
  insertKnowledgeUse,
  insertPostMortems,
  insertSurveys,
  insertVendorCases,
  numberOf,
} from './__fixtures__/history';

jest.setTimeout(60_000);

const MIN = 60_000;
const week = parseReportPeriod('weekly', '2026-W47') as ReportPeriod;

/**
 * Week 47 of 2026 runs from Monday 16 November 00:00 UTC to Monday 23 November 00:00 UTC.
 * The history, by incident (number 1…11):
 *   1 A  P1 L3 cluster-outage   opened 16th 10:00, responded +10 min, resolved +300 min
 *   2 B  P2 L2 namespace-access opened 17th 09:00, responded +45,     resolved +360
 *   3 C  P3 L1 egress           opened 18th 08:00, responded +60,     resolved +240
 *   4 D  P3 L1 egress           opened 18th 10:00, responded +40,     resolved +60
 *   5 E  P4 L1 gitlab-ci-access opened 19th 12:00, responded +90,     resolved +1440
 *   6 F  P3 L2 node-provisioning opened 20th 09:00, responded +15,    still open
 *   7 G  P3 L1 egress           all in week 46 (10th–11th): outside
 *   8 H  P2 L2 namespace-access removed at the source: never counted
 *   9 I  P4 L1 gitlab-ci-access opened 22nd 20:00, responded +30, resolved 23rd 00:00 (the
 *        week's end, exclusive: not resolved in it)
 *  10 J  P4 no tier, other      opened 15th 22:00 (week 46), responded 16th 00:00 (+120,
 *        the week's start, inclusive), resolved +240
 *  11 K  P3 L2 egress           opened 19th 10:00, no response yet
 *  12 L  P1 L3 cluster-outage   resolved 15th 06:00 (week 46): post-mortem due 16th 06:00
 *  13 M  P1 L3 cluster-outage   resolved 15th 02:00 (week 46): post-mortem due 16th 02:00
 */
async function seedWeek(db: Knex) {
  const d = (day: number, hm: string) =>
    `2026-11-${String(day).padStart(2, '0')}T${hm}:00.000Z`;
  await insertIncidents(db, [
    {
      n: 1,
      priority: 'P1',
      tier: 'L3',
      type: 'cluster-outage',
      opened: d(16, '10:00'),
      responded: d(16, '10:10'),
      resolved: d(16, '15:00'),
    },
    {
      n: 2,
      priority: 'P2',
      tier: 'L2',
      type: 'namespace-access',
      ci: 'abrc1l:livelink-prod',
      opened: d(17, '09:00'),
      responded: d(17, '09:45'),
      resolved: d(17, '15:00'),
    },
    {
      n: 3,
      priority: 'P3',
      tier: 'L1',
      type: 'egress',
      opened: d(18, '08:00'),
      responded: d(18, '09:00'),
      resolved: d(18, '12:00'),
    },
    {
      n: 4,
      priority: 'P3',
      tier: 'L1',
      type: 'egress',
      opened: d(18, '10:00'),
      responded: d(18, '10:40'),
      resolved: d(18, '11:00'),
    },
    {
      n: 5,
      priority: 'P4',
      tier: 'L1',
      type: 'gitlab-ci-access',
      opened: d(19, '12:00'),
      responded: d(19, '13:30'),
      resolved: d(20, '12:00'),
    },
    {
      n: 6,
      priority: 'P3',
      tier: 'L2',
      type: 'node-provisioning',
      opened: d(20, '09:00'),
      responded: d(20, '09:15'),
    },
    {
      n: 7,
      priority: 'P3',
      tier: 'L1',
      type: 'egress',
      opened: d(10, '09:00'),
      responded: d(10, '09:30'),
      resolved: d(11, '09:00'),
    },
    {
      n: 8,
      priority: 'P2',
      tier: 'L2',
      type: 'namespace-access',
      ci: 'abrc1l:livelink-prod',
      opened: d(17, '08:00'),
      responded: d(17, '08:05'),
      resolved: d(18, '08:00'),
      removed: true,
    },
    {
      n: 9,
      priority: 'P4',
      tier: 'L1',
      type: 'gitlab-ci-access',
      opened: d(22, '20:00'),
      responded: d(22, '20:30'),
      resolved: d(23, '00:00'),
    },
    {
      n: 10,
      priority: 'P4',
      type: 'other',
      opened: d(15, '22:00'),
      responded: d(16, '00:00'),
      resolved: d(16, '02:00'),
    },
    {
      n: 11,
      priority: 'P3',
      tier: 'L2',
      type: 'egress',
      opened: d(19, '10:00'),
    },
  ]);
  await insertDecisions(db, [
    {
      n: 1,
      at: d(16, '10:01'),
      rule: 'p1-straight-to-l3',
      from: 'L1',
      to: 'L3',
    },
    {
      n: 1,
      at: d(16, '10:01'),
      rule: 'p1-management-alert',
      action: 'alert-management',
    },
    { n: 1, at: d(16, '14:00'), rule: 'sla-resolve' },
    {
      n: 2,
      at: d(17, '09:01'),
      rule: 'l1-to-l2-priority',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 2,
      at: d(17, '09:02'),
      rule: 'recurring-p2',
      action: 'flag-recurring',
    },
    { n: 2, at: d(17, '09:30'), rule: 'sla-respond' },
    {
      n: 6,
      at: d(20, '09:31'),
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 6,
      at: d(23, '00:00'),
      rule: 'any-tier-sla-breach',
      from: 'L2',
      to: 'L3',
    },
    {
      n: 11,
      at: d(19, '11:00'),
      rule: 'manual-stakeholder-request',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 7,
      at: d(10, '09:31'),
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
    },
    { n: 7, at: d(10, '20:00'), rule: 'sla-resolve' },
    {
      n: 8,
      at: d(17, '08:01'),
      rule: 'l1-to-l2-priority',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 8,
      at: d(17, '08:02'),
      rule: 'recurring-p2',
      action: 'flag-recurring',
    },
    { n: 8, at: d(17, '16:00'), rule: 'sla-resolve' },
  ]);
  await insertSurveys(db, [
    {
      n: 1,
      rating: 1,
      comment: 'Nobody told us it was fixed',
      at: d(17, '10:00'),
    },
    { n: 3, rating: 2, comment: 'Took two tries', at: d(19, '10:00') },
    { n: 4, rating: 5, at: d(19, '11:00') },
    { n: 7, rating: 4, at: d(12, '10:00') },
  ]);
  await insertIncidents(db, [
    {
      n: 12,
      priority: 'P1',
      tier: 'L3',
      type: 'cluster-outage',
      opened: d(14, '08:00'),
      resolved: d(15, '06:00'),
    },
    {
      n: 13,
      priority: 'P1',
      tier: 'L3',
      type: 'cluster-outage',
      opened: d(15, '01:00'),
      resolved: d(15, '02:00'),
    },
  ]);

  // KB: suggestions on C (KB1, KB2), D (KB1), E (KB2) in the week, on G in week 46; C and D
  // found KB1 helpful, C and E did not find KB2 helpful, E neither the repository article;
  // E ran out of suggestions (twice recorded), G in week 46.
  await insertArticles(db, [
    { number: 'KB0010001', title: 'Request egress for a namespace' },
    { number: 'KB0010002', title: 'GitLab runner access' },
  ]);
  await insertKnowledgeUse(db, {
    shown: [
      { n: 3, article: 'KB0010001', at: d(18, '08:01') },
      { n: 3, article: 'KB0010002', at: d(18, '08:01') },
      { n: 4, article: 'KB0010001', at: d(18, '10:01') },
      { n: 5, article: 'KB0010002', at: d(19, '12:01') },
      { n: 7, article: 'KB0010001', at: d(10, '09:01') },
    ],
    feedback: [
      { n: 3, article: 'KB0010001', helpful: true, at: d(18, '08:30') },
      { n: 3, article: 'KB0010002', helpful: false, at: d(18, '08:20') },
      { n: 4, article: 'KB0010001', helpful: true, at: d(18, '10:30') },
      { n: 5, article: 'KB0010002', helpful: false, at: d(19, '12:30') },
      {
        n: 5,
        article: 'egress-nfs',
        source: 'repository',
        helpful: false,
        at: d(19, '12:31'),
      },
      { n: 7, article: 'KB0010001', helpful: false, at: d(10, '09:10') },
    ],
    exhausted: [
      { n: 5, at: d(19, '12:31') },
      { n: 5, at: d(19, '12:32') },
      { n: 7, at: d(10, '09:11') },
    ],
  });

  // Vendor cases (the report is made on the 23rd at 08:00): answered in time, answered
  // late, unanswered past its SLA, unanswered within it; one in week 46.
  await insertVendorCases(db, [
    {
      n: 1,
      vendor: 'tanzu',
      caseId: 'T-1',
      opened: d(16, '10:30'),
      slaMinutes: 60,
      responded: d(16, '11:00'),
    },
    {
      n: 1,
      vendor: 'aws',
      caseId: 'A-1',
      opened: d(16, '11:00'),
      slaMinutes: 60,
      responded: d(16, '13:00'),
    },
    {
      n: 6,
      vendor: 'tanzu',
      caseId: 'T-2',
      opened: d(20, '10:00'),
      slaMinutes: 240,
    },
    {
      n: 11,
      vendor: 'tanzu',
      caseId: 'T-3',
      opened: d(22, '23:00'),
      slaMinutes: 600,
    },
    {
      n: 7,
      vendor: 'aws',
      caseId: 'A-0',
      opened: d(10, '10:00'),
      slaMinutes: 60,
    },
  ]);

  // Post-mortems due in the week (24 h after a P1's resolution): A's on time, L's late,
  // M's missing (overdue).
  await insertPostMortems(db, [
    { n: 1, at: d(17, '12:00') },
    { n: 12, at: d(16, '09:00') },
  ]);
}

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
