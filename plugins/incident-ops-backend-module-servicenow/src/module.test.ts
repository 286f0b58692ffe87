import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningSimulator, createSimulator } from '@acme/servicenow-simulator';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- integration test: the module runs in its plugin
import incidentOpsPlugin from '@acme/plugin-incident-ops-backend';
import request from 'supertest';
import { incidentOpsModuleServicenow } from './module';

const CI = 'incident-ops.acme.com/servicenow-cmdb-ci';

describe('incidentOpsModuleServicenow', () => {
  let running: RunningSimulator;
  const sim = createSimulator();
  beforeAll(async () => {
    running = await sim.listen(0);
  });
  afterAll(async () => {
    await running.close();
  });
  // each test's backend is stopped before the next starts: they share the simulator, and a
  // backend left running would keep syncing, escalating and writing back to it
  const started: Array<{ stop(): Promise<void> }> = [];
  const start = async (options: Parameters<typeof startTestBackend>[0]) => {
    const backend = await startTestBackend(options);
    started.push(backend);
    return backend;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map(b => b.stop()));
  });

  const config = () => ({
    incidentOps: {
      tiers: {
        L1: { assignmentGroups: ['Atlas-L1-Support'] },
        L2: { assignmentGroups: ['Atlas-L2-Platform'] },
        L3: { assignmentGroups: ['Atlas-L3-Evangelists'] },
      },
      // no work notes with knowledge suggestions on the synced tickets: this test counts
      // the write-backs and looks for tickets nobody changed
      knowledge: { suggestOnArrival: false },
      servicenow: {
        baseUrl: running.url,
        auth: { type: 'basic', username: 'admin', password: 'admin' },
        pageSize: 10,
        schedule: { frequency: { minutes: 10 }, timeout: { minutes: 1 } },
      },
    },
  });

  it('syncs the simulator into the plugin, where a cluster page finds its incidents', async () => {
    const { server } = await start({
      features: [
        incidentOpsPlugin,
        incidentOpsModuleServicenow,
        mockServices.rootConfig.factory({ data: config() }),
        mockServices.scheduler.factory(),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: { name: 'mecc', annotations: { [CI]: 'mecc' } },
              spec: { type: 'kubernetes-cluster', owner: 'group:default/x' },
              relations: [
                {
                  type: 'dependencyOf',
                  targetRef: 'resource:default/karpenter',
                },
              ],
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'karpenter',
                annotations: { [CI]: 'mecc:karpenter' },
              },
              spec: { type: 'kubernetes-namespace', owner: 'group:default/x' },
              relations: [
                { type: 'dependsOn', targetRef: 'resource:default/mecc' },
              ],
            },
          ],
        }),
      ],
    });

    // the sync task runs on start-up; wait for it to have stored something
    let body: any;
    for (let i = 0; i < 50; i++) {
      const res = await request(server).get(
        '/api/incident-ops/incidents?entityRef=resource:default/mecc',
      );
      expect(res.status).toBe(200);
      body = res.body;
      if (body.items.length > 0) break;
      await new Promise(r => setTimeout(r, 100));
    }
    // by CMDB CI, or by the namespace named in the text of a ticket without a CI or filed
    // on the namespace's own cluster
    const expected = sim.store
      .list('incident')
      .filter(r => !['6', '7', '8'].includes(r.state))
      .filter(r => {
        const ci = sim.store.get('cmdb_ci', r.cmdb_ci)?.name;
        const named = /(^|[^a-z0-9-])karpenter($|[^a-z0-9-])/i.test(
          `${r.short_description}\n${r.description}`,
        );
        return (
          ci === 'mecc' || ci === 'mecc:karpenter' || (named && !r.cmdb_ci)
        );
      })
      .map(r => r.number)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(body.items.map((i: any) => i.number).sort()).toEqual(expected);
    expect(body.items.every((i: any) => i.source === 'servicenow')).toBe(true);
    expect(
      body.items.some((i: any) => i.attachedTo.relation === 'dependent'),
    ).toBe(true);

    const status = await request(server).get('/api/incident-ops/sync/status');
    expect(status.body.providers[0]).toMatchObject({
      provider: 'servicenow',
      quarantined: 0,
      lastRun: {
        fetched: sim.store.count('incident'),
        stored: sim.store.count('incident'),
        quarantined: 0,
      },
    });
    // the window ends a minute behind ServiceNow
    expect(status.body.providers[0].lagSeconds).toBeGreaterThanOrEqual(60);

    // "sync now" starts another run through the scheduler
    const firstRun = status.body.providers[0].lastRun.startedAt;
    const trigger = await request(server).post('/api/incident-ops/sync');
    expect(trigger.status).toBe(202);
    expect(trigger.body).toEqual({ triggered: ['servicenow'] });
    let lastRun: any;
    for (let i = 0; i < 50; i++) {
      const res = await request(server).get('/api/incident-ops/sync/status');
      lastRun = res.body.providers[0].lastRun;
      if (lastRun.startedAt !== firstRun) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(lastRun.startedAt).not.toBe(firstRun);
    expect(lastRun).toMatchObject({ fetched: 0, stored: 0, quarantined: 0 });
  });

  it('writes a transition made in the suite back to ServiceNow, once', async () => {
    const { server } = await start({
      features: [
        incidentOpsPlugin,
        incidentOpsModuleServicenow,
        mockServices.rootConfig.factory({ data: config() }),
        mockServices.scheduler.factory(),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    // a ticket in progress at L3, where the engine has nowhere to send it, and not changed
    // in the last minutes (the sync window ends a minute before now)
    const l3 = sim.store
      .list('sys_user_group')
      .find(g => g.name === 'Atlas-L3-Evangelists')!.sys_id;
    const record = sim.store
      .list('incident')
      .find(
        r =>
          r.state === '2' &&
          r.assignment_group === l3 &&
          Date.parse(`${r.sys_updated_on}Z`) < Date.now() - 5 * 60_000,
      )!;
    for (let i = 0; i < 200; i++) {
      const res = await request(server).get(
        `/api/incident-ops/incidents/${record.number}`,
      );
      if (res.status === 200) break;
      await new Promise(r => setTimeout(r, 100));
    }
    const res = await request(server)
      .post(`/api/incident-ops/incidents/${record.number}/transitions`)
      .send({ to: 'awaiting-customer', note: 'Which port does the DB use?' });
    expect(res.status).toBe(201);
    for (let i = 0; i < 400; i++) {
      if (sim.store.get('incident', record.sys_id)!.state === '3') break;
      await new Promise(r => setTimeout(r, 50));
    }
    expect(sim.store.get('incident', record.sys_id)).toMatchObject({
      state: '3',
      hold_reason: '1',
    });
    const notes = sim.store
      .journal(record.sys_id, 'work_notes')
      .filter(j => j.value.includes(res.body.writeBack.key));
    expect(notes).toHaveLength(1);
    expect(notes[0].value).toMatch(
      /^Incident Ops: user:default\/mock moved INC\d+ from work-in-progress to awaiting-customer: Which port does the DB use\?/,
    );
  }, 60_000);

  it('fails start-up with the key of a bad setting', async () => {
    const bad = config();
    (bad.incidentOps.servicenow.auth as any).type = 'ntlm';
    await expect(
      startTestBackend({
        features: [
          incidentOpsPlugin,
          incidentOpsModuleServicenow,
          mockServices.rootConfig.factory({ data: bad }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      }),
    ).rejects.toThrow(
      "Invalid config at incidentOps.servicenow.auth.type: 'ntlm' is not one of basic, oauth",
    );
  });
});
