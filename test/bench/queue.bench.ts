// Benchmark for the Ops queue (GET /queue): one page of open incidents with their SLA clocks,
// breaching first (every matching incident's clocks are read and sorted) and by priority
// (paged in SQL, the page's clocks only), on SQLite and PostgreSQL. Prints figures; asserts
// nothing.
import { PolicyBook } from '@acme/plugin-incident-ops-backend/src/escalation/PolicyBook';
import { openDatabase } from './databases';
import {
  DEFAULT_ESCALATION_POLICY,
  Incident,
  IncidentStatus,
  Priority,
  Tier,
} from '@acme/plugin-incident-ops-common';
import { createStores } from '@acme/plugin-incident-ops-backend/src/database';
import { readQueue } from '@acme/plugin-incident-ops-backend/src/routes/queue';

const OPEN = Number(process.env.BENCH_OPEN_INCIDENTS ?? 10_000);
const CLOSED = Number(process.env.BENCH_CLOSED_INCIDENTS ?? 90_000);

function incidents(now: number): Incident[] {
  const priorities: Priority[] = ['P1', 'P2', 'P3', 'P4'];
  const tiers: Tier[] = ['L1', 'L2', 'L3'];
  const statuses: IncidentStatus[] = [
    'work-in-progress',
    'unassigned',
    'awaiting-customer',
    'escalated',
  ];
  return Array.from({ length: OPEN + CLOSED }, (_, n) => {
    const open = n < OPEN;
    const openedAt = new Date(now - (n % 5000) * 60_000).toISOString();
    const status: IncidentStatus = open ? statuses[n % 4] : 'closed';
    return {
      source: 'servicenow',
      id: n.toString(16).padStart(32, '0'),
      number: `INC${String(30_000_000 + n)}`,
      shortDescription: `Synthetic incident ${n}`,
      description: 'x'.repeat(400),
      priority: priorities[n % 4],
      status,
      sourceState: open ? '2' : '7',
      tier: tiers[n % 3],
      assignedTo:
        status === 'unassigned' ? undefined : { id: 'u', name: 'Engineer' },
      configurationItem: {
        id: `ci${n % 50}`,
        name: `cluster-${n % 5}:ns-${n % 50}`,
      },
      ticketType: n % 3 ? 'egress' : 'gitops',
      openedAt,
      sourceUpdatedAt: openedAt,
      sourceVersion: 1,
      syncedAt: new Date(now).toISOString(),
    };
  });
}

const timed = async (runs: number, fn: () => Promise<unknown>) => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(runs / 2)], max: ms[runs - 1] };
};

async function run(kind: string) {
  const { db, close } = await openDatabase(kind);
  try {
    const database = { getClient: async () => db } as any;
    const {
      incidents: store,
      escalations,
      queue,
    } = await createStores({ database });
    const now = Date.now();
    await store.upsertIncidents(incidents(now));
    // one suite transition on every 20th open incident: a status history to read
    const events = Array.from({ length: Math.floor(OPEN / 20) }, (_, i) => ({
      source: 'servicenow',
      source_id: (i * 20).toString(16).padStart(32, '0'),
      number: `INC${String(30_000_000 + i * 20)}`,
      type: 'transition',
      from_status: 'unassigned',
      to_status: 'work-in-progress',
      actor: 'user:default/bench',
      created_at: new Date(now - 60_000),
    }));
    for (let i = 0; i < events.length; i += 200) {
      await db('incident_events').insert(events.slice(i, i + 200));
    }
    if (kind === 'postgres') await db.raw('ANALYZE');
    const ctx = {
      escalations,
      policies: new PolicyBook(escalations, DEFAULT_ESCALATION_POLICY),
      queue,
    };
    const page = (sort: 'breaching' | 'priority', filter = {}) =>
      readQueue(ctx, filter, { sort, limit: 50, offset: 0 });

    const breaching = await timed(5, () => page('breaching'));
    const byPriority = await timed(5, () => page('priority'));
    const p1 = await timed(5, () => page('breaching', { priority: ['P1'] }));
    console.log(
      `${kind.padEnd(8)} ${OPEN} open of ${
        OPEN + CLOSED
      }: breaching first median ${breaching.median.toFixed(
        0,
      )} ms (max ${breaching.max.toFixed(
        0,
      )}) | P1 only, breaching first ${p1.median.toFixed(
        0,
      )} ms | by priority (SQL paging) ${byPriority.median.toFixed(
        0,
      )} ms (max ${byPriority.max.toFixed(0)})`,
    );
  } finally {
    await close();
  }
}

(async () => {
  for (const kind of ['sqlite', 'postgres']) await run(kind);
})().catch(e => {
  console.error(e);
  process.exit(1);
});
