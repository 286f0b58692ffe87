import request from 'supertest';
import { startBackend } from './__testUtils__/pluginBackend';

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
    // what depends on it is counted, and listed only when an incident is attached to it
    expect(res.body.scope).toEqual({ entities: 3, withConfigurationItem: 2 });
    expect(res.body.entities.map((e: any) => e.entityRef)).toEqual([
      'resource:default/livelink-prod',
      'resource:default/abrc1l',
    ]);
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

  it('refuses readers the permission policy denies', async () => {
    const { server } = await startBackend({ deny: true });
    const res = await request(server).get(
      '/api/incident-ops/incidents?entityRef=resource:default/abrc1l',
    );
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });
});
