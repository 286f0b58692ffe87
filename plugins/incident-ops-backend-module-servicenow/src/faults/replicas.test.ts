import knexFactory from 'knex';
import request from 'supertest';
import {
  faultConfig,
  faultDatabases,
  runScenario,
  startBackend,
  startSimulator,
  withoutPostgres,
} from './__testUtils__/harness';

jest.setTimeout(180_000);

/**
 * Two backend replicas on one database, each with Backstage's real (database-locked)
 * scheduler, against the simulator over HTTP.
 */
describe('two backend replicas', () => {
  const databases = faultDatabases(['POSTGRES_15', 'SQLITE_3']);

  // 8. of the fault matrix: the workload through both replicas, under 10% 5xx and 30% of
  // write answers lost
  it.concurrent.each(databases.eachSupportedId())(
    '8. under 10%% 5xx and lost replies, %p',
    id =>
      runScenario('8. two replicas, 5xx and lost replies', databases, id, {
        replicas: 2,
        faults: ({ sim }) => {
          sim.faults.errorRate = 0.1;
          sim.faults.lostReplyRate = 0.3;
        },
      }),
  );
});

describe('two backend replicas on one PostgreSQL', () => {
  const databases = faultDatabases(['POSTGRES_15']);
  if (!databases.supports('POSTGRES_15')) {
    it('needs PostgreSQL, which CI always has', withoutPostgres);
    return;
  }

  it('run one sync and one escalation pass at a time, and write each change, escalation and suggestion note back exactly once', async () => {
    const sut = await startSimulator();
    const { sim } = sut;
    sim.faults.latencyMs = 15;
    // count the incident list requests in flight at once
    let inFlight = 0;
    let maxInFlight = 0;
    let syncStarts = 0;
    sut.use((req, res, next) => {
      if (req.method === 'GET' && req.path.endsWith('/table/incident')) {
        const q = String(req.query.sysparm_query ?? '');
        if (q.includes('sys_updated_on<') && !q.includes('sys_id>')) {
          syncStarts++;
        }
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        res.on('finish', () => inFlight--);
      }
      next();
    });

    const knexA = await databases.init('POSTGRES_15');
    const knexB = knexFactory(knexA.client.config);
    const config = faultConfig(sut.url);
    Object.assign(config.incidentOps.servicenow, {
      pageSize: 5,
      schedule: { frequency: { seconds: 1 }, timeout: { minutes: 1 } },
    });
    const start = (knex: typeof knexA) => startBackend(knex, config);
    try {
      const a = await start(knexA);
      const b = await start(knexB);

      // both replicas are up and syncing; wait for several runs
      const deadline = Date.now() + 60_000;
      while (syncStarts < 3 && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 250));
      }
      expect(syncStarts).toBeGreaterThanOrEqual(3);
      expect(maxInFlight).toBe(1);

      // the engine escalates the seeded tickets that are past their tier limits (once, on
      // whichever replica holds the lock) and its write-backs drain
      const drained = async (
        done: (outbox: Record<string, number>) => boolean,
      ) => {
        let outbox: Record<string, number> = {};
        while (Date.now() < deadline + 30_000) {
          outbox = (
            await request(a.server).get('/api/incident-ops/sync/status')
          ).body.outbox;
          if (done(outbox)) break;
          await new Promise(r => setTimeout(r, 250));
        }
        return outbox;
      };
      const escalations = () =>
        knexA('incident_escalations')
          .where({ action: 'escalate' })
          .select('source_id', 'number', 'decision_key');
      let escalated = await escalations();
      while (escalated.length === 0 && Date.now() < deadline + 30_000) {
        await new Promise(r => setTimeout(r, 250));
        escalated = await escalations();
      }
      expect(escalated.length).toBeGreaterThan(0);
      // and each open ticket's knowledge suggestions on arrival, as a work note
      const settled = await drained(o => !o.pending && !o.running);
      escalated = await escalations();
      const written = await knexA('incident_outbox').pluck('dedupe_key');
      expect(settled).toEqual({ done: written.length });
      const suggested = written.filter(k => k.startsWith('kb-suggestions:'));
      expect(suggested.length).toBeGreaterThan(10);
      expect(written.length).toBe(escalated.length + suggested.length);
      // transitions through both replicas, on tickets the engine left at work
      const working = (
        await request(a.server).get(
          '/api/incident-ops/queue?status=work-in-progress&limit=100',
        )
      ).body.items.map((i: { number: string }) => i.number);
      // (the Service Desk's ticket, in a group mapped to no tier, was at L1 for triage and
      // went on to L2: the seed leaves three at work)
      expect(working.length).toBeGreaterThanOrEqual(3);
      const open = working.map(
        (number: string) =>
          sim.store.list('incident').find(r => r.number === number)!,
      );
      const keys: string[] = [];
      for (const [n, record] of open.entries()) {
        const res = await request((n % 2 ? a : b).server)
          .post(`/api/incident-ops/incidents/${record.number}/transitions`)
          .send({ to: 'awaiting-customer', note: `question ${n}` });
        expect(res.status).toBe(201);
        keys.push(res.body.writeBack.key);
      }
      const outbox = await drained(
        o => o.done === written.length + working.length,
      );
      expect(outbox).toEqual({ done: written.length + working.length });
      for (const [n, record] of open.entries()) {
        const notes = sim.store
          .journal(record.sys_id, 'work_notes')
          .filter(j => j.value.includes(keys[n]));
        expect(notes).toHaveLength(1);
        expect(sim.store.get('incident', record.sys_id)!.state).toBe('3');
      }
      // each escalation reached ServiceNow once: one work note, the new tier's group
      for (const e of escalated) {
        const marker = `escalation:servicenow:${e.source_id}:${e.decision_key}`;
        const notes = sim.store
          .journal(e.source_id, 'work_notes')
          .filter(j => j.value.includes(marker));
        expect(notes).toHaveLength(1);
      }
      // and each ticket's suggestions once, though both replicas synced it
      for (const key of suggested) {
        const id = key.split(':')[2];
        const notes = sim.store
          .journal(id, 'work_notes')
          .filter(j => j.value.includes(`[incident-ops ${key}]`));
        expect(notes).toHaveLength(1);
      }
      await a.stop();
      await b.stop();
    } finally {
      await knexB.destroy();
      await sut.close();
    }
  });
});
