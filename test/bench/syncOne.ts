// One database's half of the sync benchmark, in its own process so its peak RSS is its own:
// a full ServiceNow sync from the simulator at argv[3] into argv[2] (sqlite | postgres),
// then the same rows inserted straight into the same table in one bulk insert.
import knexFactory, { Knex } from 'knex';
import { ServiceNowClient } from '@acme/plugin-incident-ops-backend-module-servicenow';
import { ServiceNowIncidentProvider } from '@acme/plugin-incident-ops-backend-module-servicenow/src/sync/ServiceNowIncidentProvider';
import { DatabaseIncidentStore } from '@acme/plugin-incident-ops-backend/src/database/DatabaseIncidentStore';
import { createProviderConnection } from '@acme/plugin-incident-ops-backend/src/service/connection';

const PAGE_SIZE = 1000;

const logger: any = {
  info() {},
  debug() {},
  warn: (m: string) => process.stderr.write(`${m}\n`),
  error: (m: string) => process.stderr.write(`${m}\n`),
  child: () => logger,
};

async function openDatabase(kind: string): Promise<{
  db: Knex;
  close: () => Promise<void>;
}> {
  if (kind === 'sqlite') {
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    return { db, close: () => db.destroy() };
  }
  const url =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432';
  const name = `incident_ops_bench_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw('CREATE DATABASE ??', [name]);
  const db = knexFactory({
    client: 'pg',
    connection: { connectionString: url, database: name },
  });
  return {
    db,
    close: async () => {
      await db.destroy();
      await admin.raw('DROP DATABASE ??', [name]);
      await admin.destroy();
    },
  };
}

async function main() {
  const [kind, simUrl] = process.argv.slice(2);
  const { db, close } = await openDatabase(kind);
  try {
    const store = await DatabaseIncidentStore.create({
      database: { getClient: async () => db } as any,
    });
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
      },
      client: new ServiceNowClient({ baseUrl: simUrl, auth, logger }),
      logger,
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
