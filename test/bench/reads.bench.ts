// Benchmark for the reads people wait on (issue 17), at 1,000,000 stored incidents (50,000
// open) over 3 clusters and 5,000 namespaces, on SQLite and PostgreSQL: the Incidents card of
// a cluster (its namespaces' incidents with it) and of a namespace, the Ops queue by default
// and filtered, and one incident with a timeline of 500 events, each through the plugin's
// real router over HTTP. Prints p50/p99 and the query plans of the SQL each read ran; asserts
// nothing. See millionIncidents.ts for the data.
import os from 'os';
import type { Knex } from 'knex';
import { openDatabase } from './databases';
import {
  CLUSTERS,
  INCIDENTS,
  NAMESPACES,
  OPEN,
  READ_NUMBER,
  catalogEntities,
  clusterName,
  escalationEngine,
  generate,
  mentionTableSize,
  namespaceName,
} from './millionIncidents';
import { startReadBackend } from './readBackend';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);

interface Read {
  name: string;
  target?: number;
  runs: number;
  path: (i: number) => string;
}

const reads: Read[] = [
  {
    name: 'entity list, cluster',
    target: 25,
    runs: RUNS,
    path: i =>
      `/incidents?entityRef=resource:default/${clusterName(i % CLUSTERS)}`,
  },
  {
    name: 'entity list, namespace',
    target: 25,
    runs: RUNS,
    path: i =>
      `/incidents?entityRef=resource:default/${namespaceName(
        (i * 97) % NAMESPACES,
      )}`,
  },
  {
    name: 'queue, default (breaching first)',
    target: 25,
    runs: RUNS,
    path: () => '/queue',
  },
  {
    name: 'queue, P1 only (breaching first)',
    target: 25,
    runs: RUNS,
    path: () => '/queue?priority=P1',
  },
  {
    name: 'queue, by priority',
    target: 25,
    runs: RUNS,
    path: () => '/queue?sort=priority',
  },
  {
    name: 'queue, L2 egress by priority',
    target: 25,
    runs: RUNS,
    path: () => '/queue?sort=priority&tier=L2&ticketType=egress',
  },
  {
    name: 'queue, a cluster (breaching first)',
    target: 25,
    runs: RUNS,
    path: i => `/queue?cluster=${clusterName(i % CLUSTERS)}`,
  },
  {
    name: 'incident with 500 timeline events',
    target: 50,
    runs: RUNS,
    path: () => `/incidents/${READ_NUMBER}`,
  },
];

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The plan of each distinct statement a request ran, and whether one scans incidents. */
async function plans(
  db: Knex,
  pg: boolean,
  statements: Array<{ sql: string; bindings: unknown[] }>,
) {
  const out: string[] = [];
  let seqScan = false;
  const seen = new Set<string>();
  for (const s of statements) {
    if (seen.has(s.sql) || !/^\s*select/i.test(s.sql)) continue;
    seen.add(s.sql);
    const sql = pg ? s.sql.replace(/\$\d+/g, '?') : s.sql;
    const rows = pg
      ? (await db.raw(`EXPLAIN ${sql}`, s.bindings as any)).rows.map(
          (r: any) => r['QUERY PLAN'],
        )
      : (await db.raw(`EXPLAIN QUERY PLAN ${sql}`, s.bindings as any)).map(
          (r: any) => r.detail,
        );
    const short = s.sql.length > 160 ? `${s.sql.slice(0, 160)}…` : s.sql;
    out.push(`    SQL: ${short.replace(/\s+/g, ' ')}`);
    for (const line of rows) out.push(`      ${line}`);
    if (
      rows.some((l: string) =>
        pg
          ? /Seq Scan on incidents\b/.test(l)
          : /^SCAN (incidents|i)\b(?!.*USING)/.test(l),
      )
    ) {
      seqScan = true;
    }
  }
  return { out, seqScan };
}

async function run(kind: 'sqlite' | 'postgres') {
  const pg = kind === 'postgres';
  const { db, close } = await openDatabase(kind);
  try {
    const t = await generate(db, pg);
    const size = await mentionTableSize(db, pg);
    const mb = (b?: number) =>
      b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MB`;
    console.log(
      `${kind}: generated ${INCIDENTS} incidents in ${t.incidentsSeconds.toFixed(
        1,
      )} s, events and escalation state in ${t.eventsSeconds.toFixed(
        1,
      )} s; mention index migration (backfill) ${t.migrationSeconds.toFixed(
        1,
      )} s: ${size.rows} rows (${(size.rows / INCIDENTS).toFixed(
        1,
      )} a ticket), ${mb(size.bytes)} with its indexes (incidents: ${mb(
        size.incidentsBytes,
      )}); the escalation engine's first pass: ${
        t.engine.evaluated
      } evaluated, ${t.engine.decisions} decisions in ${t.engineSeconds.toFixed(
        1,
      )} s`,
    );

    const backend = await startReadBackend(db, catalogEntities());
    const engine = await escalationEngine(db);
    try {
      const results: string[] = [];
      for (const read of reads) {
        // the engine's scheduled tick, which the bench backend does not run: without it the
        // tickets whose escalation time passes meanwhile pile up for the queue to read exactly
        await engine.tick();
        // warm up, and record the statements of one request
        await backend.get(read.path(0));
        const statements: Array<{ sql: string; bindings: unknown[] }> = [];
        const record = (q: any) =>
          statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
        db.on('query', record);
        const { body } = await backend.get(read.path(1));
        db.removeListener('query', record);
        const ms: number[] = [];
        for (let i = 0; i < read.runs; i++) {
          ms.push((await backend.get(read.path(i))).ms);
        }
        ms.sort((a, b) => a - b);
        const p50 = pct(ms, 50);
        const p99 = pct(ms, 99);
        const plan = await plans(db, pg, statements);
        const rows = Array.isArray(body.items)
          ? `${body.items.length} rows${
              body.total !== undefined ? ` of ${body.total}` : ''
            }`
          : `${body.timeline?.events?.length ?? 0} timeline entries`;
        const met =
          read.target === undefined
            ? ''
            : p99 < read.target
            ? 'met'
            : 'NOT met';
        results.push(
          `${kind.padEnd(8)} ${read.name.padEnd(36)} p50 ${p50
            .toFixed(1)
            .padStart(7)} ms  p99 ${p99.toFixed(1).padStart(7)} ms  (${
            read.runs
          } runs, ${rows}; target p99 < ${
            read.target
          } ms: ${met}; seq scan on incidents: ${plan.seqScan ? 'YES' : 'no'})`,
        );
        console.log(results[results.length - 1]);
        if (process.env.BENCH_PLANS !== '0') console.log(plan.out.join('\n'));
      }
      console.log(`\nSummary (${kind}):\n${results.join('\n')}`);
    } finally {
      await backend.stop();
    }
  } finally {
    await close();
  }
}

(async () => {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(
    `Read benchmark: ${INCIDENTS} incidents (${OPEN} open), ${CLUSTERS} clusters, ${NAMESPACES} namespaces; ${
      os.cpus().length
    } x ${cpu}, node ${process.version}`,
  );
  const only = process.env.BENCH_DATABASES?.split(',');
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (!only || only.includes(kind)) await run(kind);
  }
})().catch(e => {
  console.error(e);
  process.exit(1);
});
