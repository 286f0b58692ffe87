// The large platform the read benchmarks (reads, ui) run on: 1,000,000 incidents, 50,000 of
// them open, over 3 clusters and 5,000 namespaces, with a catalog of the same shape; one
// incident (READ_NUMBER) has a timeline of 500 events. The incidents are generated in the
// database (generate_series on PostgreSQL, a recursive CTE on SQLite, as the reports bench
// does); their namespace mentions are then indexed by the plugin's own migration
// (20261207060000_incident_mentions), whose backfill is timed. The escalation engine then
// makes its first pass over the open ones.
import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import { migrationsDir as directory } from '@acme/plugin-incident-ops-backend/src/database/migrate';
import { mentionedNames } from '@acme/plugin-incident-ops-backend/src/database/mentionIndex';
import { createStores } from '@acme/plugin-incident-ops-backend/src/database';
import { EscalationEngine } from '@acme/plugin-incident-ops-backend/src/escalation/EscalationEngine';
import { PolicyBook } from '@acme/plugin-incident-ops-backend/src/escalation/PolicyBook';
import { DEFAULT_ESCALATION_POLICY } from '@acme/plugin-incident-ops-common';
import { quietLogger } from './databases';

export const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
export const OPEN = Math.round(INCIDENTS / 20);
export const CLUSTERS = 3;
export const NAMESPACES = 5_000;
export const TIMELINE_EVENTS = 500;
/** The incident with the long timeline (an open one). */
export const READ_NUMBER = `INC${20_000_000 + 40}`;
const MENTIONS_MIGRATION = '20261207060000_incident_mentions.js';
const CI = 'incident-ops.acme.com/servicenow-cmdb-ci';

export const clusterName = (c: number) => `cluster-${c}`;
/** Namespace k runs on cluster k % 3. */
export const namespaceName = (k: number) => `team${k}-prod`;

/** The catalog: each cluster with its namespaces, as the ingestion relates them. */
export function catalogEntities(): Entity[] {
  const resource = (
    name: string,
    type: string,
    ci: string,
    relations: Entity['relations'],
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', annotations: { [CI]: ci } },
    spec: { type, owner: 'group:default/kube-admins' },
    relations,
  });
  const entities: Entity[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    const relations = [];
    for (let k = c; k < NAMESPACES; k += CLUSTERS) {
      relations.push({
        type: 'dependencyOf',
        targetRef: `resource:default/${namespaceName(k)}`,
      });
    }
    entities.push(
      resource(clusterName(c), 'kubernetes-cluster', clusterName(c), relations),
    );
  }
  for (let k = 0; k < NAMESPACES; k++) {
    const c = k % CLUSTERS;
    entities.push(
      resource(
        namespaceName(k),
        'kubernetes-namespace',
        `${clusterName(c)}:${namespaceName(k)}`,
        [
          {
            type: 'dependsOn',
            targetRef: `resource:default/${clusterName(c)}`,
          },
        ],
      ),
    );
  }
  return entities;
}

/**
 * The escalation engine on this database, as the plugin schedules it (every 30 s): the reads
 * bench ticks it before each series, as the schedule would have.
 */
export async function escalationEngine(db: Knex) {
  const { escalations } = await createStores({
    database: { getClient: async () => db } as any,
  });
  return new EscalationEngine({
    store: escalations,
    policies: new PolicyBook(escalations, DEFAULT_ESCALATION_POLICY),
    groupOf: tier => `Atlas-${tier}`,
    logger: quietLogger,
  });
}

/**
 * Migrates up to the mention index, generates the incidents, events and escalation state,
 * then runs the rest of the migrations (the mention backfill among them). Returns the
 * seconds each step took.
 */
export async function generate(db: Knex, pg: boolean) {
  // BENCH_BACKFILL=1: the incidents are generated before the mention index's migration, whose
  // backfill then indexes them (and is timed); else the index's rows are generated with them
  const backfill = process.env.BENCH_BACKFILL === '1';
  for (;;) {
    const [, pending] = await db.migrate.list({ directory });
    if (pending.length === 0) break;
    if (
      backfill &&
      (pending[0]?.file ?? pending[0]?.name) === MENTIONS_MIGRATION
    ) {
      break;
    }
    await db.migrate.up({ directory });
  }
  const t0 = performance.now();
  const series = (count: number, insert: string, select: string) =>
    pg
      ? `${insert} ${select.replace(
          '__SERIES__',
          `generate_series(1::bigint, ${count}) AS s(n)`,
        )}`
      : `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${count})
         ${insert} ${select.replace('__SERIES__', 's')}`;
  const ts = (ms: string) =>
    pg ? `to_timestamp((${ms}) / 1000.0)` : `(${ms})`;
  const bool = (cond: string) =>
    `CASE WHEN ${cond} THEN ${pg ? 'true' : '1'} ELSE ${
      pg ? 'false' : '0'
    } END`;
  const now = Date.now();
  // every 20th incident is open; opened over two years, newest first
  const open = `n % 20 = 0`;
  const opened = `(${now} - n * 63000)`;
  // (n / 20: the open ones, every 20th, spread over every namespace too)
  const k = `((n * 7919 + n / 20) % ${NAMESPACES})`;
  const c = `(${k} % ${CLUSTERS})`;
  const ns = `'team' || ${k} || '-prod'`;
  const cluster = `'cluster-' || ${c}`;
  // 85% on their namespace's CMDB CI, 10% on their cluster's, 5% on none
  // (by n / 20, so that open ones, every 20th, are spread the same way)
  const ciName = `CASE WHEN (n / 20) % 20 < 17 THEN ${cluster} || ':' || ${ns}
                       WHEN (n / 20) % 20 < 19 THEN ${cluster} END`;
  const ciId = `CASE WHEN (n / 20) % 20 < 17 THEN 'ci-ns-' || ${k}
                     WHEN (n / 20) % 20 < 19 THEN 'ci-cl-' || ${c} END`;
  const short = `CASE n % 4
      WHEN 0 THEN 'Egress from ' || ${ns} || ' to api.partner-bank.com:443'
      WHEN 1 THEN 'Pods crash-looping in ' || ${ns} || ' after deploy'
      WHEN 2 THEN 'GitLab runner cannot reach artifactory.acme.internal'
      ELSE 'Node pool memory pressure on ' || ${cluster} END`;
  const description = `'Reported by caller-' || (n % 5000) || '. Change CHG' || (n % 100000) ||
      ' approved; see runbook rb-' || (n % 40) || ' for namespace ' || ${ns} ||
      ' and the ingress-nginx logs.'`;
  const priority = `CASE WHEN (n * 31) % 100 < 3 THEN 'P1' WHEN (n * 31) % 100 < 15 THEN 'P2'
                         WHEN (n * 31) % 100 < 60 THEN 'P3' ELSE 'P4' END`;
  const tier = `CASE (n * 13) % 3 WHEN 0 THEN 'L1' WHEN 1 THEN 'L2' ELSE 'L3' END`;
  const status = `CASE WHEN ${open} THEN CASE (n / 20) % 4 WHEN 0 THEN 'unassigned'
                    WHEN 1 THEN 'work-in-progress' WHEN 2 THEN 'awaiting-customer'
                    ELSE 'escalated' END ELSE 'closed' END`;
  await db.raw(
    series(
      INCIDENTS,
      `INSERT INTO incidents (source, source_id, number, short_description, description,
         priority, status, is_open, source_state, tier, ticket_type, ci_id, ci_name,
         assignment_group_id, assignment_group_name, opened_at, tier_entered_at, resolved_at,
         source_updated_at, source_version, synced_at)`,
      `SELECT 'servicenow', 'b' || n, 'INC' || (20000000 + n), ${short}, ${description},
              ${priority}, ${status}, ${bool(
        open,
      )}, CASE WHEN ${open} THEN '2' ELSE '7' END,
              ${tier}, CASE (n / 60) % 3 WHEN 0 THEN 'egress' WHEN 1 THEN 'gitops' ELSE 'other' END,
              ${ciId}, ${ciName}, 'g' || ((n * 13) % 3),
              CASE (n * 13) % 3 WHEN 0 THEN 'Atlas-L1-Support' WHEN 1 THEN 'Atlas-L2-Platform'
                   ELSE 'Atlas-L3-Evangelists' END,
              ${ts(opened)}, ${ts(opened)},
              CASE WHEN ${open} THEN NULL ELSE ${ts(`${opened} + 7200000`)} END,
              ${ts(`${opened} + 1000 + (n * 7919) % 59000`)}, 1, ${ts(
        `${opened} + 60000`,
      )}
         FROM __SERIES__`,
    ),
  );
  if (!backfill) {
    // what mentionedNames() finds in the texts above: the words with a '-'
    const words: Array<[string, string]> = [
      ['1 = 1', ns],
      ['1 = 1', `'caller-' || (n % 5000)`],
      ['1 = 1', `'rb-' || (n % 40)`],
      ['1 = 1', `'ingress-nginx'`],
      ['n % 4 = 0', `'partner-bank'`],
      ['n % 4 = 1', `'crash-looping'`],
      ['n % 4 = 3', cluster],
    ];
    for (const [where, word] of words) {
      await db.raw(
        series(
          INCIDENTS,
          'INSERT INTO incident_mentions (source, source_id, name)',
          `SELECT 'servicenow', 'b' || n, ${word} FROM __SERIES__ WHERE ${where}`,
        ),
      );
    }
  }
  const incidentsSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  // the escalation engine's state: open ones due some time in the next day
  await db.raw(
    `INSERT INTO incident_escalation_state (source, source_id, due_at)
     SELECT source, source_id, CASE WHEN is_open = ${
       pg ? 'true' : '1'
     } THEN opened_at END FROM incidents`,
  );
  // a status change on every tenth incident, and the long timeline of READ_NUMBER
  await db.raw(
    `INSERT INTO incident_events (source, source_id, number, type, from_status, to_status,
       actor, created_at)
     SELECT source, source_id, number, 'status-change', 'unassigned', 'work-in-progress',
            'servicenow', opened_at FROM incidents WHERE source_version = 1
            AND ${
              pg
                ? 'substr(source_id, 2)::bigint'
                : 'CAST(substr(source_id, 2) AS INTEGER)'
            } % 10 = 0`,
  );
  await db.raw(
    series(
      TIMELINE_EVENTS,
      `INSERT INTO incident_events (source, source_id, number, type, from_status, to_status,
         actor, note, created_at)`,
      `SELECT 'servicenow', 'b40', '${READ_NUMBER}', 'transition',
              CASE n % 2 WHEN 0 THEN 'work-in-progress' ELSE 'awaiting-customer' END,
              CASE n % 2 WHEN 0 THEN 'awaiting-customer' ELSE 'work-in-progress' END,
              'user:default/engineer-' || (n % 7), 'Step ' || n || ' of the investigation',
              ${ts(`${now} - 86400000 + n * 60000`)}
         FROM __SERIES__`,
    ),
  );
  const eventsSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  await db.migrate.latest({ directory });
  const migrationSeconds = (performance.now() - t2) / 1000;
  await db.raw(pg ? 'VACUUM ANALYZE' : 'ANALYZE');
  // the escalation engine's first pass over the open incidents, as after a deploy: it
  // records their decisions and stores each SLA clock's place in the queue's order
  const t3 = performance.now();
  const engine = await (await escalationEngine(db)).tick();
  const engineSeconds = (performance.now() - t3) / 1000;
  // (the visibility map too, so that PostgreSQL counts from an index alone)
  await db.raw(pg ? 'VACUUM ANALYZE' : 'ANALYZE');
  // the generated index holds what the store would have written: checked on a sample
  const sample = await db('incidents')
    .whereIn(
      'source_id',
      Array.from(
        { length: 200 },
        (_, i) => `b${1 + i * Math.floor(INCIDENTS / 200)}`,
      ),
    )
    .select('source_id', 'short_description', 'description');
  const stored = await db('incident_mentions')
    .whereIn(
      'source_id',
      sample.map(r => r.source_id),
    )
    .select('source_id', 'name');
  for (const r of sample) {
    const want = mentionedNames(r.short_description, r.description).sort();
    const got = stored
      .filter(m => m.source_id === r.source_id)
      .map(m => m.name)
      .sort();
    if (want.join() !== got.join()) {
      throw new Error(
        `Generated mentions of ${r.source_id}: ${got} but the store writes ${want}`,
      );
    }
  }
  return {
    incidentsSeconds,
    eventsSeconds,
    migrationSeconds,
    engineSeconds,
    engine,
    backfill,
  };
}

/** The mention table's rows, and its size with its indexes where the database says it. */
export async function mentionTableSize(db: Knex, pg: boolean) {
  const [{ n }] = await db('incident_mentions').count({ n: '*' });
  let bytes: number | undefined;
  let incidentsBytes: number | undefined;
  if (pg) {
    const size = async (t: string) =>
      Number(
        (await db.raw('SELECT pg_total_relation_size(?) AS b', [t])).rows[0].b,
      );
    bytes = await size('incident_mentions');
    incidentsBytes = await size('incidents');
  } else {
    try {
      const rows: Array<{ name: string; b: number }> = await db.raw(
        `SELECT name, SUM(pgsize) AS b FROM dbstat GROUP BY name`,
      );
      const sum = (pred: (name: string) => boolean) =>
        rows.filter(r => pred(r.name)).reduce((s, r) => s + Number(r.b), 0);
      bytes = sum(
        x =>
          x === 'incident_mentions' ||
          x.startsWith('incident_mentions_') ||
          x === 'sqlite_autoindex_incident_mentions_1',
      );
      incidentsBytes = sum(
        x =>
          x === 'incidents' ||
          x.startsWith('incidents_') ||
          x === 'sqlite_autoindex_incidents_1' ||
          x === 'sqlite_autoindex_incidents_2',
      );
    } catch {
      // dbstat is not compiled in
    }
  }
  return { rows: Number(n), bytes, incidentsBytes };
}
