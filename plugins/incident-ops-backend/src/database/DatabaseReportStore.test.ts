import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { createStores } from '.';
import {
  insertDecisions,
  insertIncidents,
  numberOf,
} from '../reports/__fixtures__/history';

jest.setTimeout(60_000);

describe('DatabaseReportStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  // the week of Monday 2026-11-16, and the one before it
  const week = {
    start: new Date('2026-11-16T00:00:00Z'),
    end: new Date('2026-11-23T00:00:00Z'),
  };
  const before = {
    start: new Date('2026-11-09T00:00:00Z'),
    end: week.start,
  };

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const { reports } = await createStores({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await insertIncidents(knex, [
      {
        n: 1,
        priority: 'P2',
        tier: 'L2',
        type: 'gitlab-ci-access',
        ci: 'runners',
        opened: '2026-11-16T09:00:00.000Z',
        responded: '2026-11-16T09:10:00.000Z',
        resolved: '2026-11-16T11:00:00.000Z',
      },
      {
        n: 2,
        priority: 'P2',
        tier: 'L3',
        type: 'gitlab-ci-access',
        ci: 'runners',
        opened: '2026-11-17T09:00:00.000Z',
        responded: '2026-11-17T09:30:00.000Z',
        resolved: '2026-11-17T19:00:00.000Z',
      },
      {
        n: 3,
        priority: 'P3',
        tier: 'L1',
        type: 'namespace-access',
        ci: 'mecc',
        opened: '2026-11-10T09:00:00.000Z',
      },
      // removed at the source: counted nowhere
      {
        n: 4,
        priority: 'P2',
        tier: 'L2',
        type: 'gitlab-ci-access',
        ci: 'runners',
        opened: '2026-11-18T09:00:00.000Z',
        resolved: '2026-11-18T10:00:00.000Z',
        removed: true,
      },
    ]);
    await insertDecisions(knex, [
      {
        n: 1,
        at: '2026-11-16T09:01:00.000Z',
        rule: 'l1-to-l2-priority',
        from: 'L1',
        to: 'L2',
      },
      {
        n: 2,
        at: '2026-11-17T12:00:00.000Z',
        rule: 'l2-to-l3-unresolved',
        from: 'L2',
        to: 'L3',
      },
      { n: 2, at: '2026-11-17T15:00:00.000Z', rule: 'sla-resolve' },
      {
        n: 3,
        at: '2026-11-10T10:00:00.000Z',
        rule: 'l1-to-l2-unresolved',
        from: 'L1',
        to: 'L2',
      },
      {
        n: 2,
        at: '2026-11-17T09:05:00.000Z',
        rule: 'recurring-p2',
        action: 'flag-recurring',
      },
      {
        n: 4,
        at: '2026-11-18T09:05:00.000Z',
        rule: 'recurring-p2',
        action: 'flag-recurring',
      },
    ]);
    return { knex, reports };
  }

  it.each(databases.eachSupportedId())(
    'counts escalations per period and dimension, leaving out removed tickets, %p',
    async databaseId => {
      const { reports } = await setup(databaseId);
      const cube = await reports.escalationCube([before, week]);
      expect(
        cube.map(r => [r.bucket, r.rule, r.fromTier, r.toTier, r.count]).sort(),
      ).toEqual([
        [0, 'l1-to-l2-unresolved', 'L1', 'L2', 1],
        [1, 'l1-to-l2-priority', 'L1', 'L2', 1],
        [1, 'l2-to-l3-unresolved', 'L2', 'L3', 1],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'computes medians and p90s, SLA breaches and tickets per entity, %p',
    async databaseId => {
      const { reports } = await setup(databaseId);
      const tta = await reports.durations('responded_at', week);
      expect(tta.find(r => r.dimension === 'all')).toEqual({
        dimension: 'all',
        key: 'all',
        count: 2,
        // 10 and 30 minutes
        medianMs: 20 * 60_000,
        p90Ms: 28 * 60_000,
      });
      expect(await reports.slaBreaches(week)).toEqual([
        {
          priority: 'P2',
          resolved: 2,
          respondBreached: 0,
          resolveBreached: 1,
        },
      ]);
      expect(await reports.ticketsByCi(week)).toEqual([
        { ciName: 'runners', incidents: 2, reachedL3: 1, vendorCases: 0 },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'reads the recurring-P2 flags: the list, the count and the issues, %p',
    async databaseId => {
      const { reports } = await setup(databaseId);
      expect(await reports.recurringP2s(week, 10)).toEqual([
        {
          number: numberOf(2),
          shortDescription: 'Ticket 2',
          configurationItem: 'runners',
          ticketType: 'gitlab-ci-access',
          status: 'resolved',
          openedAt: '2026-11-17T09:00:00.000Z',
          flaggedAt: '2026-11-17T09:05:00.000Z',
          explanation: `recurring-p2 on ${numberOf(2)}`,
        },
      ]);
      expect(await reports.recurringP2Count(week)).toBe(1);
      expect(await reports.recurringP2Count(before)).toBe(0);
      expect(await reports.recurringIssues(week, 5)).toEqual([
        {
          configurationItem: 'runners',
          ticketType: 'gitlab-ci-access',
          total: 1,
          incidents: [numberOf(2)],
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'sums the opened tickets per priority and type and where they were worked, %p',
    async databaseId => {
      const { reports } = await setup(databaseId);
      const opened = await reports.openedTickets(week);
      expect(opened).toEqual([
        {
          priority: 'P2',
          ticketType: 'gitlab-ci-access',
          opened: 2,
          // ticket 1 went to L2 by priority alone
          atL1: 0,
          escalatedFromL1: 0,
          everAtL1: 1,
          reachedL2: 2,
          l1Limit: 0,
          l2Limit: 1,
          slaRespond: 0,
          slaResolve: 1,
        },
      ]);
      // and nothing in the knowledge tables yet
      expect(await reports.kbUsage(week)).toEqual({
        suggestionsShown: 0,
        ticketsWithSuggestions: 0,
        markedHelpful: 0,
        markedNotHelpful: 0,
        kbExhaustedTickets: 0,
        deflections: 0,
        articles: [],
      });
    },
  );
});
