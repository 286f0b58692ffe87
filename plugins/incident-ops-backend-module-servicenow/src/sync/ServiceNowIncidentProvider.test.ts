import { mockServices } from '@backstage/backend-test-utils';
import {
  RunningSimulator,
  Simulator,
  createSimulator,
} from '@acme/servicenow-simulator';
import { ServiceNowClient } from '../client/ServiceNowClient';
import { ServiceNowIncidentProvider } from './ServiceNowIncidentProvider';
import { MemoryConnection } from './__testUtils__/MemoryConnection';

describe('ServiceNowIncidentProvider against the simulator', () => {
  let clock: Date;
  let sim: Simulator;
  let running: RunningSimulator;
  let connection: MemoryConnection;
  let provider: ServiceNowIncidentProvider;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  beforeEach(async () => {
    clock = new Date('2026-11-25T12:00:00Z');
    sim = createSimulator({ now: () => clock, seedAnchor: clock });
    running = await sim.listen(0);
    connection = new MemoryConnection();
    logger = mockServices.logger.mock();
    provider = new ServiceNowIncidentProvider({
      config: {
        baseUrl: running.url,
        auth: { type: 'basic', username: 'admin', password: 'admin' },
        pageSize: 7,
        schedule: { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
        reconcileSchedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
        runBudgetMs: 60_000,
        reconcile: { maxRemovalShare: 0.2 },
      },
      client: new ServiceNowClient({
        baseUrl: running.url,
        auth: { type: 'basic', username: 'admin', password: 'admin' },
        logger,
        sleep: async () => {},
        maxAttempts: 50,
      }),
      logger,
      now: () => clock,
    });
    await provider.connect(connection);
  });

  afterEach(async () => {
    await running.close();
  });

  const allIds = () =>
    sim.store
      .list('incident')
      .map(r => r.sys_id)
      .sort();

  it('backfills every incident over HTTP, mapped and attached to its CI by name', async () => {
    const total = sim.store.count('incident');
    expect(total).toBeGreaterThanOrEqual(40);
    const result = await provider.sync();
    expect(result).toEqual({ fetched: total, stored: total, quarantined: 0 });
    expect([...connection.incidents.keys()].sort()).toEqual(allIds());
    // keyset paging: every page holds at most pageSize records
    expect(Math.max(...connection.applied.map(b => b.length))).toBe(7);
    const cis = new Set(
      [...connection.incidents.values()].map(i => i.configurationItem?.name),
    );
    for (const name of ['abrc1l', 'mecc', 'rtg']) {
      expect(
        [...cis].some(ci => ci === name || ci?.startsWith(`${name}:`)),
      ).toBe(true);
    }
    const priorities = new Set(
      [...connection.incidents.values()].map(i => i.priority),
    );
    expect([...priorities].sort()).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(connection.reports).toHaveLength(1);
    expect(connection.reports[0]).toMatchObject({
      fetched: total,
      stored: total,
      quarantined: 0,
    });
    expect(connection.reports[0].error).toBeUndefined();
  });

  it('then reads only what changed since the last window', async () => {
    await provider.sync();
    const [a, b] = sim.store.list('incident');
    advance(5 * 60_000);
    sim.store.update('incident', a.sys_id, { short_description: 'changed A' });
    sim.store.update('incident', b.sys_id, { impact: '1', urgency: '1' });
    advance(2 * 60_000);

    const result = await provider.sync();
    expect(result).toEqual({ fetched: 2, stored: 2, quarantined: 0 });
    expect(connection.incidents.get(a.sys_id)?.shortDescription).toBe(
      'changed A',
    );
    expect(connection.incidents.get(b.sys_id)?.priority).toBe('P1');

    // nothing changed: nothing fetched
    advance(2 * 60_000);
    expect(await provider.sync()).toEqual({
      fetched: 0,
      stored: 0,
      quarantined: 0,
    });
  });

  it('neither skips nor duplicates records that change while it pages', async () => {
    const ids = allIds();
    let page = 0;
    connection.onApply = () => {
      page++;
      if (page === 2) {
        // a record already read and one not read yet both change mid-run
        sim.store.update('incident', ids[0], { short_description: 'early' });
        sim.store.update('incident', ids[ids.length - 1], {
          short_description: 'late',
        });
      }
    };
    const first = await provider.sync();
    // the late record now carries a timestamp past this window's end: it moved to the next
    expect(first.fetched).toBe(ids.length - 1);
    expect(connection.applied.flat()).toHaveLength(ids.length - 1);
    expect(new Set(connection.applied.flat()).size).toBe(ids.length - 1);
    expect(connection.incidents.has(ids[ids.length - 1])).toBe(false);

    advance(2 * 60_000);
    connection.onApply = undefined;
    const second = await provider.sync();
    // both changed records come in the next window, with their latest values
    expect(second.fetched).toBe(2);
    expect(connection.incidents.get(ids[0])?.shortDescription).toBe('early');
    expect(
      connection.incidents.get(ids[ids.length - 1])?.shortDescription,
    ).toBe('late');
    expect([...connection.incidents.keys()].sort()).toEqual(ids);
  });

  it('resumes an interrupted backfill where it stopped, without starting over', async () => {
    const total = sim.store.count('incident');
    let calls = 0;
    connection.onApply = () => {
      if (++calls === 3) throw new Error('backend restarted');
    };
    await expect(provider.sync()).rejects.toThrow('backend restarted');
    expect(connection.reports[0].error).toBe('Error: backend restarted');
    const done = connection.incidents.size;
    expect(done).toBe(14);

    connection.onApply = undefined;
    const resumed = await provider.sync();
    expect(resumed.fetched).toBe(total - 14);
    expect([...connection.incidents.keys()].sort()).toEqual(allIds());
  });

  it('delivers every record exactly once through 10% 5xx and rate limiting', async () => {
    sim.faults.errorRate = 0.1;
    sim.faults.rateLimitEvery = 4;
    sim.faults.retryAfterSeconds = 1;
    const result = await provider.sync();
    const total = sim.store.count('incident');
    expect(result.fetched).toBe(total);
    // the faults did fire, and were retried
    const retries = logger.warn.mock.calls.map(c => String(c[0]));
    expect(retries.some(m => m.includes('429'))).toBe(true);
    expect(connection.applied.flat()).toHaveLength(total);
    expect([...connection.incidents.keys()].sort()).toEqual(allIds());
  });

  it('quarantines garbage records and keeps the good ones around them', async () => {
    sim.faults.garbageRate = 0.2;
    const result = await provider.sync();
    expect(result.quarantined).toBeGreaterThan(0);
    expect(result.stored).toBe(result.fetched - result.quarantined);
    expect(connection.reports[0].quarantined).toBe(result.quarantined);
    // each with its reason and the record as received
    const bad = [...connection.quarantined.values()].filter(r =>
      r.reason.startsWith('incident: '),
    );
    expect(bad).toHaveLength(result.quarantined);
    for (const r of bad) {
      expect(r.key).toMatch(/^([0-9a-f]{32}|INC\d+|[0-9a-f]{64})$/);
      expect(r.reason).toMatch(
        /sys_id|priority|is not a date-time|resolves to no configuration item/,
      );
      expect(r.payload).toBeDefined();
    }
  });

  it('syncs knowledge articles in every state, as plain text', async () => {
    await provider.sync();
    const kb = sim.store.list('kb_knowledge');
    expect(kb.length).toBeGreaterThanOrEqual(10);
    expect([...connection.articles.keys()].sort()).toEqual(
      kb.map(r => r.sys_id).sort(),
    );
    const states = new Set(
      [...connection.articles.values()].map(a => a.workflowState),
    );
    expect(states.has('published')).toBe(true);
    expect(states.size).toBeGreaterThan(1);
    const egress = [...connection.articles.values()].find(a =>
      /egress access for livelink/i.test(a.title),
    );
    expect(egress).toBeDefined();
    // markup gone (placeholders such as <namespace> in the text are content)
    expect(egress!.text).not.toMatch(
      /<\/?(p|h\d|ul|ol|li|div|br|b|strong|code|pre|table)\b/i,
    );
    expect(egress!.url).toMatch(/kb_view\.do\?sysparm_article=KB/);
    // the incident and article windows are kept apart in one cursor
    expect(Object.keys(JSON.parse(connection.cursor!)).sort()).toEqual([
      'incident',
      'kb_knowledge',
    ]);
  });

  it('resumes from a cursor saved before articles were synced', async () => {
    connection.cursor = JSON.stringify({ to: '2026-11-25 11:00:00' });
    const result = await provider.sync();
    // only incidents changed since 11:00 come in; articles get their first, full window
    const expected = sim.store
      .list('incident')
      .filter(r => r.sys_updated_on >= '2026-11-25 11:00:00').length;
    expect(result.fetched).toBe(expected);
    expect(connection.articles.size).toBe(sim.store.count('kb_knowledge'));
  });

  describe('write-back', () => {
    const openIncident = () =>
      sim.store.list('incident').find(r => r.state === '2')!;

    it('sets the state and appends one work note, even when retried', async () => {
      const record = openIncident();
      const change = {
        key: `transition:servicenow:${record.sys_id}:41`,
        id: record.sys_id,
        number: record.number,
        expectedVersion: Number(record.sys_mod_count),
        status: 'resolved' as const,
        resolution: { code: 'Solution provided', notes: 'Rule applied' },
        workNote: 'Incident Ops: user:default/guest resolved it',
      };
      expect(await provider.writeBack(change)).toEqual({
        outcome: 'written',
        version: 4,
      });
      const after = sim.store.get('incident', record.sys_id)!;
      expect(after).toMatchObject({
        state: '6',
        close_code: 'Solution provided',
        close_notes: 'Rule applied',
      });
      // a retry (lost answer, crashed worker) does not write twice, and says the version
      // its write made (the base of the incident's next write-back)
      expect(await provider.writeBack(change)).toEqual({
        outcome: 'already-written',
        version: 4,
      });
      const notes = sim.store
        .journal(record.sys_id, 'work_notes')
        .filter(j => j.value.includes(change.key));
      expect(notes).toHaveLength(1);
      expect(notes[0].value).toBe(
        `Incident Ops: user:default/guest resolved it\n[incident-ops ${change.key}]`,
      );
      expect(
        Number(sim.store.get('incident', record.sys_id)!.sys_mod_count),
      ).toBe(Number(after.sys_mod_count));
    });

    it('reassigns to another group with a diagnostics note (what escalations send)', async () => {
      const record = openIncident();
      const l3 = sim.store
        .list('sys_user_group')
        .find(g => g.name === 'Atlas-L3-Evangelists')!;
      expect(
        await provider.writeBack({
          key: 'escalation:servicenow:x:7',
          id: record.sys_id,
          number: record.number,
          expectedVersion: Number(record.sys_mod_count),
          status: 'escalated',
          assignmentGroup: l3.sys_id,
          workNote: 'Escalated to L3: P2 unresolved 60 min at L2',
        }),
      ).toEqual({ outcome: 'written', version: 4 });
      expect(sim.store.get('incident', record.sys_id)).toMatchObject({
        assignment_group: l3.sys_id,
        state: '2',
      });
    });

    it('finds the group by name, and reports an unknown one as a conflict', async () => {
      const record = openIncident();
      const l2 = sim.store
        .list('sys_user_group')
        .find(g => g.name === 'Atlas-L2-Platform')!;
      const change = {
        key: 'escalation:servicenow:y:1',
        id: record.sys_id,
        number: record.number,
        expectedVersion: Number(record.sys_mod_count),
        assignmentGroup: 'Atlas-L2-Platform',
        workNote: 'Escalated to L2',
      };
      expect(await provider.writeBack(change)).toEqual({
        outcome: 'written',
        version: 4,
      });
      expect(sim.store.get('incident', record.sys_id)!.assignment_group).toBe(
        l2.sys_id,
      );
      const after = sim.store.get('incident', record.sys_id)!;
      expect(
        await provider.writeBack({
          ...change,
          key: 'escalation:servicenow:y:2',
          expectedVersion: Number(after.sys_mod_count),
          assignmentGroup: 'Atlas-L9',
        }),
      ).toEqual({
        outcome: 'conflict',
        reason:
          "ServiceNow has no assignment group named 'Atlas-L9' (see incidentOps.tiers)",
      });
    });

    it('does not overwrite a newer change made in ServiceNow', async () => {
      const record = openIncident();
      const seen = Number(record.sys_mod_count);
      sim.store.update('incident', record.sys_id, { urgency: '1' });
      const result = await provider.writeBack({
        key: 'transition:servicenow:x:1',
        id: record.sys_id,
        number: record.number,
        expectedVersion: seen,
        status: 'awaiting-customer',
        workNote: 'Incident Ops: waiting for the caller',
      });
      expect(result).toEqual({
        outcome: 'conflict',
        reason: `${record.number} was changed in ServiceNow (version ${
          seen + 1
        }) after the suite last saw it (version ${seen})`,
      });
      expect(sim.store.get('incident', record.sys_id)!.state).toBe('2');
    });

    it('appends a work note alone even after a change in ServiceNow', async () => {
      const record = openIncident();
      const seen = Number(record.sys_mod_count);
      sim.store.update('incident', record.sys_id, { urgency: '1' });
      const result = await provider.writeBack({
        key: 'kb-suggestions:servicenow:x',
        id: record.sys_id,
        number: record.number,
        expectedVersion: seen,
        workNote: 'Incident Ops suggests these knowledge articles',
      });
      expect(result).toEqual({ outcome: 'written', version: seen + 2 });
      const after = sim.store.get('incident', record.sys_id)!;
      // nothing else was touched
      expect(after.urgency).toBe('1');
      expect(after.state).toBe(record.state);
      expect(
        sim.store
          .journal(record.sys_id, 'work_notes')
          .filter(j => j.value.includes('kb-suggestions:servicenow:x')),
      ).toHaveLength(1);
    });

    it('reports a deleted incident as a conflict', async () => {
      const record = openIncident();
      const change = {
        key: 'k',
        id: record.sys_id,
        number: record.number,
        expectedVersion: Number(record.sys_mod_count),
        workNote: 'n',
      };
      sim.store.remove('incident', record.sys_id);
      expect(await provider.writeBack(change)).toEqual({
        outcome: 'conflict',
        reason: `${record.number} is no longer in ServiceNow`,
      });
    });
  });

  it('reports the end of the window it completed', async () => {
    await provider.sync();
    expect(connection.reports[0].windowEnd).toEqual(
      new Date(clock.getTime() - 60_000),
    );
  });

  it('finds incidents deleted in ServiceNow by listing every sys_id in scope', async () => {
    await provider.sync();
    const [gone] = sim.store.list('incident');
    sim.store.remove('incident', gone.sys_id);
    const result = await provider.reconcile();
    expect(result).toEqual({ present: allIds().length, removed: 1 });
    expect(connection.present?.sort()).toEqual(allIds());
    expect(connection.present).not.toContain(gone.sys_id);
  });

  it('stops on refused credentials and reports why', async () => {
    sim.faults.authFailure = true;
    await expect(provider.sync()).rejects.toThrow(/refused with 401/);
    expect(connection.reports[0].error).toMatch(
      /^ServiceNowAuthError: GET \/api\/now\/table\/incident was refused with 401/,
    );
    expect(connection.incidents.size).toBe(0);
  });
});
