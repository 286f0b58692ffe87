import { IncidentProvider } from '@acme/plugin-incident-ops-node';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { makeIncident } from './__fixtures__/incidents';
import {
  asSent,
  startIncidentOpsBackend,
  tiers,
} from './__testUtils__/testBackend';

const CI = 'incident-ops.acme.com/servicenow-cmdb-ci';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'abrc1l', annotations: { [CI]: 'abrc1l' } },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/kube-admins' },
    relations: [
      { type: 'dependencyOf', targetRef: 'resource:default/livelink-prod' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'livelink-prod',
      annotations: { [CI]: 'abrc1l:livelink-prod' },
    },
    spec: { type: 'kubernetes-namespace', owner: 'group:default/kube-admins' },
    relations: [
      { type: 'dependsOn', targetRef: 'resource:default/abrc1l' },
      { type: 'dependencyOf', targetRef: 'component:default/livelink-api' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'livelink-api' },
    spec: { type: 'service', owner: 'group:default/team-leads' },
    relations: [
      { type: 'dependsOn', targetRef: 'resource:default/livelink-prod' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'docs-site' },
    spec: { type: 'website', owner: 'group:default/team-leads' },
  },
];

const incidents = [
  makeIncident({
    id: '1'.repeat(32),
    number: 'INC13070001',
    priority: 'P2',
    configurationItem: { id: 'ci1', name: 'abrc1l' },
    assignmentGroup: { id: 'g2', name: 'Atlas-L2-Platform' },
  }),
  makeIncident({
    id: '2'.repeat(32),
    number: 'INC13070002',
    priority: 'P1',
    shortDescription: 'DB connectivity failure from livelink-prod',
    category: 'network',
    subcategory: 'connectivity',
    configurationItem: { id: 'ci2', name: 'abrc1l:livelink-prod' },
    assignmentGroup: { id: 'g1', name: 'atlas-l1-support' },
  }),
  makeIncident({
    id: '3'.repeat(32),
    number: 'INC13070003',
    priority: 'P4',
    status: 'closed',
    sourceState: '7',
    configurationItem: { id: 'ci2', name: 'abrc1l:livelink-prod' },
    assignmentGroup: { id: 'g9', name: 'Service Desk' },
  }),
  makeIncident({
    id: '4'.repeat(32),
    number: 'INC13070004',
    configurationItem: { id: 'ci9', name: 'mecc' },
  }),
  // no CI of ours, but the text names the namespace
  makeIncident({
    id: '5'.repeat(32),
    number: 'INC13070005',
    priority: 'P3',
    shortDescription: 'Egress to NFS for Livelink-Prod pods',
    configurationItem: undefined,
  }),
  // on another cluster: a mention does not move it here
  makeIncident({
    id: '7'.repeat(32),
    number: 'INC13070007',
    priority: 'P3',
    shortDescription: 'Flux on rtg stuck like livelink-prod was',
    configurationItem: { id: 'ci9', name: 'rtg' },
  }),
  // filed on the cluster, naming the namespace: placed in the namespace
  makeIncident({
    id: '8'.repeat(32),
    number: 'INC13070008',
    priority: 'P4',
    shortDescription: 'Quota raise for livelink-prod',
    configurationItem: { id: 'ci1', name: 'abrc1l' },
  }),
  // a longer name that only contains it: not a mention
  makeIncident({
    id: '6'.repeat(32),
    number: 'INC13070006',
    priority: 'P3',
    shortDescription: 'quota for livelink-prod2',
    configurationItem: undefined,
  }),
];

async function startBackend(options?: {
  classification?: object;
  deny?: true;
  triggerSync?: () => Promise<void>;
  writeBack?: IncidentProvider['writeBack'];
}) {
  const { server, connection } = await startIncidentOpsBackend({
    entities,
    config: {
      incidentOps: {
        classification: options?.classification,
        tiers,
      },
    },
    deny: options?.deny,
    provider: {
      triggerSync: options?.triggerSync,
      writeBack: options?.writeBack,
    },
    // the API and its write-backs: the outbox runs when a write triggers it; the escalation
    // engine and the other tasks do not run here (they have their own tests)
    outboxOnDemand: true,
  });
  await connection.applyIncidents(asSent(incidents));
  return { server, connection };
}

describe('incident-ops plugin', () => {
  it('answers /health without credentials', async () => {
    const { server } = await startBackend();
    const res = await request(server).get('/api/incident-ops/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it("shows a cluster's own incidents and those of its namespaces", async () => {
    const { server } = await startBackend();
    const res = await request(server).get(
      '/api/incident-ops/incidents?entityRef=resource:default/abrc1l',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.number)).toEqual([
      'INC13070002',
      'INC13070001',
      'INC13070005',
      'INC13070008',
    ]);
    expect(res.body.totalOpen).toBe(4);
    // filed on the cluster, naming one of its namespaces: placed there
    expect(res.body.items[3].attachedTo).toEqual({
      entityRef: 'resource:default/livelink-prod',
      relation: 'dependent',
      by: 'mention',
    });
    expect(res.body.items[0].attachedTo).toEqual({
      entityRef: 'resource:default/livelink-prod',
      relation: 'dependent',
      by: 'cmdb-ci',
    });
    expect(res.body.items[1].attachedTo).toEqual({
      entityRef: 'resource:default/abrc1l',
      relation: 'self',
      by: 'cmdb-ci',
    });
    // tiers come from config, by group name, case-insensitively
    expect(res.body.items.map((i: any) => i.tier)).toEqual([
      'L1',
      'L2',
      'L3',
      'L3',
    ]);
    expect(res.body.entities).toEqual(
      expect.arrayContaining([
        {
          entityRef: 'resource:default/livelink-prod',
          relation: 'dependent',
          kind: 'Resource',
          type: 'kubernetes-namespace',
          configurationItem: 'abrc1l:livelink-prod',
        },
      ]),
    );
  });

  it('attaches incidents whose text names a namespace, as a whole word', async () => {
    const { server } = await startBackend();
    const res = await request(server).get(
      '/api/incident-ops/incidents?entityRef=resource:default/livelink-prod',
    );
    expect(res.status).toBe(200);
    const numbers = res.body.items.map((i: any) => i.number);
    expect(numbers).toContain('INC13070005');
    expect(numbers).not.toContain('INC13070006');
    expect(numbers).not.toContain('INC13070007');
    expect(
      res.body.items.find((i: any) => i.number === 'INC13070008').attachedTo,
    ).toEqual({
      entityRef: 'resource:default/livelink-prod',
      relation: 'self',
      by: 'mention',
    });
    expect(
      res.body.items.find((i: any) => i.number === 'INC13070005').attachedTo,
    ).toEqual({
      entityRef: 'resource:default/livelink-prod',
      relation: 'self',
      by: 'mention',
    });
    // and the internal namespace field does not leak into the response
    expect(res.body.entities[0]).not.toHaveProperty('namespace');
  });

  it("shows a service's incidents via its namespace and cluster, closed ones on request", async () => {
    const { server } = await startBackend();
    const open = await request(server).get(
      '/api/incident-ops/incidents?entityRef=component:default/livelink-api',
    );
    expect(open.status).toBe(200);
    expect(
      open.body.items.map((i: any) => [i.number, i.attachedTo.relation]),
    ).toEqual([
      ['INC13070002', 'dependency'],
      ['INC13070001', 'dependency'],
      ['INC13070005', 'dependency'],
      ['INC13070008', 'dependency'],
    ]);
    const all = await request(server).get(
      '/api/incident-ops/incidents?entityRef=component:default/livelink-api&status=all',
    );
    expect(all.body.items.map((i: any) => i.number)).toContain('INC13070003');
    const closed = all.body.items.find((i: any) => i.number === 'INC13070003');
    expect(closed.tier).toBeUndefined();
  });

  it('returns nothing, and no CI, for an entity without annotations', async () => {
    const { server } = await startBackend();
    const res = await request(server).get(
      '/api/incident-ops/incidents?entityRef=component:default/docs-site',
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.entities).toEqual([
      {
        entityRef: 'component:default/docs-site',
        relation: 'self',
        kind: 'Component',
        type: 'website',
      },
    ]);
  });

  it('rejects bad requests with 400 and unknown things with 404', async () => {
    const { server } = await startBackend();
    const missing = await request(server).get('/api/incident-ops/incidents');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/entityRef/);
    const badLimit = await request(server).get(
      '/api/incident-ops/incidents?entityRef=resource:default/abrc1l&limit=0',
    );
    expect(badLimit.status).toBe(400);
    const badStatus = await request(server).get(
      '/api/incident-ops/incidents?entityRef=resource:default/abrc1l&status=burning',
    );
    expect(badStatus.status).toBe(400);
    const unknownEntity = await request(server).get(
      '/api/incident-ops/incidents?entityRef=resource:default/nope',
    );
    expect(unknownEntity.status).toBe(404);
    expect(unknownEntity.body.error.name).toBe('NotFoundError');
    const unknownNumber = await request(server).get(
      '/api/incident-ops/incidents/INC999',
    );
    expect(unknownNumber.status).toBe(404);
    const badNumber = await request(server).get(
      '/api/incident-ops/incidents/not-a-number',
    );
    expect(badNumber.status).toBe(400);
  });

  it('serves one incident by number', async () => {
    const { server } = await startBackend();
    const res = await request(server).get(
      '/api/incident-ops/incidents/INC13070002',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      number: 'INC13070002',
      priority: 'P1',
      source: 'servicenow',
      tier: 'L1',
      // classified on the way in
      ticketType: 'connectivity',
      ticketTypeRule: 'text-connectivity-failure',
    });
  });

  it('reports the sync status of each provider', async () => {
    const { server, connection } = await startBackend();
    await connection.reportSync({
      startedAt: new Date('2026-11-25T10:00:00Z'),
      finishedAt: new Date('2026-11-25T10:00:01.500Z'),
      fetched: 4,
      stored: 4,
      quarantined: 0,
    });
    const res = await request(server).get('/api/incident-ops/sync/status');
    expect(res.status).toBe(200);
    expect(res.body.outbox).toEqual({});
    expect(res.body.providers).toEqual([
      {
        provider: 'servicenow',
        quarantined: 0,
        lastRun: {
          startedAt: '2026-11-25T10:00:00.000Z',
          finishedAt: '2026-11-25T10:00:01.500Z',
          durationMs: 1500,
          fetched: 4,
          stored: 4,
          quarantined: 0,
        },
      },
    ]);
  });

  it('reports lag and quarantine in the sync status, and lists quarantined records', async () => {
    const { server, connection } = await startBackend();
    const windowEnd = new Date(Date.now() - 90_000);
    await connection.quarantine([
      {
        key: 'f'.repeat(32),
        number: 'INC13079999',
        reason: "priority '9' is not 1-5",
        payload: { number: 'INC13079999', priority: '9' },
      },
    ]);
    await connection.reportSync({
      startedAt: new Date(),
      finishedAt: new Date(),
      fetched: 5,
      stored: 4,
      quarantined: 1,
      windowEnd,
    });
    const status = await request(server).get('/api/incident-ops/sync/status');
    expect(status.status).toBe(200);
    const [provider] = status.body.providers;
    expect(provider.quarantined).toBe(1);
    expect(provider.lagSeconds).toBeGreaterThanOrEqual(90);
    expect(provider.lagSeconds).toBeLessThan(120);

    const list = await request(server).get('/api/incident-ops/sync/quarantine');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        provider: 'servicenow',
        key: 'f'.repeat(32),
        number: 'INC13079999',
        reason: "priority '9' is not 1-5",
        payload: { number: 'INC13079999', priority: '9' },
        occurrences: 1,
      }),
    ]);
  });

  it('starts a sync on demand, through the provider', async () => {
    const triggerSync = jest.fn(async () => {});
    const { server } = await startBackend({ triggerSync });
    const res = await request(server).post('/api/incident-ops/sync');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ triggered: ['servicenow'] });
    expect(triggerSync).toHaveBeenCalledTimes(1);

    const unknown = await request(server).post(
      '/api/incident-ops/sync?provider=jira',
    );
    expect(unknown.status).toBe(400);
    expect(triggerSync).toHaveBeenCalledTimes(1);
  });

  it('answers 409 when a sync is already running', async () => {
    const { ConflictError } = jest.requireActual('@backstage/errors');
    const { server } = await startBackend({
      triggerSync: async () => {
        throw new ConflictError(
          'Task incident-ops-servicenow-sync is currently running',
        );
      },
    });
    const res = await request(server).post('/api/incident-ops/sync');
    expect(res.status).toBe(409);
  });

  it('refuses to start a sync without the permission', async () => {
    const triggerSync = jest.fn(async () => {});
    const { server } = await startBackend({ deny: true, triggerSync });
    const res = await request(server).post('/api/incident-ops/sync');
    expect(res.status).toBe(403);
    expect(triggerSync).not.toHaveBeenCalled();
  });

  it('classifies with the configured rules first', async () => {
    const { server } = await startBackend({
      classification: {
        rules: [{ id: 'db', type: 'security', pattern: 'DB connectivity' }],
      },
    });
    const res = await request(server).get(
      '/api/incident-ops/incidents/INC13070002',
    );
    expect(res.body).toMatchObject({
      ticketType: 'security',
      ticketTypeRule: 'db',
    });
  });

  it('refuses to start with an invalid classification rule, naming it', async () => {
    await expect(
      startBackend({
        classification: {
          rules: [{ id: 'x', type: 'plumbing', pattern: 'a' }],
        },
      }),
    ).rejects.toThrow(
      /Invalid config at incidentOps.classification.rules: rule 0 \(x\): type 'plumbing'/,
    );
  });

  describe('workflow transitions', () => {
    const post = (server: any, number: string, body: object) =>
      request(server)
        .post(`/api/incident-ops/incidents/${number}/transitions`)
        .send(body);

    it('moves a ticket, keeps the event, and writes it back through the outbox', async () => {
      const writeBack = jest.fn(async () => ({ outcome: 'written' as const }));
      const { server } = await startBackend({ writeBack });
      const res = await post(server, 'INC13070002', {
        to: 'awaiting-customer',
        note: 'Asked the caller for the DB host',
      });
      expect(res.status).toBe(201);
      expect(res.body.event).toMatchObject({
        type: 'transition',
        from: 'work-in-progress',
        to: 'awaiting-customer',
        actor: 'user:default/mock',
        note: 'Asked the caller for the DB host',
      });
      expect(res.body.writeBack).toEqual({
        key: expect.stringMatching(/^transition:servicenow:2{32}:\d+$/),
        status: 'pending',
      });
      const incident = await request(server).get(
        '/api/incident-ops/incidents/INC13070002',
      );
      expect(incident.body.status).toBe('awaiting-customer');

      // the outbox task delivers it once
      for (let i = 0; i < 100 && writeBack.mock.calls.length === 0; i++) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(writeBack).toHaveBeenCalledTimes(1);
      expect(writeBack).toHaveBeenCalledWith(
        expect.objectContaining({
          key: res.body.writeBack.key,
          number: 'INC13070002',
          status: 'awaiting-customer',
          expectedVersion: 3,
        }),
      );
      let events: any;
      for (let i = 0; i < 50; i++) {
        events = await request(server).get(
          '/api/incident-ops/incidents/INC13070002/events',
        );
        if (events.body.items.length === 2) break;
        await new Promise(r => setTimeout(r, 50));
      }
      expect(events.body.items.map((e: any) => e.type)).toEqual([
        'transition',
        'write-back',
      ]);
      const status = await request(server).get('/api/incident-ops/sync/status');
      expect(status.body.outbox).toEqual({ done: 1 });
    });

    it('answers 409 with the allowed statuses for an illegal move, changing nothing', async () => {
      const { server } = await startBackend();
      const res = await post(server, 'INC13070003', { to: 'work-in-progress' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'INC13070003 cannot go from closed to work-in-progress; allowed from closed: none (it is final)',
      );
      const wip = await post(server, 'INC13070002', { to: 'closed' });
      expect(wip.status).toBe(409);
      expect(wip.body.error.message).toMatch(
        /allowed from work-in-progress: awaiting-customer, escalated, resolved$/,
      );
      const events = await request(server).get(
        '/api/incident-ops/incidents/INC13070002/events',
      );
      expect(events.body.items).toEqual([]);
    });

    it('answers 400 for a bad body or resolving without a note, 404 for an unknown ticket', async () => {
      const { server } = await startBackend();
      expect(
        (await post(server, 'INC13070002', { to: 'burning' })).status,
      ).toBe(400);
      expect((await post(server, 'INC13070002', {})).status).toBe(400);
      expect(
        (await post(server, 'INC13070002', { to: 'resolved', extra: 1 }))
          .status,
      ).toBe(400);
      const noNote = await post(server, 'INC13070002', { to: 'resolved' });
      expect(noNote.status).toBe(400);
      expect(noNote.body.error.message).toMatch(/resolution note/);
      expect(
        (await post(server, 'INC999', { to: 'resolved', note: 'x' })).status,
      ).toBe(404);
      const incident = await request(server).get(
        '/api/incident-ops/incidents/INC13070002',
      );
      expect(incident.body.status).toBe('work-in-progress');
    });

    it('answers 403 without the permission, changing nothing', async () => {
      const { server } = await startBackend({ deny: true });
      const res = await post(server, 'INC13070002', {
        to: 'awaiting-customer',
      });
      expect(res.status).toBe(403);
    });
  });

  describe('manual escalation and the timeline', () => {
    const escalate = (server: any, number: string, body: object) =>
      request(server)
        .post(`/api/incident-ops/incidents/${number}/escalations`)
        .send(body);

    it('moves it one tier up with the reason, writes it back, and explains it in the timeline', async () => {
      const writeBack = jest.fn(async () => ({ outcome: 'written' as const }));
      const { server } = await startBackend({ writeBack });
      const res = await escalate(server, 'INC13070001', {
        trigger: 'stakeholder-request',
        note: 'Area lead asked for the Evangelist',
      });
      expect(res.status).toBe(201);
      expect(res.body.decision).toMatchObject({
        rule: 'manual-stakeholder-request',
        from: 'L2',
        to: 'L3',
        explanation:
          'user:default/mock escalated it (stakeholder-request): Area lead asked for the Evangelist',
      });
      const incident = await request(server).get(
        '/api/incident-ops/incidents/INC13070001',
      );
      expect(incident.body).toMatchObject({ tier: 'L3', status: 'escalated' });
      // (the write-back may already have landed and follow it)
      expect(incident.body.timeline.events.slice(0, 1)).toEqual([
        expect.objectContaining({
          type: 'escalation',
          summary:
            'user:default/mock escalated it (stakeholder-request): Area lead asked for the Evangelist',
          details: expect.objectContaining({
            rule: 'manual-stakeholder-request',
            from: 'L2',
            to: 'L3',
          }),
        }),
      ]);
      expect(incident.body.timeline.clocks).toMatchObject({
        tier: { tier: 'L3', breached: false },
        resolve: { limit: 8 * 3600_000 },
      });
      for (let i = 0; i < 100 && writeBack.mock.calls.length === 0; i++) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(writeBack).toHaveBeenCalledWith(
        expect.objectContaining({
          number: 'INC13070001',
          status: 'escalated',
          assignmentGroup: 'Atlas-L3-Evangelists',
        }),
      );
    });

    it('refuses what cannot be escalated, and bad requests, changing nothing', async () => {
      const { server } = await startBackend();
      const atL3 = await escalate(server, 'INC13070004', {
        trigger: 'complexity',
        note: 'x',
      });
      expect(atL3.status).toBe(409);
      expect(atL3.body.error.message).toMatch(/already at L3/);
      const closed = await escalate(server, 'INC13070003', {
        trigger: 'complexity',
        note: 'x',
      });
      expect(closed.status).toBe(409);
      expect(
        (await escalate(server, 'INC13070001', { trigger: 'vibes', note: 'x' }))
          .status,
      ).toBe(400);
      expect(
        (await escalate(server, 'INC13070001', { trigger: 'complexity' }))
          .status,
      ).toBe(400);
      expect(
        (await escalate(server, 'INC999', { trigger: 'complexity', note: 'x' }))
          .status,
      ).toBe(404);
      const incident = await request(server).get(
        '/api/incident-ops/incidents/INC13070001',
      );
      expect(incident.body).toMatchObject({
        tier: 'L2',
        status: 'work-in-progress',
      });
      expect(incident.body.timeline.events).toEqual([]);
    });

    it('answers 403 without the permission', async () => {
      const { server } = await startBackend({ deny: true });
      expect(
        (
          await escalate(server, 'INC13070001', {
            trigger: 'complexity',
            note: 'x',
          })
        ).status,
      ).toBe(403);
    });
  });

  it('refuses readers the permission policy denies', async () => {
    const { server } = await startBackend({ deny: true });
    const res = await request(server).get(
      '/api/incident-ops/incidents?entityRef=resource:default/abrc1l',
    );
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });
});
