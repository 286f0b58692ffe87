import { PolicyBook } from '@acme/plugin-incident-ops-backend/src/escalation/PolicyBook';
// Benchmark for the escalation engine: a full pass over 100,000 open incidents (all due, as
// after a deploy), then an idle tick where nothing is due, on SQLite and PostgreSQL.
// Prints figures; asserts nothing.
import os from 'os';
import { openDatabase, quietLogger } from './databases';
import {
  DEFAULT_ESCALATION_POLICY,
  Incident,
  Priority,
  Tier,
} from '@acme/plugin-incident-ops-common';
import { createStores } from '@acme/plugin-incident-ops-backend/src/database';
import { EscalationEngine } from '@acme/plugin-incident-ops-backend/src/escalation/EscalationEngine';

const N = Number(process.env.BENCH_INCIDENTS ?? 100_000);
function incidents(now: number): Incident[] {
  const tiers: Tier[] = ['L1', 'L2', 'L3'];
  return Array.from({ length: N }, (_, n) => {
    // mostly P3/P4 inside their clocks; 1% P2 at L1, due to escalate at once
    const urgent = n % 100 === 0;
    const priority: Priority = urgent ? 'P2' : n % 2 ? 'P3' : 'P4';
    const openedAt = new Date(now - (n % 20) * 60_000).toISOString();
    return {
      source: 'servicenow',
      id: n.toString(16).padStart(32, '0'),
      number: `INC${String(20_000_000 + n)}`,
      shortDescription: `Synthetic incident ${n}`,
      priority,
      status: 'work-in-progress',
      sourceState: '2',
      tier: urgent ? 'L1' : tiers[n % 3],
      assignedTo: { id: 'u', name: 'Engineer' },
      openedAt,
      sourceUpdatedAt: openedAt,
      sourceVersion: 1,
      syncedAt: new Date(now).toISOString(),
    };
  });
}

async function run(kind: string) {
  const { db, close } = await openDatabase(kind);
  try {
    const database = { getClient: async () => db } as any;
    const { incidents: store, escalations } = await createStores({ database });
    const now = Date.now();
    await store.upsertIncidents(incidents(now));
    // statistics for the planner, as autovacuum's analyze has them soon after a bulk load
    // (without them PostgreSQL may sort the whole schedule for every page)
    if (kind === 'postgres') await db.raw('ANALYZE');
    const engine = new EscalationEngine({
      store: escalations,
      policies: new PolicyBook(escalations, DEFAULT_ESCALATION_POLICY),
      groupOf: tier => `Atlas-${tier}`,
      logger: quietLogger,
      now: () => new Date(now + 1000),
    });
    const t0 = performance.now();
    const full = await engine.tick();
    const fullMs = performance.now() - t0;
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const r = await engine.tick();
      idle.push(performance.now() - t);
      if (r.evaluated !== 0) throw new Error('idle tick evaluated incidents');
    }
    idle.sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(8)} full pass: ${full.evaluated} incidents evaluated, ${
        full.decisions
      } decisions in ${(fullMs / 1000).toFixed(
        2,
      )} s | idle tick (nothing due): median ${idle[10].toFixed(
        2,
      )} ms, max ${idle[19].toFixed(
        2,
      )} ms (targets: full pass < 2 s, idle < 20 ms)`,
    );
  } finally {
    await close();
  }
}

async function main() {
  console.log(
    `Escalation engine benchmark: ${N} open incidents; ${os.cpus().length} x ${
      os.cpus()[0]?.model ?? 'cpu'
    }, node ${process.version}`,
  );
  if (!process.env.ONLY || process.env.ONLY === 'sqlite') await run('sqlite');
  if (!process.env.ONLY || process.env.ONLY === 'postgres')
    await run('postgres');
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
