import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { Incident } from '@acme/plugin-incident-ops-common';
import request from 'supertest';
import { makeIncident } from '../__fixtures__/incidents';
import { asSent, startIncidentOpsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const MIN = 60_000;

/** Open tickets at triage (no group, a group mapped to no tier), one at L1, one closed. */
function fixtures(now: number): Incident[] {
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const ticket = (n: number, overrides: Partial<Incident>) =>
    makeIncident({
      id: String(n).repeat(32),
      number: `INC1309000${n}`,
      priority: 'P3',
      status: 'unassigned',
      sourceState: '1',
      assignedTo: undefined,
      openedAt: at(10 * MIN),
      sourceUpdatedAt: at(10 * MIN),
      ...overrides,
    });
  return [
    ticket(1, { assignmentGroup: undefined }),
    ticket(2, {
      priority: 'P4',
      assignmentGroup: { id: 'gn', name: 'Atlas-Network' },
      openedAt: at(20 * MIN),
    }),
    ticket(3, {
      priority: 'P4',
      assignmentGroup: { id: 'gn', name: 'Atlas-Network' },
    }),
    ticket(4, { assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' } }),
    ticket(5, {
      status: 'closed',
      sourceState: '7',
      closedAt: at(MIN),
      assignmentGroup: { id: 'gs', name: 'Atlas-Storage' },
    }),
  ];
}

describe('triage in the queue, the incident view and GET /sync/unmapped-groups', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function startBackend(databaseId: TestDatabaseId, deny?: true) {
    const { server, connection } = await startIncidentOpsBackend({
      knex: await databases.init(databaseId),
      deny,
      // no engine run moves a ticket meanwhile
      outboxOnDemand: true,
    });
    const started = Date.now();
    await connection.applyIncidents(asSent(fixtures(started)));
    return { server, started };
  }

  const numbers = (res: request.Response) =>
    res.body.items.map((i: any) => i.number);

  it.each(databases.eachSupportedId())(
    'shows a ticket with no tier group as L1 triage, with L1’s clock, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      const res = await request(server).get(
        '/api/incident-ops/queue?sort=opened',
      );
      expect(res.status).toBe(200);
      const byNumber = Object.fromEntries(
        res.body.items.map((i: any) => [i.number, i]),
      );
      for (const n of ['INC13090001', 'INC13090002', 'INC13090003']) {
        expect(byNumber[n]).toMatchObject({ tier: 'L1', triage: true });
        expect(byNumber[n].tierClock).toMatchObject({
          tier: 'L1',
          limitMs: 30 * MIN,
          breached: false,
        });
      }
      // counted from when it was opened: 20 minutes ago, 10 left
      expect(byNumber.INC13090002.tierClock.leftMs).toBeLessThanOrEqual(
        10 * MIN,
      );
      expect(byNumber.INC13090002.tierClock.leftMs).toBeGreaterThan(9 * MIN);
      expect(byNumber.INC13090004).toMatchObject({ tier: 'L1' });
      expect(byNumber.INC13090004).not.toHaveProperty('triage');

      // L1 takes them in; L2 does not
      const l1 = await request(server).get(
        '/api/incident-ops/queue?tier=L1&sort=opened',
      );
      expect(numbers(l1)).toEqual([
        'INC13090001',
        'INC13090003',
        'INC13090004',
        'INC13090002',
      ]);
      const l2 = await request(server).get('/api/incident-ops/queue?tier=L2');
      expect(numbers(l2)).toEqual([]);
      // a closed one with no tier is at no tier
      const closed = await request(server).get(
        '/api/incident-ops/queue?status=closed&tier=L1',
      );
      expect(numbers(closed)).toEqual([]);

      const one = await request(server).get(
        '/api/incident-ops/incidents/INC13090001',
      );
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ tier: 'L1', triage: true });
      expect(one.body.timeline.clocks.tier).toMatchObject({
        tier: 'L1',
        triage: true,
        limit: 30 * MIN,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'lists the groups mapped to no tier with their open tickets, on %p',
    async databaseId => {
      const { server, started } = await startBackend(databaseId);
      const res = await request(server).get(
        '/api/incident-ops/sync/unmapped-groups',
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            provider: 'servicenow',
            group: { id: 'gn', name: 'Atlas-Network' },
            open: 2,
            oldestOpenedAt: new Date(started - 20 * MIN).toISOString(),
          },
          {
            provider: 'servicenow',
            open: 1,
            oldestOpenedAt: new Date(started - 10 * MIN).toISOString(),
          },
        ],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'needs the read permission for the unmapped groups, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId, true);
      const res = await request(server).get(
        '/api/incident-ops/sync/unmapped-groups',
      );
      expect(res.status).toBe(403);
    },
  );
});
