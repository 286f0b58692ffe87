import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createSimulator, Simulator } from '@acme/servicenow-simulator';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- integration test: the module runs in its plugin
import incidentOpsPlugin from '@acme/plugin-incident-ops-backend';
import express from 'express';
import fs from 'fs';
import knexFactory, { type Knex } from 'knex';
import { AddressInfo } from 'net';
import path from 'path';
import request from 'supertest';
import { incidentOpsModuleServicenow } from '../../module';

/**
 * What the fault matrix shares: the simulator behind a counting proxy, backends with the real
 * (database-locked) scheduler on fast schedules, the workload, and the checks that every
 * valid record is stored once and every write-back is in ServiceNow once and in order.
 */

/** Which databases a fault test runs on: both, or PostgreSQL alone. */
export function faultDatabases(ids: ('POSTGRES_15' | 'SQLITE_3')[]) {
  return TestDatabases.create({ ids });
}

/**
 * The test that stands for a PostgreSQL-only one without PostgreSQL
 * (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING unset): fine locally, an error in CI.
 */
export const withoutPostgres = () => expect(process.env.CI).toBeFalsy();

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs / 1000} s waiting for ${what}`,
      );
    }
    await sleep(200);
  }
}

/** The simulator, served over HTTP behind a proxy that counts and can add faults of its own. */
export interface SimulatorUnderTest {
  sim: Simulator;
  url: string;
  /** Pages of incidents served (GET of the incident table, answered 200). */
  pages: number;
  /** Writes applied to incidents (whatever happened to their answers), in order. */
  applied: { id: string; input: Record<string, unknown> }[];
  /** Table API answers that were errors, by status ('reset': the connection dropped). */
  errors: Record<string, number>;
  /** Adds a handler in front of the simulator, for a fault of the test's own. */
  use(handler: express.RequestHandler): void;
  close(): Promise<void>;
}

export async function startSimulator(
  options: { generatedIncidents?: number } = {},
): Promise<SimulatorUnderTest> {
  const sim = createSimulator({
    generatedIncidents: options.generatedIncidents,
  });
  const handlers: express.RequestHandler[] = [];
  const applied: SimulatorUnderTest['applied'] = [];
  const update = sim.store.update.bind(sim.store);
  sim.store.update = (table, sysId, input, opts) => {
    const result = update(table, sysId, input, opts);
    if (result && table === 'incident') applied.push({ id: sysId, input });
    return result;
  };
  const outer = express();
  const sut = {
    sim,
    url: '',
    pages: 0,
    applied,
    errors: {} as Record<string, number>,
    use: (h: express.RequestHandler) => handlers.push(h),
    close: async () => {},
  };
  outer.use((req, res, next) => {
    if (req.path.startsWith('/api/')) {
      res.on('close', () => {
        const key = res.writableFinished ? String(res.statusCode) : 'reset';
        if (key === 'reset' || res.statusCode >= 400) {
          sut.errors[key] = (sut.errors[key] ?? 0) + 1;
        }
      });
    }
    if (req.method === 'GET' && req.path.endsWith('/table/incident')) {
      res.on('finish', () => {
        if (res.statusCode === 200) sut.pages++;
      });
    }
    next();
  });
  outer.use((req, res, next) => {
    const chain = [...handlers];
    const step = (err?: unknown): void => {
      if (err) return next(err);
      const h = chain.shift();
      if (!h) return next();
      return h(req, res, step);
    };
    step();
  });
  outer.use(sim.app);
  const server = outer.listen(0, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
  sut.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sut.close = () =>
    new Promise<void>(r => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return sut;
}

export const TIERS = {
  L1: { assignmentGroups: ['Atlas-L1-Support'] },
  L2: { assignmentGroups: ['Atlas-L2-Platform'] },
  L3: { assignmentGroups: ['Atlas-L3-Evangelists'] },
};

const fast = { frequency: { seconds: 1 }, timeout: { seconds: 30 } };

/** Config for a backend syncing from `url`, every task on a one-second tick. */
export function faultConfig(url: string) {
  return {
    backend: { baseUrl: 'http://localhost:0' },
    incidentOps: {
      tiers: TIERS,
      schedules: { outbox: fast, escalation: fast, notifications: fast },
      // a work note of suggestions on each new ticket: many write-backs to check
      knowledge: { suggestOnArrival: true },
      servicenow: {
        baseUrl: url,
        auth: { type: 'basic', username: 'admin', password: 'admin' },
        pageSize: 50,
        schedule: fast,
      },
    },
  };
}

/** A backend with the plugin, the module and Backstage's real scheduler, on `knex`. */
export function startBackend(knex: Knex, config: object) {
  return startTestBackend({
    features: [
      incidentOpsPlugin,
      incidentOpsModuleServicenow,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.database.factory({ knex }),
      schedulerServiceFactory,
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
}

type Server = Parameters<typeof request>[0];

/** The sys_ids of the simulator's incidents. */
const simIncidents = (sut: SimulatorUnderTest) =>
  sut.sim.store.list('incident').map(r => r.sys_id);

/** Waits until every incident of the simulator is stored, and returns how many are. */
export async function waitSynced(
  knex: Knex,
  sut: SimulatorUnderTest,
  timeoutMs = 60_000,
) {
  const want = simIncidents(sut).length;
  return waitFor(
    `${want} incidents stored`,
    async () => {
      const [{ n }] = await knex('incidents')
        .where({ source: 'servicenow' })
        .count({ n: '*' });
      return Number(n) >= want && Number(n);
    },
    timeoutMs,
  );
}

/** The numbers of `count` tickets at work, from the queue. */
export async function ticketsAtWork(server: Server, count: number) {
  const working: string[] = (
    await request(server).get(
      `/api/incident-ops/queue?status=work-in-progress&limit=${count}`,
    )
  ).body.items.map((i: { number: string }) => i.number);
  expect(working.length).toBe(count);
  return working;
}

/** The simulator's sys_id of the incident `number`. */
export const sysIdOf = (sut: SimulatorUnderTest, number: string) =>
  sut.sim.store.list('incident').find(r => r.number === number)!.sys_id;

/** The number of the simulator's incident `sysId`. */
export const numberOf = (sut: SimulatorUnderTest, sysId: string) =>
  sut.sim.store.get('incident', sysId)!.number;

/**
 * Changes made in the suite that go back to ServiceNow: each ticket put on hold for the
 * customer and then back to work at once (two write-backs per ticket, which must arrive in
 * that order), through each of `servers` in turn. Returns the write-backs' keys.
 */
export async function holdAndResume(servers: Server[], numbers: string[]) {
  const keys: string[] = [];
  for (const number of numbers) {
    for (const to of ['awaiting-customer', 'work-in-progress']) {
      const res = await request(servers[keys.length % servers.length])
        .post(`/api/incident-ops/incidents/${number}/transitions`)
        .send({ to, note: `fault matrix: ${to}` });
      expect([number, to, res.status, res.body.error?.message]).toEqual([
        number,
        to,
        201,
        undefined,
      ]);
      keys.push(res.body.writeBack.key);
    }
  }
  return keys;
}

interface OutboxRow {
  id: number;
  dedupe_key: string;
  source_id: string;
  status: string;
  payload: string;
  last_error: string | null;
}

/**
 * Waits until no write-back is pending or running and the outbox has not grown for 2 s (the
 * engine and the arrival suggestions have nothing more to queue).
 */
export async function waitDrained(knex: Knex, timeoutMs = 90_000) {
  let last = -1;
  let since = Date.now();
  try {
    return await waitFor(
      'the outbox to drain',
      async () => {
        const rows = await knex('incident_outbox').select('status');
        const open = rows.some(r => ['pending', 'running'].includes(r.status));
        if (open || rows.length !== last) {
          last = rows.length;
          since = Date.now();
        }
        return Date.now() - since >= 2000 && rows.length;
      },
      timeoutMs,
    );
  } catch (e) {
    const open = await knex('incident_outbox')
      .whereIn('status', ['pending', 'running'])
      .select('dedupe_key', 'status', 'attempts', 'last_error');
    throw new Error(`${(e as Error).message}: ${JSON.stringify(open)}`);
  }
}

export interface Figures {
  /** Incidents stored from ServiceNow. */
  records: number;
  /** Write-backs delivered (outbox items done). */
  writeBacks: number;
  /** Writes applied in the simulator (PATCHes that landed). */
  applied: number;
  /** Write-backs whose work note (or reassignment) is in ServiceNow more than once. */
  sentTwice: number;
  /** Write-backs refused. */
  refused: number;
  /** The simulator's error answers, by status: the faults the run went through. */
  errors: Record<string, number>;
}

const markerOf = (key: string) => `[incident-ops ${key}]`;

/**
 * The matrix's checks, after the outbox drained: every valid record stored once; every
 * write-back delivered (nothing lost), its note in the simulator exactly once, its
 * reassignment applied once, and the notes of one incident in the order the changes were made.
 */
export async function verify(
  knex: Knex,
  sut: SimulatorUnderTest,
): Promise<Omit<Figures, 'refused' | 'errors'>> {
  // every valid record stored, once
  const want = simIncidents(sut).sort();
  const stored: string[] = (
    await knex('incidents').where({ source: 'servicenow' }).pluck('source_id')
  ).sort();
  expect(stored).toEqual(want);

  const rows: OutboxRow[] = await knex('incident_outbox')
    .orderBy('id')
    .select('id', 'dedupe_key', 'source_id', 'status', 'payload', 'last_error');
  // nothing lost: every write-back delivered
  const undelivered = rows.filter(r => r.status !== 'done');
  expect(undelivered.map(r => [r.dedupe_key, r.status, r.last_error])).toEqual(
    [],
  );

  let sentTwice = 0;
  const byIncident = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    byIncident.set(row.source_id, [
      ...(byIncident.get(row.source_id) ?? []),
      row,
    ]);
  }
  for (const [id, items] of byIncident) {
    const notes = sut.sim.store.journal(id, 'work_notes').map(j => j.value);
    const counts = items.map(
      i => notes.filter(n => n.includes(markerOf(i.dedupe_key))).length,
    );
    sentTwice += counts.filter(c => c > 1).length;
    // each once
    expect(items.map((item, n) => [item.dedupe_key, counts[n]])).toEqual(
      items.map(item => [item.dedupe_key, 1]),
    );
    // in order: our notes in the journal follow the order the changes were made
    const order = notes
      .map(n => items.find(i => n.includes(markerOf(i.dedupe_key))))
      .filter(Boolean)
      .map(i => i!.dedupe_key);
    expect(order).toEqual(items.map(i => i.dedupe_key));
    // each reassignment applied once
    const reassigning = items.filter(
      i => JSON.parse(i.payload).assignmentGroup,
    ).length;
    const reassigned = sut.applied.filter(
      a => a.id === id && a.input.assignment_group,
    ).length;
    if (reassigned > reassigning) sentTwice++;
    expect([id, reassigned]).toEqual([id, reassigning]);
  }
  return {
    records: stored.length,
    writeBacks: rows.length,
    applied: sut.applied.length,
    sentTwice,
  };
}

/**
 * A write-back ServiceNow refused is listed by the API with ServiceNow's reason, holds the
 * later write-backs to its incident back, and once the cause is gone an admin re-queues it.
 */
export async function refuseThenRequeue(
  server: Server,
  sut: SimulatorUnderTest,
  incident: string,
  lift: () => void,
) {
  type Item = { id: number; key: string; status: string; lastError?: string };
  const refused = await waitFor('the refusal listed by the API', async () => {
    const res = await request(server).get(
      '/api/incident-ops/sync/outbox?status=refused&limit=500',
    );
    expect(res.status).toBe(200);
    const items: Item[] = res.body.items;
    return items.length > 0 && items;
  });
  expect(refused).toHaveLength(1);
  expect(refused[0].key).toContain(incident);
  expect(refused[0].lastError).toContain('Freeze major incidents');
  // the later change to the same incident waits for it, unsent
  await sleep(2000);
  const all: Item[] = (
    await request(server).get('/api/incident-ops/sync/outbox?limit=500')
  ).body.items;
  const later = all.filter(
    i => i.key.includes(incident) && i.id > refused[0].id,
  );
  expect(later.map(i => i.status)).toEqual(['pending']);
  const notes = sut.sim.store.journal(incident, 'work_notes');
  expect(notes.filter(n => n.value.includes(markerOf(later[0].key)))).toEqual(
    [],
  );
  lift();
  const res = await request(server).post(
    `/api/incident-ops/sync/outbox/${refused[0].id}/requeue`,
  );
  expect([res.status, res.body]).toEqual([
    200,
    { id: refused[0].id, status: 'pending' },
  ]);
  return refused.length;
}

const RESULTS = path.resolve(__dirname, '../../../../../test-results/faults');

/** Prints a scenario's figures and adds them to test-results/faults/summary.json. */
export function report(scenario: string, database: string, figures: Figures) {
  const line = `${scenario} [${database}]: ${figures.records} records synced, ${
    figures.writeBacks
  } write-backs delivered (${figures.applied} writes applied, ${
    figures.refused
  } refused), ${figures.sentTwice} sent twice; error answers ${JSON.stringify(
    figures.errors,
  )}`;
  process.stdout.write(`${line}\n`);
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, 'summary.json');
  const summary = fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : {};
  summary[scenario] = { ...summary[scenario], [database]: figures };
  fs.writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
}

/** A business rule that aborts every update of the incidents in `ids`, as ServiceNow answers it. */
export function refuseUpdates(sut: SimulatorUnderTest, ids: Set<string>) {
  sut.use((req, res, next) => {
    const id = req.path.match(/\/table\/incident\/([0-9a-f]{32})$/)?.[1];
    if (req.method !== 'PATCH' || !id || !ids.has(id)) return next();
    return res.status(400).json({
      error: {
        message:
          "Operation against file 'incident' was aborted by Business Rule 'Freeze major incidents'",
        detail:
          'Major incidents are updated by the major incident manager only',
      },
      status: 'failure',
    });
  });
}

export interface ScenarioOptions {
  /** Sets the faults up, once the simulator runs (before the first sync). */
  faults?: (sut: SimulatorUnderTest) => void;
  /** Config changes on top of {@link faultConfig}. */
  config?: (config: ReturnType<typeof faultConfig>) => void;
  /** Backends on the same database. Default 1. */
  replicas?: number;
  /** Tickets put on hold and back to work through the API. Default 3. */
  transitions?: number;
  /** More to do once synced, before the transitions; `working` are their sys_ids. */
  act?: (ctx: {
    knex: Knex;
    server: Server;
    sut: SimulatorUnderTest;
    working: string[];
  }) => Promise<void> | void;
  /** Checks of the scenario's own, after those of {@link verify}. */
  check?: (ctx: { knex: Knex; sut: SimulatorUnderTest }) => Promise<void>;
  timeoutMs?: number;
}

/**
 * One cell of the matrix on one database: the simulator with its faults, the backends, the
 * seed synced, the engine's escalations and suggestion notes, transitions made through the
 * API (on the last ticket refused by a business rule until an admin re-queues it), then the
 * checks of {@link verify}.
 */
export async function runScenario(
  name: string,
  databases: TestDatabases,
  id: TestDatabaseId,
  options: ScenarioOptions = {},
) {
  const knex = await databases.init(id);
  // each replica its own pool on PostgreSQL; SQLite's one connection is shared
  const pools = Array.from({ length: (options.replicas ?? 1) - 1 }, () =>
    id.startsWith('SQLITE') ? knex : knexFactory(knex.client.config),
  );
  const sut = await startSimulator();
  options.faults?.(sut);
  const config = faultConfig(sut.url);
  options.config?.(config);
  const backends = [];
  try {
    for (const pool of [knex, ...pools]) {
      backends.push(await startBackend(pool, config));
    }
    const servers = backends.map(b => b.server);
    const timeoutMs = options.timeoutMs ?? 90_000;
    const started = Date.now();
    const phases: string[] = [];
    const phase = (what: string) =>
      phases.push(`${what} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await waitSynced(knex, sut, timeoutMs);
    phase('synced');
    // the engine's first decisions on the seed, so that the tickets picked stay at work
    await waitDrained(knex, timeoutMs);
    phase('first write-backs');
    const refusing = new Set<string>();
    refuseUpdates(sut, refusing);
    const working = (
      await ticketsAtWork(servers[0], options.transitions ?? 3)
    ).map(number => sysIdOf(sut, number));
    await options.act?.({ knex, server: servers[0], sut, working });
    const frozen = working[working.length - 1];
    refusing.add(frozen);
    await holdAndResume(
      servers,
      working.map(w => numberOf(sut, w)),
    );
    const refused = await refuseThenRequeue(servers[0], sut, frozen, () =>
      refusing.clear(),
    );
    phase('refused and re-queued');
    await waitDrained(knex, timeoutMs);
    phase('drained');
    process.stdout.write(`${name} [${id}]: ${phases.join(', ')}\n`);
    const figures = {
      ...(await verify(knex, sut)),
      refused,
      errors: sut.errors,
    };
    await options.check?.({ knex, sut });
    report(name, id, figures);
    return figures;
  } finally {
    for (const b of backends) await b.stop();
    for (const pool of pools) if (pool !== knex) await pool.destroy();
    await sut.close();
  }
}
