import { mockServices } from '@backstage/backend-test-utils';
import {
  RunningSimulator,
  Simulator,
  createSimulator,
} from '@acme/servicenow-simulator';
import type { ServiceNowConfig } from '../config';
import { ServiceNowClient } from '../client/ServiceNowClient';
import { ServiceNowIncidentProvider } from './ServiceNowIncidentProvider';
import { MemoryConnection } from './__testUtils__/MemoryConnection';

const config = (baseUrl: string): ServiceNowConfig => ({
  baseUrl,
  auth: { type: 'basic', username: 'admin', password: 'admin' },
  pageSize: 7,
  schedule: { frequency: { seconds: 15 }, timeout: { seconds: 30 } },
  reconcileSchedule: { frequency: { hours: 1 }, timeout: { seconds: 30 } },
  runBudgetMs: 20_000,
  reconcile: { maxRemovalShare: 0.2 },
});

describe('sync runs in slices, on ServiceNow’s clock', () => {
  let clock: Date;
  /** How far this host's clock is ahead of ServiceNow's. */
  let hostAheadMs: number;
  let sim: Simulator;
  let running: RunningSimulator;
  let connection: MemoryConnection;
  let provider: ServiceNowIncidentProvider;

  beforeEach(async () => {
    clock = new Date('2026-11-25T12:00:00Z');
    hostAheadMs = 0;
    sim = createSimulator({ now: () => clock, seedAnchor: clock });
    running = await sim.listen(0);
    connection = new MemoryConnection();
    const logger = mockServices.logger.mock();
    provider = new ServiceNowIncidentProvider({
      config: config(running.url),
      client: new ServiceNowClient({
        baseUrl: running.url,
        auth: { type: 'basic', username: 'admin', password: 'admin' },
        logger,
        sleep: async () => {},
      }),
      logger,
      now: () => new Date(clock.getTime() + hostAheadMs),
    });
    await provider.connect(connection);
  });

  afterEach(async () => {
    await running.close();
  });

  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  const allIds = () =>
    sim.store
      .list('incident')
      .map(r => r.sys_id)
      .sort();

  it('stops at its budget with the cursor saved, and the next run resumes with nothing lost or duplicated', async () => {
    // each page takes 8 s: a 20 s budget reads three pages a run
    connection.onApply = () => advance(8_000);
    const total = sim.store.count('incident');
    expect(total).toBeGreaterThan(3 * 7);

    const first = await provider.sync();
    expect(first.fetched).toBe(21);
    expect(connection.applied).toHaveLength(3);
    const saved = JSON.parse(connection.cursor!).incident;
    expect(saved.lastId).toBe(connection.applied.flat().sort().at(-1));
    // the window is not complete: no window end reported, articles not started
    expect(connection.reports[0].windowEnd).toBeUndefined();
    expect(connection.articles.size).toBe(0);

    let runs = 1;
    while (JSON.parse(connection.cursor!).incident.lastId) {
      const run = await provider.sync();
      expect(run.fetched).toBeLessThanOrEqual(21);
      runs++;
    }
    expect(runs).toBe(Math.ceil(total / 21));
    // every record once: none lost, none read twice
    expect(connection.applied.flat()).toHaveLength(total);
    expect([...connection.incidents.keys()].sort()).toEqual(allIds());
    expect(connection.reports.at(-1)!.windowEnd).toEqual(
      new Date('2026-11-25T11:59:00Z'),
    );
  });

  it('stops between pages when its task is aborted', async () => {
    const controller = new AbortController();
    connection.onApply = () => controller.abort();
    const run = await provider.sync({ signal: controller.signal });
    expect(run.fetched).toBe(7);
    expect(JSON.parse(connection.cursor!).incident.lastId).toBe(
      connection.applied[0].slice().sort().at(-1),
    );
    // the next run goes on from there
    connection.onApply = undefined;
    await provider.sync();
    expect(connection.applied.flat()).toHaveLength(allIds().length);
  });

  it('misses nothing when this host’s clock is minutes ahead of ServiceNow’s', async () => {
    hostAheadMs = 5 * 60_000;
    const ids = allIds();
    let page = 0;
    connection.onApply = () => {
      if (++page === 2) {
        // changed in ServiceNow after its page was read, before the host's window end
        advance(1_000);
        sim.store.update('incident', ids[0], { short_description: 'late' });
      }
    };
    await provider.sync();
    expect(connection.incidents.get(ids[0])?.shortDescription).not.toBe('late');
    // the window reported ends on ServiceNow's clock, not the host's
    expect(connection.reports[0].windowEnd).toEqual(
      new Date('2026-11-25T11:59:00Z'),
    );

    connection.onApply = undefined;
    advance(2 * 60_000);
    const second = await provider.sync();
    expect(connection.incidents.get(ids[0])?.shortDescription).toBe('late');
    expect(second.fetched).toBe(1);
    // and the windows now end a minute behind ServiceNow's clock
    expect(connection.reports[1].windowEnd).toEqual(
      new Date('2026-11-25T12:01:01Z'),
    );
  });
});

describe('scheduled runs', () => {
  it('run on every replica’s tick, but only while holding the lease', async () => {
    const tasks = new Map<string, (signal: AbortSignal) => Promise<void>>();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        expect(task.scope).toBe('local');
        tasks.set(task.id, task.fn as any);
      },
    });
    const connection = new MemoryConnection();
    let synced = 0;
    const client = {
      listPage: async () => {
        synced++;
        return { records: [], hasNext: false };
      },
    } as unknown as ServiceNowClient;
    const provider = new ServiceNowIncidentProvider({
      config: config('https://sn.test'),
      client,
      logger: mockServices.logger.mock(),
      scheduler,
    });
    await provider.connect(connection);
    const tick = () =>
      tasks.get('incident-ops-servicenow-sync')!(new AbortController().signal);

    // another replica holds it: this one skips its tick
    connection.leases.set('sync', 'other');
    await tick();
    expect(synced).toBe(0);
    expect(connection.reports).toHaveLength(0);

    // free: this one takes it, runs, and gives it back
    connection.leases.clear();
    await tick();
    expect(synced).toBeGreaterThan(0);
    expect(connection.reports).toHaveLength(1);
    expect(connection.leases.size).toBe(0);

    // a reconciliation keeps its lease until it is due again (hourly)
    await tasks.get('incident-ops-servicenow-reconcile')!(
      new AbortController().signal,
    );
    expect(connection.present).toEqual([]);
    expect(connection.leases.get('reconcile')).toBe('me');
    expect(connection.leaseMs.get('reconcile')).toBe(3_600_000);
  });
});

describe('a record that does not map, whatever it throws', () => {
  const good = (id: string) => ({
    sys_id: id.repeat(32),
    number: `INC000000${id}`,
    short_description: 'ok',
    priority: '3',
    state: '1',
    opened_at: '2026-11-25 10:00:00',
    sys_updated_on: '2026-11-25 10:00:00',
    sys_mod_count: '0',
  });
  const garbage: unknown[] = [
    null,
    { ...good('1'), sys_id: '' },
    { ...good('2'), sys_id: { value: { x: 1 } } },
    { ...good('3'), short_description: [1, 2] },
    { ...good('4'), number: { value: {} } },
    { ...good('5'), opened_at: '0000-01-01 00:00:00' },
    { ...good('6'), sys_updated_on: '2026-02-30 10:00:00' },
    { ...good('7'), sys_mod_count: '1e30' },
  ];

  it('is quarantined with its reason; the others are stored', async () => {
    const articles = [
      {
        sys_id: 'b'.repeat(32),
        number: 'KB0000001',
        short_description: 'An entity past Unicode',
        text: '<p>a &#1114112; b &#0; c &#x41;</p>',
        workflow_state: 'published',
        sys_updated_on: '2026-11-25 10:00:00',
        sys_mod_count: '0',
      },
      { ...good('c'), number: 'KB0000002', sys_updated_on: 'soon' },
    ];
    const pages: Record<string, unknown[]> = {
      incident: [good('a'), ...garbage],
      kb_knowledge: articles,
    };
    const client = {
      listPage: async (table: string, params: Record<string, string>) => ({
        records: params.sysparm_query.includes('sys_id>') ? [] : pages[table],
        hasNext: false,
      }),
    } as unknown as ServiceNowClient;
    const connection = new MemoryConnection();
    const logger = mockServices.logger.mock();
    const provider = new ServiceNowIncidentProvider({
      config: config('https://sn.test'),
      client,
      logger,
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    await provider.connect(connection);

    const run = await provider.sync();
    expect(run).toEqual({
      fetched: garbage.length + 1,
      stored: 1,
      quarantined: garbage.length,
    });
    expect([...connection.incidents.keys()]).toEqual(['a'.repeat(32)]);
    const reasons = [...connection.quarantined.values()].map(q => q.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^incident: TypeError: /),
        "incident: sys_id '' is missing or malformed",
        'incident: sys_id is not a text value',
        'incident: short_description is not a text value',
        'incident: number is not a text value',
        "incident: opened_at '0000-01-01 00:00:00' is not a date-time",
        "incident: sys_updated_on '2026-02-30 10:00:00' is not a date-time",
        "incident: sys_mod_count '1e30' is not a count",
        "kb_knowledge: sys_updated_on 'soon' is not a date-time",
      ]),
    );
    // the article with an out-of-range entity is stored, the entity replaced
    expect(connection.articles.get('b'.repeat(32))?.text).toBe(
      'a \uFFFD b \uFFFD c A',
    );
    expect(connection.reports[0].error).toBeUndefined();
  });
});
