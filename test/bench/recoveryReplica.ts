// One replica for recovery.bench.ts: the ServiceNow provider with the plugin's store and
// connection on the PostgreSQL database at argv[2], syncing from the simulator at argv[3],
// its sync task ticked by a local timer with the module's default schedule (what the
// scheduler's local scope does).
import knexFactory from 'knex';
import {
  ServiceNowClient,
  ServiceNowIncidentProvider,
} from '@acme/plugin-incident-ops-backend-module-servicenow';
import { DatabaseIncidentStore } from '@acme/plugin-incident-ops-backend/src/database/DatabaseIncidentStore';
import { migrate } from '@acme/plugin-incident-ops-backend/src/database/migrate';
import { createProviderConnection } from '@acme/plugin-incident-ops-backend/src/sync/connection';

import { quietLogger as logger } from './databases';

async function main() {
  const [dbUrl, simUrl] = process.argv.slice(2);
  const db = knexFactory({ client: 'pg', connection: dbUrl });
  const database = { getClient: async () => db } as any;
  await migrate(database);
  const store = await DatabaseIncidentStore.create({ database });
  const auth = { type: 'basic' as const, username: 'admin', password: 'admin' };
  const ms = (d: any) => (d.seconds ?? 0) * 1000 + (d.minutes ?? 0) * 60_000;
  const scheduler: any = {
    async scheduleTask(task: any) {
      if (!task.id.endsWith('-sync')) return;
      const tick = async () => {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), ms(task.timeout));
        try {
          await task.fn(c.signal);
        } catch (e) {
          logger.warn(`run failed: ${e}`);
        } finally {
          clearTimeout(t);
          setTimeout(tick, ms(task.frequency));
        }
      };
      setTimeout(tick, ms(task.initialDelay ?? {}));
    },
  };
  const provider = new ServiceNowIncidentProvider({
    config: {
      baseUrl: simUrl,
      auth,
      pageSize: 500,
      schedule: {
        frequency: { seconds: 15 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 1 },
      },
      reconcileSchedule: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
      runBudgetMs: 20_000,
      reconcile: { maxRemovalShare: 0.2 },
    },
    client: new ServiceNowClient({ baseUrl: simUrl, auth, logger }),
    logger,
    scheduler,
  });
  await provider.connect(
    createProviderConnection({
      store,
      source: 'servicenow',
      tierOf: () => undefined,
    }),
  );
}
main().catch(e => {
  console.error(e);
  process.exit(1);
});
