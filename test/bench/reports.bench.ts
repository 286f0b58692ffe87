// Benchmark for the reports (issue 8): a year of a large platform — 1,000,000 incidents with
// their escalations, SLA breaches, recurring-P2 flags, workflow events, KB suggestions and
// feedback, vendor cases, post-mortems, playbook runs and surveys — generated in the database
// (generate_series on PostgreSQL, a recursive CTE on SQLite); then the weekly, monthly and
// quarterly reports of a week, month and quarter in the middle of the year, each built three
// times. Prints figures; asserts nothing but that the reports found data.
import os from 'os';
import type { Knex } from 'knex';
import { openDatabase } from './databases';
import {
  DEFAULT_ESCALATION_POLICY,
  ReportKind,
  ReportResponse,
  parseReportPeriod,
  ReportPeriod,
} from '@acme/plugin-incident-ops-common';
import { migrate } from '@acme/plugin-incident-ops-backend/src/database/migrate';
import { DatabaseReportStore } from '@acme/plugin-incident-ops-backend/src/database/DatabaseReportStore';
import { ReportBuilder } from '@acme/plugin-incident-ops-backend/src/reports/ReportBuilder';

const N = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const T0 = Date.UTC(2026, 0, 1);
const STEP = Math.floor((365 * 86_400_000) / N);
const MIN = 60_000;

const TYPES = [
  'egress',
  'gitlab-ci-access',
  'node-provisioning',
  'gitops',
  'namespace-access',
  'cluster-outage',
  'security',
  'connectivity',
  'other',
];

/** The SQL of one dialect: timestamps from epoch milliseconds, and a series of integers. */
function dialect(pg: boolean) {
  return {
    /** A timestamp from an expression in epoch milliseconds. */
    ts: (ms: string) => (pg ? `to_timestamp((${ms}) / 1000.0)` : `(${ms})`),
    /** A timestamp column plus milliseconds. */
    plus: (column: string, ms: string) =>
      pg
        ? `(${column} + ((${ms}) * INTERVAL '1 millisecond'))`
        : `(${column} + (${ms}))`,
    /** INSERT … SELECT over n = 1…count. */
    fromSeries: (count: number, insert: string, select: string) =>
      pg
        ? `${insert} ${select.replace(
            '__SERIES__',
            `generate_series(1::bigint, ${count}) AS s(n)`,
          )}`
        : `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${count})
           ${insert} ${select.replace('__SERIES__', 's')}`,
  };
}

async function generate(db: Knex, pg: boolean) {
  const d = dialect(pg);
  const typeCase = `CASE (n * 104729) % 9 ${TYPES.map(
    (t, i) => `WHEN ${i} THEN '${t}'`,
  ).join(' ')} END`;
  const priority = `CASE WHEN (n * 7919) % 100 < 2 THEN 'P1' WHEN (n * 7919) % 100 < 15 THEN 'P2'
                         WHEN (n * 7919) % 100 < 60 THEN 'P3' ELSE 'P4' END`;
  const tier = `CASE WHEN (n * 7919) % 100 < 2 THEN 'L3' WHEN (n * 7919) % 100 < 15 THEN 'L2'
                     WHEN (n * 31) % 100 < 70 THEN 'L1' WHEN (n * 31) % 100 < 95 THEN 'L2'
                     ELSE 'L3' END`;
  const opened = `(${T0} + n * ${STEP})`;
  // the last 2% are still open; 3% of those are not answered yet
  const open = `n > ${Math.floor(N * 0.98)}`;
  const responded = `CASE WHEN ${open} AND (n * 13) % 100 < 3 THEN NULL
                          ELSE ${d.ts(
                            `${opened} + (1 + (n * 37) % 240) * ${MIN}`,
                          )} END`;
  const resolved = `CASE WHEN ${open} THEN NULL
                         ELSE ${d.ts(
                           `${opened} + (10 + (n * 53) % 2880) * ${MIN}`,
                         )} END`;
  await db.raw(
    d.fromSeries(
      N,
      `INSERT INTO incidents (source, source_id, number, short_description, priority, status,
         is_open, source_state, tier, ticket_type, ci_name, caller_id, caller_name, opened_at,
         tier_entered_at, responded_at, resolved_at, source_updated_at, source_version, synced_at)`,
      `SELECT 'servicenow', 'b' || n, 'INC' || (20000000 + n), 'Synthetic ticket ' || n,
              ${priority},
              CASE WHEN ${open} THEN 'work-in-progress' ELSE 'resolved' END,
              CASE WHEN ${open} THEN ${pg ? 'true' : '1'} ELSE ${
        pg ? 'false' : '0'
      } END,
              CASE WHEN ${open} THEN '2' ELSE '6' END,
              ${tier}, ${typeCase}, 'ci-' || ((n * 15485863) % 40),
              'caller-' || (n % 5000), 'Caller ' || (n % 5000),
              ${d.ts(opened)}, ${d.ts(opened)}, ${responded}, ${resolved},
              ${d.ts(`${opened} + 3000 * ${MIN}`)}, n, ${d.ts(
        `${opened} + 3000 * ${MIN}`,
      )}
         FROM __SERIES__`,
    ),
  );

  // Escalation decisions, as the engine and people record them (n is source_version).
  const esc = async (
    where: string,
    rule: string,
    action: string,
    from: string | null,
    to: string | null,
    afterMs: string,
    key: string,
  ) =>
    db.raw(
      `INSERT INTO incident_escalations (source, source_id, number, decision_key, action, rule,
         from_tier, to_tier, priority, ticket_type, explanation, clocks, created_at)
       SELECT i.source, i.source_id, i.number, ${key}, '${action}', ${rule},
              ${from ? `'${from}'` : 'NULL'}, ${
        to ? `'${to}'` : 'NULL'
      }, i.priority, i.ticket_type,
              'synthetic', '{}', ${d.plus('i.opened_at', afterMs)}
         FROM incidents i WHERE ${where}`,
    );
  const n = 'i.source_version';
  await esc(
    `i.priority = 'P1'`,
    `'p1-straight-to-l3'`,
    'escalate',
    'L1',
    'L3',
    `${MIN}`,
    `'p1-straight-to-l3:L1'`,
  );
  await esc(
    `i.priority = 'P1'`,
    `'p1-management-alert'`,
    'alert-management',
    null,
    null,
    `${MIN}`,
    `'p1-management-alert:incident'`,
  );
  await esc(
    `i.priority = 'P2'`,
    `'l1-to-l2-priority'`,
    'escalate',
    'L1',
    'L2',
    `${MIN}`,
    `'l1-to-l2-priority:L1'`,
  );
  const l1Rule = `CASE ${n} % 10 WHEN 0 THEN 'manual-complexity' WHEN 1 THEN 'l1-to-l2-kb-exhausted'
                  WHEN 2 THEN 'manual-stakeholder-request' ELSE 'l1-to-l2-unresolved' END`;
  await esc(
    `i.priority IN ('P3', 'P4') AND i.tier IN ('L2', 'L3')`,
    l1Rule,
    'escalate',
    'L1',
    'L2',
    `30 * ${MIN}`,
    `'l1:L1'`,
  );
  const l2Rule = `CASE ${n} % 3 WHEN 0 THEN 'manual-architectural-impact' ELSE 'any-tier-sla-breach' END`;
  await esc(
    `i.priority IN ('P3', 'P4') AND i.tier = 'L3'`,
    l2Rule,
    'escalate',
    'L2',
    'L3',
    `90 * ${MIN}`,
    `'l2:L2'`,
  );
  await esc(
    `i.priority = 'P2' AND ${n} % 4 = 0`,
    `'l2-to-l3-unresolved'`,
    'escalate',
    'L2',
    'L3',
    `61 * ${MIN}`,
    `'l2-to-l3-unresolved:L2'`,
  );
  await esc(
    `((${n} + 3) * 2654435761) % 4294967296 % 100 < 8`,
    `'sla-resolve'`,
    'sla-breach',
    null,
    null,
    `240 * ${MIN}`,
    `'sla-resolve:incident'`,
  );
  await esc(
    `((${n} + 5) * 2654435761) % 4294967296 % 100 < 5`,
    `'sla-respond'`,
    'sla-breach',
    null,
    null,
    `30 * ${MIN}`,
    `'sla-respond:incident'`,
  );
  await esc(
    `i.priority = 'P2' AND ${n} % 4 = 0 AND i.ci_name IN ('ci-3', 'ci-17')`,
    `'recurring-p2'`,
    'flag-recurring',
    null,
    null,
    `2 * ${MIN}`,
    `'recurring-p2:incident'`,
  );

  // Workflow events: taken into work, resolved; and 2% ran out of KB suggestions.
  const event = (
    type: string,
    from: string,
    to: string,
    at: string,
    where: string,
  ) =>
    db.raw(
      `INSERT INTO incident_events (source, source_id, number, type, from_status, to_status,
         actor, created_at)
       SELECT i.source, i.source_id, i.number, '${type}', ${from}, ${to}, 'user:default/engineer', ${at}
         FROM incidents i WHERE ${where}`,
    );
  await event(
    'transition',
    `'unassigned'`,
    `'work-in-progress'`,
    'i.responded_at',
    'i.responded_at IS NOT NULL',
  );
  await event(
    'transition',
    `'work-in-progress'`,
    `'resolved'`,
    'i.resolved_at',
    'i.resolved_at IS NOT NULL',
  );
  await event(
    'kb-exhausted',
    'NULL',
    'NULL',
    d.plus('i.opened_at', `20 * ${MIN}`),
    `${n} % 50 = 0`,
  );

  // Knowledge: 200 articles; two suggestions on every fifth ticket, feedback on every tenth.
  await db.raw(
    d.fromSeries(
      200,
      `INSERT INTO kb_articles (source, source_id, number, title, text, workflow_state,
         source_updated_at, source_version, synced_at)`,
      `SELECT 'servicenow', 'kb' || n, 'KB' || (10000 + n), 'Article ' || n, 'Text ' || n,
              'published', ${d.ts(`${T0}`)}, 1, ${d.ts(
        `${T0}`,
      )} FROM __SERIES__`,
    ),
  );
  for (const offset of [0, 1]) {
    await db.raw(
      `INSERT INTO kb_suggestion_views (incident_source, incident_source_id, number,
         article_source, article_id, rank, score, ticket_type, actor, shown_at)
       SELECT i.source, i.source_id, i.number, 'servicenow',
              'KB' || (10001 + (${n} * 7 + ${offset}) % 200), ${
        offset + 1
      }, 1.5, i.ticket_type,
              'user:default/engineer', ${d.plus('i.opened_at', `${MIN}`)}
         FROM incidents i WHERE ${n} % 5 = 0`,
    );
  }
  await db.raw(
    `INSERT INTO kb_feedback (incident_source, incident_source_id, number, article_source,
       article_id, helpful, actor, created_at)
     SELECT i.source, i.source_id, i.number, 'servicenow', 'KB' || (10001 + (${n} * 7) % 200),
            CASE WHEN (${n} * 3) % 10 < 6 THEN ${pg ? 'true' : '1'} ELSE ${
      pg ? 'false' : '0'
    } END,
            'user:default/engineer', ${d.plus('i.opened_at', `10 * ${MIN}`)}
       FROM incidents i WHERE ${n} % 10 = 0`,
  );

  // Vendor cases on half the P1s (4 h SLA): most answered in 2 h, some late, some never.
  await db.raw(
    `INSERT INTO vendor_engagements (source, source_id, number, vendor, case_id, opened_at,
       response_sla_ms, respond_by, responded_at, opened_by, created_at)
     SELECT i.source, i.source_id, i.number,
            CASE WHEN ${n} % 4 = 0 THEN 'aws' ELSE 'tanzu' END, 'case-' || ${n},
            ${d.plus('i.opened_at', `60 * ${MIN}`)}, ${240 * MIN},
            ${d.plus('i.opened_at', `300 * ${MIN}`)},
            CASE WHEN ${n} % 11 = 0 THEN NULL
                 WHEN ${n} % 7 = 0 THEN ${d.plus('i.opened_at', `420 * ${MIN}`)}
                 ELSE ${d.plus('i.opened_at', `180 * ${MIN}`)} END,
            'user:default/liaison', ${d.plus('i.opened_at', `60 * ${MIN}`)}
       FROM incidents i WHERE i.priority = 'P1' AND ${n} % 2 = 0`,
  );
  // Post-mortems on most resolved P1s, a third of them late.
  await db.raw(
    `INSERT INTO incident_updates (source, source_id, number, kind, message, actor, created_at)
     SELECT i.source, i.source_id, i.number, 'post-mortem', 'Post-mortem', 'user:default/evangelist',
            ${d.plus(
              'i.resolved_at',
              `CASE WHEN ${n} % 3 = 0 THEN 30 ELSE 12 END * 60 * ${MIN}`,
            )}
       FROM incidents i WHERE i.priority = 'P1' AND i.resolved_at IS NOT NULL AND ${n} % 5 <> 0`,
  );
  // Playbook runs on every tenth egress, GitLab and node ticket, three steps each.
  await db.raw(
    `INSERT INTO playbook_runs (source, source_id, number, playbook_id, playbook_title,
       definition, ticket_type, status, field_values, started_by, started_at, updated_at)
     SELECT i.source, i.source_id, i.number, i.ticket_type || '-playbook', i.ticket_type || ' playbook',
            '{"steps":[{"id":"s1","title":"Validate"},{"id":"s2","title":"Change"},{"id":"s3","title":"Verify"}]}',
            i.ticket_type, 'completed', '{}', 'user:default/engineer',
            ${d.plus('i.opened_at', `5 * ${MIN}`)}, ${d.plus(
      'i.opened_at',
      `60 * ${MIN}`,
    )}
       FROM incidents i
      WHERE i.ticket_type IN ('egress', 'gitlab-ci-access', 'node-provisioning') AND ${n} % 10 = 0`,
  );
  for (const step of ['s1', 's2', 's3']) {
    await db.raw(
      `INSERT INTO playbook_step_results (run_id, playbook_id, step_id, step_kind, status,
         actor, created_at)
       SELECT r.id, r.playbook_id, '${step}', 'task',
              CASE WHEN '${step}' = 's2' AND r.id % 6 = 0 THEN 'skipped'
                   WHEN '${step}' = 's3' AND r.id % 9 = 0 THEN 'failed' ELSE 'done' END,
              'user:default/engineer', r.updated_at
         FROM playbook_runs r`,
    );
  }
  // Surveys on every twentieth resolved ticket.
  await db.raw(
    `INSERT INTO incident_surveys (source, source_id, number, requestor, submitted_by, rating,
       comment, created_at, updated_at)
     SELECT i.source, i.source_id, i.number, i.caller_id, 'user:default/requestor',
            1 + ((${n} / 20) * 7) % 5, CASE WHEN ((${n} / 20) * 7) % 5 = 0 THEN 'Took too long' END,
            ${d.plus('i.resolved_at', `60 * ${MIN}`)}, ${d.plus(
      'i.resolved_at',
      `60 * ${MIN}`,
    )}
       FROM incidents i WHERE i.resolved_at IS NOT NULL AND ${n} % 20 = 0`,
  );
}

async function count(db: Knex, table: string) {
  const [{ n }] = await db(table).count({ n: '*' });
  return Number(n);
}

async function run(kind: 'sqlite' | 'postgres') {
  const { db, close } = await openDatabase(kind);
  try {
    const pg = kind === 'postgres';
    const database = { getClient: async () => db } as any;
    await migrate(database);
    const t0 = performance.now();
    await generate(db, pg);
    if (pg) await db.raw('ANALYZE');
    const genS = (performance.now() - t0) / 1000;
    const tables = [
      'incidents',
      'incident_escalations',
      'incident_events',
      'kb_suggestion_views',
      'kb_feedback',
      'playbook_step_results',
      'incident_surveys',
    ];
    const counts = await Promise.all(tables.map(t => count(db, t)));
    console.log(
      `${kind.padEnd(8)} generated in ${genS.toFixed(0)} s: ${tables
        .map((t, i) => `${counts[i].toLocaleString('en')} ${t}`)
        .join(', ')}`,
    );

    const builder = new ReportBuilder({
      store: new DatabaseReportStore(db),
      policy: DEFAULT_ESCALATION_POLICY,
    });
    const now = new Date('2027-01-02T08:00:00Z');
    const periods: Array<[ReportKind, string]> = [
      ['weekly', '2026-W27'],
      ['monthly', '2026-07'],
      ['quarterly', '2026-Q3'],
    ];
    for (const [reportKind, id] of periods) {
      const period = parseReportPeriod(reportKind, id) as ReportPeriod;
      const times: number[] = [];
      let report: ReportResponse | undefined;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        report = await builder.build(period, now);
        times.push(performance.now() - t);
      }
      if (!report || report.timeToResolve.overall.count === 0) {
        throw new Error(`${reportKind} report found nothing`);
      }
      times.sort((a, b) => a - b);
      console.log(
        `${kind.padEnd(8)} ${reportKind.padEnd(9)} ${id.padEnd(8)}: median ${(
          times[1] / 1000
        ).toFixed(2)} s, min–max ${(times[0] / 1000).toFixed(2)}–${(
          times[2] / 1000
        ).toFixed(2)} s | ${report.escalations.total.toLocaleString(
          'en',
        )} escalations, ${report.timeToResolve.overall.count.toLocaleString(
          'en',
        )} resolved, ${report.kb.suggestionsShown.toLocaleString(
          'en',
        )} KB suggestions, ${
          report.recommendations?.length ?? 0
        } recommendations${reportKind === 'weekly' ? ' (target < 2 s)' : ''}${
          reportKind === 'monthly' ? ' (target < 2 s)' : ''
        }`,
      );
    }
  } finally {
    await close();
  }
}

async function main() {
  console.log(
    `Reports benchmark: ${N.toLocaleString('en')} incidents over 2026; ${
      os.cpus().length
    } x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  );
  const only = process.env.BENCH_DATABASES?.split(',');
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (!only || only.includes(kind)) await run(kind);
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
