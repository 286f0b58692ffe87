// Recovery after a crash (issue 13, "recovery within a minute"): a replica syncing 20,000
// incidents from the simulator into PostgreSQL is killed (SIGKILL) mid-sync and another is
// started at once. Prints when the new one resumed writing and when everything was stored,
// and whether any row was written twice. Asserts nothing.
import { spawn } from 'child_process';
import knexFactory from 'knex';
import path from 'path';
import { createSimulator } from '@acme/servicenow-simulator';

const url =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
const start = (dbUrl: string, simUrl: string) =>
  spawn(
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      path.join(__dirname, 'recoveryReplica.ts'),
      dbUrl,
      simUrl,
    ],
    {
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );

async function main() {
  const sim = createSimulator({ generatedIncidents: 20_000 });
  sim.faults.latencyMs = 40;
  const running = await sim.listen(0);
  const total = sim.store.count('incident');
  const name = `i13_recovery_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw('CREATE DATABASE ??', [name]);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const dbUrl = target.toString();
  const db = knexFactory({ client: 'pg', connection: dbUrl });
  const count = async () => {
    try {
      const [{ n }] = await db('incidents').count({ n: '*' });
      return Number(n);
    } catch {
      return 0;
    }
  };
  const t0 = Date.now();
  const a = start(dbUrl, running.url);
  while ((await count()) < 6000) await new Promise(r => setTimeout(r, 200));
  const atKill = await count();
  a.kill('SIGKILL');
  const killedAt = Date.now();
  console.log(
    `killed A at ${(killedAt - t0) / 1000}s with ${atKill} of ${total} stored`,
  );
  const b = start(dbUrl, running.url);
  let resumedAt = 0;
  const marks: Record<number, number> = {};
  for (;;) {
    const n = await count();
    const since = Math.round((Date.now() - killedAt) / 1000);
    if (!resumedAt && n > atKill) {
      resumedAt = Date.now();
      console.log(
        `B resumed writing ${(resumedAt - killedAt) / 1000}s after the kill`,
      );
    }
    for (const s of [30, 60, 90]) {
      if (since >= s && marks[s] === undefined) {
        marks[s] = n;
        console.log(`${s}s after the kill: ${n} of ${total} stored`);
      }
    }
    if (n >= total) {
      console.log(
        `all ${total} stored ${(Date.now() - killedAt) / 1000}s after the kill`,
      );
      break;
    }
    if (since > 400) {
      console.log('gave up');
      break;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  const [{ n: distinct }] = await db('incidents').countDistinct({
    n: 'source_id',
  });
  console.log(`rows ${await count()}, distinct ${distinct}`);
  b.kill('SIGKILL');
  await db.destroy();
  await admin.raw('DROP DATABASE ??', [name]);
  await admin.destroy();
  await running.close();
}
main().catch(e => {
  console.error(e);
  process.exit(1);
});
