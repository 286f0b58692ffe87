// Benchmark side by side (issue 17): the proxy pattern of the community ServiceNow plugin
// (@backstage-community/plugin-servicenow-backend) against our store-backed entity list, both
// against the ServiceNow simulator with 150 ms added to each of its answers. The proxy is
// measured with our own ServiceNowClient: one live Table API query filtered by the entity's
// CMDB CI per page view, behind a route that answers what the query returned. Prints p50/p99
// of each, the ratio, and what each answers while the simulator is down; asserts nothing.
import express from 'express';
import type { AddressInfo } from 'net';
import type { Entity } from '@backstage/catalog-model';
import {
  createSimulator,
  seedIds,
  SEED_CI_NAMES,
} from '@acme/servicenow-simulator';
import {
  ServiceNowClient,
  ServiceNowIncidentProvider,
} from '@acme/plugin-incident-ops-backend-module-servicenow';
import { DatabaseIncidentStore } from '@acme/plugin-incident-ops-backend/src/database/DatabaseIncidentStore';
import { migrate } from '@acme/plugin-incident-ops-backend/src/database/migrate';
import { createProviderConnection } from '@acme/plugin-incident-ops-backend/src/sync/connection';
import { openDatabase, quietLogger } from './databases';
import { startReadBackend } from './readBackend';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const LATENCY_MS = 150;
const GENERATED = Number(process.env.BENCH_INCIDENTS ?? 20_000);
const CI = 'incident-ops.acme.com/servicenow-cmdb-ci';
const auth = { type: 'basic' as const, username: 'admin', password: 'admin' };

const PEER_PATHS = [
  'workspaces/servicenow/plugins/servicenow-backend/src/service/router.ts: GET /incidents (createRouter) calls, on every request,',
  'workspaces/servicenow/plugins/servicenow-backend/src/service-now-rest/client.ts: DefaultServiceNowClient.fetchIncidents, which turns the',
  "  entity's query parameters into one sysparm_query (plus sysparm_limit/offset, sysparm_fields, sysparm_count=true) and sends one",
  '  GET /api/now/table/incident (auth headers from service-now-rest/connection.ts); a failure is logged and answered as a 500',
  '  ("Failed to fetch incidents from ServiceNow"). Nothing is stored: each page view is a live Table API query.',
];

/** The seed's namespaces on its first cluster, as catalog entities with their CIs. */
function catalog(): { entities: Entity[]; namespace: string; ci: string } {
  const cis = SEED_CI_NAMES.filter(n => n.includes(':'));
  const cluster = cis[0].split(':')[0];
  const mine = cis.filter(n => n.startsWith(`${cluster}:`));
  const resource = (name: string, type: string, ci: string, rel: any[]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', annotations: { [CI]: ci } },
    spec: { type, owner: 'group:default/kube-admins' },
    relations: rel,
  });
  const entities: Entity[] = [
    resource(
      cluster,
      'kubernetes-cluster',
      cluster,
      mine.map(n => ({
        type: 'dependencyOf',
        targetRef: `resource:default/${n.split(':')[1]}`,
      })),
    ),
    ...mine.map(n =>
      resource(n.split(':')[1], 'kubernetes-namespace', n, [
        { type: 'dependsOn', targetRef: `resource:default/${cluster}` },
      ]),
    ),
  ];
  return { entities, namespace: mine[0].split(':')[1], ci: mine[0] };
}

/** The proxy: a route that asks the Table API for the entity's incidents on every request. */
async function startProxy(baseUrl: string) {
  const client = new ServiceNowClient({
    baseUrl,
    auth,
    logger: quietLogger,
    // as the peer: one attempt (axios, no retries), a 30 s timeout
    maxAttempts: 1,
    timeoutMs: 30_000,
  });
  const app = express();
  app.get('/incidents', async (req, res) => {
    try {
      const { records } = await client.listPage('incident', {
        sysparm_query: `cmdb_ci=${req.query.ci}^active=true^ORDERBYDESCopened_at`,
        sysparm_fields:
          'sys_id,number,short_description,description,sys_created_on,priority,incident_state',
        sysparm_limit: '100',
        sysparm_offset: '0',
        sysparm_count: 'true',
      });
      res.json({ items: records });
    } catch (e) {
      res.status(500).json({
        error: 'Failed to fetch incidents from ServiceNow',
        cause: String(e),
      });
    }
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise(r => server.close(r)),
  };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function timed(runs: number, fn: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p99: pct(ms, 99) };
}

async function main() {
  const sim = createSimulator({ generatedIncidents: GENERATED });
  sim.faults.latencyMs = LATENCY_MS;
  const running = await sim.listen(0, '127.0.0.1');
  const simUrl = running.url;
  const { db, close } = await openDatabase('sqlite');
  const { entities, namespace, ci } = catalog();
  try {
    // our side: the store, filled by a sync from the simulator
    const database = { getClient: async () => db } as any;
    await migrate(database);
    const store = await DatabaseIncidentStore.create({ database });
    const provider = new ServiceNowIncidentProvider({
      config: {
        baseUrl: simUrl,
        auth,
        pageSize: 1000,
        schedule: { frequency: { minutes: 5 }, timeout: { minutes: 10 } },
        reconcileSchedule: {
          frequency: { hours: 1 },
          timeout: { minutes: 30 },
        },
        runBudgetMs: 3600_000,
        reconcile: { maxRemovalShare: 0.2 },
      },
      client: new ServiceNowClient({
        baseUrl: simUrl,
        auth,
        logger: quietLogger,
      }),
      logger: quietLogger,
      lagMs: 0,
    });
    await provider.connect(
      createProviderConnection({
        store,
        source: 'servicenow',
        tierOf: () => undefined,
      }),
    );
    const synced = await provider.sync();
    const backend = await startReadBackend(db, entities);
    const proxy = await startProxy(simUrl);
    const ours = () =>
      backend.get(
        `/incidents?entityRef=resource:default/${namespace}&status=open`,
      );
    const theirs = async () => {
      const res = await fetch(`${proxy.url}/incidents?ci=${seedIds.ci(ci)}`);
      return { status: res.status, body: await res.json() };
    };
    try {
      const [a, b] = [await ours(), await theirs()];
      console.log(
        `Peer benchmark: ${synced.stored} incidents synced from the simulator (+${LATENCY_MS} ms a call); entity resource:default/${namespace} (CMDB CI ${ci}): ours lists ${a.body.items.length} open, the proxy ${b.body.items?.length} active`,
      );
      const store = await timed(RUNS, ours);
      const live = await timed(RUNS, theirs);
      console.log(
        `store-backed GET /incidents?entityRef= (ours)     p50 ${store.p50.toFixed(
          1,
        )} ms  p99 ${store.p99.toFixed(1)} ms  (${RUNS} runs)`,
      );
      console.log(
        `live Table API proxy (the peer's pattern)          p50 ${live.p50.toFixed(
          1,
        )} ms  p99 ${live.p99.toFixed(1)} ms  (${RUNS} runs)`,
      );
      console.log(
        `ratio proxy/ours: p50 ${(live.p50 / store.p50).toFixed(1)}x, p99 ${(
          live.p99 / store.p99
        ).toFixed(1)}x`,
      );

      await running.close();
      const downOurs = await ours().then(
        r =>
          `200, ${
            r.body.items.length
          } incidents from the store (in ${r.ms.toFixed(0)} ms)`,
        e => `failed: ${e}`,
      );
      const t = performance.now();
      const downTheirs = await theirs();
      console.log('While the simulator is down:');
      console.log(`  ours:  ${downOurs}`);
      console.log(
        `  proxy: ${downTheirs.status} ${JSON.stringify(downTheirs.body).slice(
          0,
          160,
        )} (in ${(performance.now() - t).toFixed(0)} ms)`,
      );
    } finally {
      await proxy.close();
      await backend.stop();
    }
    console.log(
      [
        'The peer pattern mirrors @backstage-community/plugin-servicenow-backend (backstage/community-plugins):',
        ...PEER_PATHS.map(p => `  ${p}`),
        'The peer itself could not be run: its only published version, 1.14.1, requires',
        '@backstage-community/plugin-servicenow-common at run time, which the registry reachable here does not serve.',
      ].join('\n'),
    );
  } finally {
    await close();
    await running.close().catch(() => {});
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
