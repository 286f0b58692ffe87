// One database's half of the sync benchmark, in its own process so its peak RSS is its own:
// a full ServiceNow sync from the simulator at argv[3] into argv[2] (sqlite | postgres),
// then the same rows inserted straight into the same table in one bulk insert, then
// incremental cycles of 1,000 records changed in ServiceNow.
import { openDatabase, quietLogger } from './databases';
import {
  ServiceNowClient,
  ServiceNowIncidentProvider,
} from '@acme/plugin-incident-ops-backend-module-servicenow';
import { DatabaseIncidentStore } from '@acme/plugin-incident-ops-backend/src/database/DatabaseIncidentStore';
import { migrate } from '@acme/plugin-incident-ops-backend/src/database/migrate';
import { createProviderConnection } from '@acme/plugin-incident-ops-backend/src/sync/connection';

const PAGE_SIZE = 1000;
/** Records changed in ServiceNow before each incremental cycle, and how many cycles. */
const CHANGED = 1000;
const CYCLES = 5;

async function main() {
  const [kind, simUrl] = process.argv.slice(2);
  // SQLite in a file, as a deployment keeps it (in memory, the data counts in the RSS);
  // BENCH_SQLITE_MEMORY=1 for the in-memory database
  const { db, close } = await openDatabase(kind, {
    file: process.env.BENCH_SQLITE_MEMORY !== '1',
  });
  try {
    const database = { getClient: async () => db } as any;
    await migrate(database);
    const store = await DatabaseIncidentStore.create({ database });
    const auth = {
      type: 'basic' as const,
      username: 'admin',
      password: 'admin',
    };
    const provider = new ServiceNowIncidentProvider({
      config: {
        baseUrl: simUrl,
        auth,
        pageSize: PAGE_SIZE,
        schedule: { frequency: { minutes: 5 }, timeout: { minutes: 10 } },
        reconcileSchedule: {
          frequency: { hours: 1 },
          timeout: { minutes: 30 },
        },
        // one run reads everything: the bench times the whole backfill
        runBudgetMs: 24 * 3600_000,
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

    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const result = await provider.sync();
    const syncMs = performance.now() - t0;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;

    // The raw baseline: the same rows, straight into the emptied table, in one transaction.
    const rows = await db('incidents').select();
    await db('incidents').delete();
    const t1 = performance.now();
    await db.batchInsert('incidents', rows, kind === 'sqlite' ? 500 : 1000);
    const rawMs = performance.now() - t1;
    const [{ n }] = await db('incidents').count({ n: '*' });

    // Incremental cycles: CHANGED records edited in ServiceNow (the edits are not timed),
    // then one sync run, as the scheduled task does every few minutes.
    const editor = new ServiceNowClient({
      baseUrl: simUrl,
      auth,
      logger: quietLogger,
    });
    const ids: string[] = await db('incidents')
      .orderBy('source_id')
      .limit(CHANGED * CYCLES)
      .pluck('source_id');
    const cycles: Array<{ seconds: number; stored: number }> = [];
    for (let c = 0; c < CYCLES; c++) {
      const batch = ids.slice(c * CHANGED, (c + 1) * CHANGED);
      for (let i = 0; i < batch.length; i += 20) {
        await Promise.all(
          batch.slice(i, i + 20).map(id =>
            editor.patchRecord('incident', id, {
              short_description: `Edited in cycle ${
                c + 1
              }: egress from livelink-prod`,
            }),
          ),
        );
      }
      // sys_updated_on counts whole seconds and a window ends at ServiceNow's clock
      // (exclusive): edits of the current second belong to the next run. The run starts two
      // seconds on, so that it is the one that reads this cycle's edits (not timed).
      await new Promise(r => setTimeout(r, 2000));
      const t2 = performance.now();
      const cycle = await provider.sync();
      cycles.push({
        seconds: (performance.now() - t2) / 1000,
        stored: cycle.stored,
      });
    }

    process.stdout.write(
      `${JSON.stringify({
        database: kind,
        fetched: result.fetched,
        stored: result.stored,
        quarantined: result.quarantined,
        rawRows: Number(n),
        pageSize: PAGE_SIZE,
        syncSeconds: syncMs / 1000,
        incidentsPerSecond: result.stored / (syncMs / 1000),
        rawSeconds: rawMs / 1000,
        ratio: syncMs / rawMs,
        rssBeforeMb: rssBefore / 1024 / 1024,
        peakRssMb,
        cycles,
      })}\n`,
    );
  } finally {
    await close();
  }
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
