import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RunningSimulator,
  Simulator,
  createSimulator,
  seedIds,
} from '@acme/servicenow-simulator';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- integration test: the module runs in its plugin
import incidentOpsPlugin from '@acme/plugin-incident-ops-backend';
import request from 'supertest';
import { incidentOpsModuleServicenow } from './module';

jest.setTimeout(120_000);

const NS = 'incident-ops.acme.com';
const KEY = '7c4e2b1a-3d5f-4a6b-9c8d-1e2f3a4b5c6d';

/**
 * "Report an incident" through the plugin, the ServiceNow module and the simulator: each
 * report is one ServiceNow incident, whatever is lost on the way.
 */
describe('reporting an incident into ServiceNow', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let sim: Simulator;
  let running: RunningSimulator;
  let port = 0;
  const stops: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    sim = createSimulator();
    running = await sim.listen(0);
    port = Number(new URL(running.url).port);
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map(s => s()));
    await running.close().catch(() => {});
  });

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const tasks = new Map<string, () => Promise<unknown>>();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: jest.fn(async task => {
        tasks.set(task.id, () => task.fn(new AbortController().signal) as any);
      }),
      triggerTask: jest.fn(async () => {}),
    });
    const backend = await startTestBackend({
      features: [
        incidentOpsPlugin,
        incidentOpsModuleServicenow,
        mockServices.database.factory({ knex }),
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            incidentOps: {
              tiers: {
                L1: { assignmentGroups: ['Atlas-L1-Support'] },
                L2: { assignmentGroups: ['Atlas-L2-Platform'] },
                L3: { assignmentGroups: ['Atlas-L3-Evangelists'] },
              },
              knowledge: { suggestOnArrival: false },
              servicenow: {
                baseUrl: running.url,
                auth: { type: 'basic', username: 'admin', password: 'admin' },
                reporting: { caller: 'incident-ops' },
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'livelink-prod',
                annotations: {
                  [`${NS}/servicenow-cmdb-ci`]: 'abrc1l:livelink-prod',
                },
              },
              spec: { type: 'kubernetes-namespace', owner: 'group:default/x' },
            },
          ],
        }),
      ],
    });
    stops.push(() => backend.stop());
    const api = (p: string) => `/api/incident-ops${p}`;
    return {
      knex,
      post: (p: string, b: object) =>
        request(backend.server).post(api(p)).send(b),
      get: (p: string) => request(backend.server).get(api(p)),
      /** Runs a scheduled task now; what waits for a retry is due first. */
      run: async (id: string) => {
        await knex('incident_reports')
          .where({ status: 'pending' })
          .update({ next_attempt_at: new Date(0) });
        await tasks.get(id)!();
      },
    };
  }

  const report = {
    clientKey: KEY,
    shortDescription: 'NFS mounts time out on livelink-prod',
    description: 'document-archive pods cannot reach nas-prd-03 (TCP 2049)',
    impact: '2',
    urgency: '1',
    entityRef: 'resource:default/livelink-prod',
  };
  const inServiceNow = () =>
    sim.store.list('incident').filter(r => r.correlation_id === KEY);

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('a lost answer: ServiceNow has it once, and the suite shows its number', async () => {
      const t = await start(databaseId);
      expect((await t.post('/incidents', report)).status).toBe(202);
      expect((await t.post('/incidents', report)).status).toBe(200);

      sim.faults.lostReplyRate = 1;
      await t.run('incident-ops-report-outbox');
      sim.faults.lostReplyRate = 0;
      await t.run('incident-ops-report-outbox');

      const [record] = inServiceNow();
      expect(inServiceNow()).toHaveLength(1);
      expect(record).toMatchObject({
        priority: '2',
        caller_id: seedIds.user('incident-ops'),
        cmdb_ci: seedIds.ci('abrc1l:livelink-prod'),
        assignment_group: seedIds.group('L2'),
      });
      expect(record.description).toContain('Reported in Backstage by');
      const state = await t.get(`/incidents/reports/${KEY}`);
      expect(state.body.incident).toMatchObject({
        status: 'filed',
        number: record.number,
      });
      // the sync brings the same record: one row, under its INC number
      await t.run('incident-ops-servicenow-sync');
      const rows = await t
        .knex('incidents')
        .where({ number: record.number })
        .orWhere({ number: state.body.incident.provisionalNumber });
      expect(rows.map(r => r.number)).toEqual([record.number]);
    });

    it('ServiceNow down: queued, then filed once when it is back', async () => {
      const t = await start(databaseId);
      await running.close();
      await t.post('/incidents', report);
      await t.run('incident-ops-report-outbox');
      const queued = await t.get(`/incidents/reports/${KEY}`);
      expect(queued.body.incident).toMatchObject({
        status: 'queued',
        lastError: expect.stringContaining('ServiceNowUnavailableError'),
      });
      const queue = await t.get('/queue');
      expect(queue.body.items.map((i: any) => i.number)).toEqual([
        queued.body.incident.provisionalNumber,
      ]);

      running = await sim.listen(port);
      await t.run('incident-ops-report-outbox');
      const filed = await t.get(`/incidents/reports/${KEY}`);
      expect(filed.body.incident.status).toBe('filed');
      expect(inServiceNow()).toHaveLength(1);
    });
  });
});
