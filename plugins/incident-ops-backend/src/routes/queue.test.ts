import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { IncidentProvider } from '@acme/plugin-incident-ops-node';
import type { Incident } from '@acme/plugin-incident-ops-common';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { makeIncident } from '../__fixtures__/incidents';
import { asSent, startIncidentOpsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const CI = 'incident-ops.acme.com/servicenow-cmdb-ci';
const MIN = 60_000;
const HOUR = 60 * MIN;

const resource = (
  name: string,
  type: string,
  ci: string,
  relations: Entity['relations'],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, annotations: { [CI]: ci } },
  spec: { type, owner: 'group:default/kube-admins' },
  relations,
});

const entities: Entity[] = [
  resource('abrc1l', 'kubernetes-cluster', 'abrc1l', [
    { type: 'dependencyOf', targetRef: 'resource:default/livelink-prod' },
  ]),
  resource('livelink-prod', 'kubernetes-namespace', 'abrc1l:livelink-prod', [
    { type: 'dependsOn', targetRef: 'resource:default/abrc1l' },
    { type: 'dependencyOf', targetRef: 'component:default/livelink-api' },
  ]),
  resource('mecc', 'kubernetes-cluster', 'mecc', []),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'livelink-api' },
    spec: { type: 'service', owner: 'group:default/team-leads' },
    relations: [
      { type: 'dependsOn', targetRef: 'resource:default/livelink-prod' },
    ],
  },
];

/**
 * Tickets whose clocks are known from the time the test starts (default SLA targets: P1
 * respond 15 min / resolve 4 h, P2 30 min / 8 h, P3 4 h / 72 h, P4 24 h / 120 h).
 */
function fixtures(now: number): Incident[] {
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  return [
    // resolve SLA breached an hour ago
    makeIncident({
      id: '1'.repeat(32),
      number: 'INC13080001',
      priority: 'P1',
      shortDescription: 'Cluster API down on abrc1l',
      configurationItem: { id: 'c1', name: 'abrc1l' },
      assignmentGroup: { id: 'g3', name: 'Atlas-L3-Evangelists' },
      openedAt: at(5 * HOUR),
      sourceUpdatedAt: at(4 * HOUR),
    }),
    // running: 7 h 20 min of 8 h left (and 20 min before L2's 60 min limit)
    makeIncident({
      id: '2'.repeat(32),
      number: 'INC13080002',
      priority: 'P2',
      shortDescription: 'Pod visibility loss in livelink-prod',
      configurationItem: { id: 'c2', name: 'abrc1l:livelink-prod' },
      assignmentGroup: { id: 'g2', name: 'Atlas-L2-Platform' },
      openedAt: at(40 * MIN),
      sourceUpdatedAt: at(30 * MIN),
    }),
    // awaiting the customer for the last 2 h: paused with 70 h left
    makeIncident({
      id: '3'.repeat(32),
      number: 'INC13080003',
      priority: 'P3',
      status: 'awaiting-customer',
      sourceState: '3',
      holdReason: '1',
      shortDescription: 'Add egress NFS access for livelink-prod',
      category: 'network',
      subcategory: 'firewall',
      configurationItem: { id: 'c2', name: 'abrc1l:livelink-prod' },
      assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
      openedAt: at(4 * HOUR),
      sourceUpdatedAt: at(2 * HOUR),
    }),
    // nobody on it: the respond clock runs, 23 h 40 min left; 10 min before L1's limit
    makeIncident({
      id: '4'.repeat(32),
      number: 'INC13080004',
      priority: 'P4',
      status: 'unassigned',
      sourceState: '1',
      shortDescription: 'Whitelist Snowflake hosts',
      configurationItem: { id: 'c9', name: 'mecc' },
      assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
      assignedTo: undefined,
      openedAt: at(20 * MIN),
      sourceUpdatedAt: at(20 * MIN),
    }),
    // closed: not in the queue unless asked for
    makeIncident({
      id: '5'.repeat(32),
      number: 'INC13080005',
      priority: 'P2',
      status: 'closed',
      sourceState: '7',
      configurationItem: { id: 'c1', name: 'abrc1l' },
      openedAt: at(30 * HOUR),
      sourceUpdatedAt: at(20 * HOUR),
      closedAt: at(20 * HOUR),
    }),
  ];
}

/** Open tickets at triage (no group, a group mapped to no tier), one at L1, one closed. */
function triageFixtures(now: number): Incident[] {
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

describe('GET /queue, GET /sync/outbox and GET /sync/unmapped-groups', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function startBackend(
    databaseId: TestDatabaseId,
    options?: {
      deny?: boolean;
      writeBack?: IncidentProvider['writeBack'];
      /** The tickets synced in; by default those above. */
      tickets?: (now: number) => Incident[];
    },
  ) {
    const { server, connection } = await startIncidentOpsBackend({
      entities,
      knex: await databases.init(databaseId),
      deny: options?.deny || undefined,
      provider: { writeBack: options?.writeBack },
      // the clocks are what is tested: no engine run moves a ticket meanwhile
      outboxOnDemand: true,
    });
    const started = Date.now();
    await connection.applyIncidents(
      asSent((options?.tickets ?? fixtures)(started)),
    );
    return { server, started };
  }

  const numbers = (res: request.Response) =>
    res.body.items.map((i: any) => i.number);

  it.each(databases.eachSupportedId())(
    'puts breached tickets first, then least time left, paused ones after, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      const res = await request(server).get('/api/incident-ops/queue');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(4);
      expect(numbers(res)).toEqual([
        'INC13080001',
        'INC13080002',
        'INC13080004',
        'INC13080003',
      ]);
      const [p1, p2, p4, p3] = res.body.items;
      expect(p1.sla).toMatchObject({ target: 'resolve', state: 'breached' });
      expect(p1.sla.overByMs).toBeGreaterThanOrEqual(HOUR);
      expect(p1.sla.overByMs).toBeLessThan(HOUR + MIN);
      expect(p2.sla).toMatchObject({ target: 'resolve', state: 'running' });
      expect(p2.sla.leftMs).toBeGreaterThan(7 * HOUR + 19 * MIN);
      expect(p2.sla.leftMs).toBeLessThanOrEqual(7 * HOUR + 20 * MIN);
      expect(Date.parse(p2.sla.dueAt)).toBeGreaterThan(Date.now());
      // nobody has worked it: first response is the clock that matters
      expect(p4.sla).toMatchObject({ target: 'respond', state: 'running' });
      expect(p4.sla.leftMs).toBeGreaterThan(23 * HOUR + 39 * MIN);
      // the two hours awaiting the customer do not count
      expect(p3.sla).toMatchObject({ target: 'resolve', state: 'paused' });
      expect(p3.sla.pausedMs).toBeGreaterThanOrEqual(2 * HOUR);
      expect(p3.sla.leftMs).toBeGreaterThan(70 * HOUR - MIN);
      expect(p3.sla.leftMs).toBeLessThanOrEqual(70 * HOUR);
      expect(p3.sla.dueAt).toBeUndefined();
      // the moves each may make now
      expect(p2.transitions).toEqual([
        'awaiting-customer',
        'escalated',
        'resolved',
      ]);
      expect(p4.transitions).toEqual(['work-in-progress', 'escalated']);
      // the tier clock: when it escalates by itself
      expect(p4.tierClock).toMatchObject({
        tier: 'L1',
        limitMs: 30 * MIN,
        breached: false,
      });
      expect(p4.tierClock.leftMs).toBeGreaterThan(9 * MIN);
      expect(p4.tierClock.leftMs).toBeLessThanOrEqual(10 * MIN);
      // the queue leaves the description to GET /incidents/{number}
      expect(p1).not.toHaveProperty('description');
    },
  );

  it.each(databases.eachSupportedId())(
    'filters by priority, tier, status and ticket type, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      const get = (qs: string) =>
        request(server).get(`/api/incident-ops/queue?${qs}`);
      expect(numbers(await get('priority=P2&priority=P3'))).toEqual([
        'INC13080002',
        'INC13080003',
      ]);
      expect(numbers(await get('priority=P4'))).toEqual(['INC13080004']);
      expect(numbers(await get('tier=L1&sort=priority'))).toEqual([
        'INC13080003',
        'INC13080004',
      ]);
      expect(numbers(await get('status=awaiting-customer'))).toEqual([
        'INC13080003',
      ]);
      // a closed ticket only when asked for
      const closed = await get('status=closed');
      expect(numbers(closed)).toEqual(['INC13080005']);
      expect(closed.body.items[0].sla.state).toBe('stopped');
      expect(closed.body.items[0].transitions).toEqual([]);
      expect(numbers(await get('ticketType=egress'))).toEqual(['INC13080003']);
      expect(numbers(await get('ticketType=egress&priority=P1'))).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'scopes to a cluster and to an entity, saying where each sits, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      const byCluster = await request(server).get(
        '/api/incident-ops/queue?cluster=abrc1l',
      );
      expect(byCluster.status).toBe(200);
      expect(numbers(byCluster)).toEqual([
        'INC13080001',
        'INC13080002',
        'INC13080003',
      ]);
      expect(byCluster.body.items[1].attachedTo).toEqual({
        entityRef: 'resource:default/livelink-prod',
        relation: 'dependent',
        by: 'cmdb-ci',
      });
      const byRef = await request(server).get(
        '/api/incident-ops/queue?cluster=resource:default/mecc',
      );
      expect(numbers(byRef)).toEqual(['INC13080004']);

      const service = await request(server).get(
        '/api/incident-ops/queue?entityRef=component:default/livelink-api&priority=P2&priority=P3',
      );
      expect(numbers(service)).toEqual(['INC13080002', 'INC13080003']);
      expect(service.body.items[0].attachedTo.relation).toBe('dependency');
      // both: what is in both scopes
      const both = await request(server).get(
        '/api/incident-ops/queue?entityRef=component:default/livelink-api&cluster=mecc',
      );
      expect(both.body).toMatchObject({ items: [], total: 0 });
    },
  );

  it.each(databases.eachSupportedId())(
    'pages in priority and opened order, with the total, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      const first = await request(server).get(
        '/api/incident-ops/queue?sort=priority&limit=2',
      );
      expect(numbers(first)).toEqual(['INC13080001', 'INC13080002']);
      expect(first.body.total).toBe(4);
      // clocks are read for the page too
      expect(first.body.items[0].sla.state).toBe('breached');
      const second = await request(server).get(
        '/api/incident-ops/queue?sort=priority&limit=2&offset=2',
      );
      expect(numbers(second)).toEqual(['INC13080003', 'INC13080004']);
      const opened = await request(server).get(
        '/api/incident-ops/queue?sort=opened',
      );
      expect(numbers(opened)).toEqual([
        'INC13080004',
        'INC13080002',
        'INC13080003',
        'INC13080001',
      ]);
      const breaching = await request(server).get(
        '/api/incident-ops/queue?limit=1&offset=1',
      );
      expect(numbers(breaching)).toEqual(['INC13080002']);
      expect(breaching.body.total).toBe(4);
    },
  );

  it.each(databases.eachSupportedId())(
    'puts the SLA clock on the Incidents card items too, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      const res = await request(server).get(
        '/api/incident-ops/incidents?entityRef=resource:default/abrc1l',
      );
      expect(res.status).toBe(200);
      const byNumber = Object.fromEntries(
        res.body.items.map((i: any) => [i.number, i.sla]),
      );
      expect(byNumber.INC13080001.state).toBe('breached');
      expect(byNumber.INC13080003.state).toBe('paused');
    },
  );

  it.each(databases.eachSupportedId())(
    'answers 400 for bad filters and 404 for an unknown cluster, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      const get = (qs: string) =>
        request(server).get(`/api/incident-ops/queue?${qs}`);
      expect((await get('priority=P9')).status).toBe(400);
      expect((await get('tier=L4')).status).toBe(400);
      expect((await get('status=burning')).status).toBe(400);
      expect((await get('sort=loudest')).status).toBe(400);
      expect((await get('limit=0')).status).toBe(400);
      expect((await get('limit=501')).status).toBe(400);
      expect((await get('offset=-1')).status).toBe(400);
      expect((await get('colour=red')).status).toBe(400);
      const unknown = await get('cluster=nope');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/No cluster nope/);
      // a namespace is not a cluster
      expect((await get('cluster=livelink-prod')).status).toBe(404);
      expect((await get('entityRef=component:default/nope')).status).toBe(404);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists write-backs, and the failing ones with their last error, on %p',
    async databaseId => {
      const writeBack = jest.fn(async () => {
        throw new Error('ServiceNow answered 503');
      });
      const { server } = await startBackend(databaseId, { writeBack });
      const moved = await request(server)
        .post('/api/incident-ops/incidents/INC13080004/transitions')
        .send({ to: 'work-in-progress' });
      expect(moved.status).toBe(201);
      const all = await request(server).get('/api/incident-ops/sync/outbox');
      expect(all.status).toBe(200);
      expect(all.body.items).toEqual([
        expect.objectContaining({
          source: 'servicenow',
          number: 'INC13080004',
          key: moved.body.writeBack.key,
        }),
      ]);
      // the outbox task is triggered by the write; wait for its failed attempt
      let failing: request.Response | undefined;
      for (let i = 0; i < 100; i++) {
        failing = await request(server).get(
          '/api/incident-ops/sync/outbox?failing=true',
        );
        if (failing.body.items.length > 0) break;
        await new Promise(r => setTimeout(r, 100));
      }
      expect(writeBack).toHaveBeenCalled();
      expect(failing!.body.items).toEqual([
        expect.objectContaining({
          number: 'INC13080004',
          status: 'pending',
          lastError: expect.stringMatching(/503/),
          attempts: 1,
        }),
      ]);
      const done = await request(server).get(
        '/api/incident-ops/sync/outbox?status=done',
      );
      expect(done.body.items).toEqual([]);
      expect(
        (await request(server).get('/api/incident-ops/sync/outbox?status=x'))
          .status,
      ).toBe(400);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses readers the permission policy denies, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId, { deny: true });
      const queue = await request(server).get('/api/incident-ops/queue');
      expect(queue.status).toBe(403);
      const outbox = await request(server).get('/api/incident-ops/sync/outbox');
      expect(outbox.status).toBe(403);
    },
  );

  // Triage: a ticket with no assignment group, or one mapped to no tier, is at L1.
  it.each(databases.eachSupportedId())(
    'shows a ticket with no tier group as L1 triage, with L1’s clock, on %p',
    async databaseId => {
      const { server } = await startBackend(databaseId, {
        tickets: triageFixtures,
      });
      const get = (path: string) =>
        request(server).get(`/api/incident-ops/${path}`);
      const res = await get('queue?sort=opened');
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
      expect(numbers(await get('queue?tier=L1&sort=opened'))).toEqual([
        'INC13090001',
        'INC13090003',
        'INC13090004',
        'INC13090002',
      ]);
      expect(numbers(await get('queue?tier=L2'))).toEqual([]);
      // a closed one with no tier is at no tier
      expect(numbers(await get('queue?status=closed&tier=L1'))).toEqual([]);

      // the Incidents card and the incident view say so too
      const card = await get('incidents?entityRef=resource:default/mecc');
      expect(
        card.body.items
          .filter((i: any) => i.triage)
          .map((i: any) => i.number)
          .sort(),
      ).toEqual(['INC13090001', 'INC13090002', 'INC13090003']);
      const one = await get('incidents/INC13090001');
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
      const { server, started } = await startBackend(databaseId, {
        tickets: triageFixtures,
      });
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
      const { server } = await startBackend(databaseId, {
        deny: true,
        tickets: triageFixtures,
      });
      const res = await request(server).get(
        '/api/incident-ops/sync/unmapped-groups',
      );
      expect(res.status).toBe(403);
    },
  );
});
