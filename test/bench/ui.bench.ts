// Benchmark of the pages in a browser (issue 17): the app as it runs in production (its
// production build, `yarn workspace app build`, served by the backend's app plugin on :7007;
// BENCH_UI_DEV=1 uses `backstage-cli repo start`'s development build on :3000 instead) and the
// ServiceNow simulator, with the incident-ops plugin on a PostgreSQL database holding
// 1,000,000 incidents (millionIncidents.ts; generated once into the database
// incident_ops_bench_ui and kept for the next run), and the bench's 3 clusters and 5,000
// namespaces added to the catalog. Headless Chromium opens a cluster page, the Ops queue and
// one incident; prints the time from navigation to the Incidents card's first row, the
// queue's first row and the incident's drawer: the median of 5 warm runs. Asserts nothing.
// Starts the app on ports 7007 and 7080 (and 3000 in development): run it under
// `flock /tmp/e2e.lock` (run.js does).
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import fs from 'fs';
import knexFactory from 'knex';
import os from 'os';
import path from 'path';
import { chromium, type Page, type Request } from 'playwright-core';
import {
  CLUSTERS,
  INCIDENTS,
  NAMESPACES,
  READ_NUMBER,
  catalogEntities,
  clusterName,
  generate,
} from './millionIncidents';

const ROOT = path.resolve(__dirname, '../..');
const DEV = process.env.BENCH_UI_DEV === '1';
const BACKEND_URL = 'http://localhost:7007';
/** In production the backend serves the app. */
const APP_URL = DEV ? 'http://localhost:3000' : BACKEND_URL;
const DATABASE = 'incident_ops_bench_ui';
const RUNS = 5;
/** Raised when what generate() writes changes: a database kept from before is made again. */
const DATA_VERSION = 2;
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

/** The bench database, generated unless a previous run left it complete. */
async function prepareDatabase() {
  const admin = knexFactory({ client: 'pg', connection: PG });
  const exists = await admin.raw(
    'SELECT 1 FROM pg_database WHERE datname = ?',
    [DATABASE],
  );
  const url = new URL(PG);
  url.pathname = `/${DATABASE}`;
  let ready = false;
  if (exists.rows.length > 0) {
    const db = knexFactory({ client: 'pg', connection: url.toString() });
    try {
      const marker = await db('bench_ui_marker').first();
      ready =
        marker?.incidents === INCIDENTS && marker?.version === DATA_VERSION;
    } catch {
      ready = false;
    } finally {
      await db.destroy();
    }
    if (!ready) await admin.raw('DROP DATABASE ??', [DATABASE]);
  }
  if (!ready) {
    await admin.raw('CREATE DATABASE ??', [DATABASE]);
    const db = knexFactory({ client: 'pg', connection: url.toString() });
    try {
      const t = performance.now();
      await generate(db, true);
      // the escalation engine looks at the open ones tomorrow: it would otherwise work all
      // 50,000 while the pages are timed
      await db('incident_escalation_state')
        .whereNotNull('due_at')
        .update({ due_at: new Date(Date.now() + 86_400_000) });
      await db.schema.createTable('bench_ui_marker', table => {
        table.integer('incidents');
        table.integer('version');
      });
      await db('bench_ui_marker').insert({
        incidents: INCIDENTS,
        version: DATA_VERSION,
      });
      console.log(
        `generated ${INCIDENTS} incidents into ${DATABASE} in ${(
          (performance.now() - t) /
          1000
        ).toFixed(0)} s`,
      );
    } finally {
      await db.destroy();
    }
  } else {
    console.log(`reusing ${DATABASE} (${INCIDENTS} incidents)`);
  }
  // The engine's first pass while generating recorded 100,000 decisions, and with them
  // notifications and write-backs: not what the pages wait on, so they are set aside
  // (discarded, as an admin would) rather than worked through while the pages are timed.
  const db = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    for (const table of ['incident_notifications', 'incident_outbox']) {
      await db(table)
        .whereIn('status', ['pending', 'running'])
        .update({ status: 'discarded', done_at: new Date() });
    }
  } finally {
    await db.destroy();
  }
  await admin.destroy();
  return url;
}

/** The config override and the bench's catalog, in a temp dir. */
function writeConfig(dir: string, db: URL) {
  const catalogFile = path.join(dir, 'bench-catalog.yaml');
  // JSON documents are YAML; the namespaces depend on their clusters, as the catalog has it
  const docs = catalogEntities().map(e => {
    const { relations, ...rest } = e;
    const dependsOn = (relations ?? [])
      .filter(r => r.type === 'dependsOn')
      .map(r => r.targetRef);
    return JSON.stringify({
      ...rest,
      spec: { ...rest.spec, ...(dependsOn.length ? { dependsOn } : {}) },
    });
  });
  fs.writeFileSync(catalogFile, docs.join('\n---\n'));
  const override = path.join(dir, 'app-config.bench-ui.yaml');
  fs.writeFileSync(
    override,
    JSON.stringify({
      backend: {
        database: {
          plugin: {
            'incident-ops': {
              client: 'pg',
              // it exists; the check would run on the app's own (SQLite) client
              ensureExists: false,
              connection: {
                host: db.hostname,
                port: Number(db.port || 5432),
                user: decodeURIComponent(db.username || 'postgres'),
                ...(db.password
                  ? { password: decodeURIComponent(db.password) }
                  : {}),
                database: DATABASE,
              },
            },
          },
        },
      },
      // production: the app is the backend's, on its origin
      ...(DEV ? {} : { app: { baseUrl: BACKEND_URL } }),
      catalog: {
        locations: [
          { type: 'file', target: '../../catalog-info.yaml' },
          {
            type: 'file',
            target: catalogFile,
            rules: [{ allow: ['Resource'] }],
          },
        ],
      },
    }),
  );
  return override;
}

async function isUp(url: string) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  ms: number,
) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not in ${ms / 1000} s`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

function startApp(override: string, log: string) {
  const out = fs.openSync(log, 'w');
  const configs = ['app-config.yaml', 'app-config.local.yaml']
    .map(f => path.join(ROOT, f))
    .filter(f => fs.existsSync(f));
  const run = (args: string[]) =>
    spawn('yarn', args, {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
  const config = [...configs, override].flatMap(c => ['--config', c]);
  const children: ChildProcess[] = [
    run(['workspace', '@acme/servicenow-simulator', 'start']),
    DEV
      ? run(['backstage-cli', 'repo', 'start', ...config])
      : run(['workspace', 'backend', 'start', ...config]),
  ];
  return async () => {
    for (const c of children) {
      try {
        process.kill(-c.pid!, 'SIGTERM');
      } catch {
        // gone
      }
    }
    await new Promise(r => setTimeout(r, 3000));
    for (const c of children) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
}

let lastApiMs = 0;

async function timeTo(
  page: Page,
  url: string,
  ready: (p: Page) => Promise<unknown>,
) {
  // the longest incident-ops API call of the visit, as the browser timed it
  let api = 0;
  const finished = (r: Request) => {
    if (!/\/api\/incident-ops\/(incidents|queue)/.test(r.url())) return;
    const { requestStart, responseEnd } = r.timing();
    if (requestStart >= 0 && responseEnd >= 0) {
      api = Math.max(api, responseEnd - requestStart);
    }
  };
  page.on('requestfinished', finished);
  const t = performance.now();
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  await ready(page);
  const total = performance.now() - t;
  page.off('requestfinished', finished);
  lastApiMs = api;
  return total;
}

async function main() {
  const db = await prepareDatabase();
  // BENCH_UI_PREPARE=1: only the database, which needs no lock (the app does)
  if (process.env.BENCH_UI_PREPARE === '1') return;
  for (const url of [`${BACKEND_URL}/api/incident-ops/health`, APP_URL]) {
    if (await isUp(url)) {
      throw new Error(`${url} answers already: stop the app first`);
    }
  }
  if (!DEV) {
    // the production build the backend serves (minified bundles, as users get them)
    const t = performance.now();
    const built = spawnSync('yarn', ['workspace', 'app', 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (built.status !== 0) throw new Error('yarn workspace app build failed');
    console.log(
      `app built for production in ${((performance.now() - t) / 1000).toFixed(
        0,
      )} s`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-ops-bench-ui-'));
  const log = path.join(dir, 'app.log');
  const stop = startApp(writeConfig(dir, db), log);
  const profile = fs.mkdtempSync(
    path.join(os.tmpdir(), 'incident-ops-bench-ui-profile-'),
  );
  try {
    const t0 = performance.now();
    await waitUntil(
      'backend',
      () => isUp(`${BACKEND_URL}/api/incident-ops/health`),
      480_000,
    );
    await waitUntil('frontend', () => isUp(APP_URL), 480_000);
    console.log(
      `app up in ${((performance.now() - t0) / 1000).toFixed(
        0,
      )} s (log: ${log})`,
    );

    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(APP_URL);
      await page
        .getByRole('button', { name: 'Enter' })
        .click({ timeout: 120_000 });
      await page.getByText('Catalog').first().waitFor({ timeout: 120_000 });

      const pages = [
        {
          name: `cluster page (${clusterName(
            0,
          )}): first row of the Incidents card`,
          url: `${APP_URL}/catalog/default/resource/${clusterName(0)}`,
          ready: (p: Page) =>
            p
              .getByTestId(/^incident-INC\d+$/)
              .first()
              .waitFor({ timeout: 120_000 }),
        },
        {
          name: 'Ops queue: first row',
          url: `${APP_URL}/incident-ops/queue`,
          ready: (p: Page) =>
            p
              .getByTestId(/^queue-INC\d+$/)
              .first()
              .waitFor({ timeout: 120_000 }),
        },
        {
          name: `incident ${READ_NUMBER} (500 timeline events): the drawer`,
          url: `${APP_URL}/incident-ops/queue?incident=${READ_NUMBER}`,
          ready: (p: Page) =>
            p
              .getByRole('dialog', { name: `Incident ${READ_NUMBER}` })
              .getByText('Timeline')
              .first()
              .waitFor({ timeout: 120_000 }),
        },
      ];
      // the catalog may still be reading the bench's 5,000 namespaces: the first visit waits
      await waitUntil(
        'the cluster page',
        async () => {
          try {
            await timeTo(page, pages[0].url, p =>
              p
                .getByTestId(/^incident-INC\d+$/)
                .first()
                .waitFor({ timeout: 20_000 }),
            );
            return true;
          } catch {
            return false;
          }
        },
        300_000,
      );
      const lines: string[] = [];
      for (const p of pages) {
        const cold = await timeTo(page, p.url, p.ready);
        const warm: number[] = [];
        const apis: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          warm.push(await timeTo(page, p.url, p.ready));
          apis.push(lastApiMs);
        }
        // BENCH_UI_SHOTS=<dir>: what the last visit showed
        if (process.env.BENCH_UI_SHOTS) {
          fs.mkdirSync(process.env.BENCH_UI_SHOTS, { recursive: true });
          await page.screenshot({
            path: path.join(
              process.env.BENCH_UI_SHOTS,
              `${pages.indexOf(p)}.png`,
            ),
          });
        }
        apis.sort((a, b) => a - b);
        warm.sort((a, b) => a - b);
        const median = warm[Math.floor(RUNS / 2)];
        lines.push(
          `${p.name.padEnd(60)} median ${(median / 1000).toFixed(
            2,
          )} s of ${RUNS} warm runs (${warm
            .map(m => (m / 1000).toFixed(2))
            .join(', ')}; first ${(cold / 1000).toFixed(
            2,
          )} s; the slowest incident-ops API call of a visit: median ${(
            apis[Math.floor(RUNS / 2)] / 1000
          ).toFixed(2)} s); target < 1.5 s: ${
            median < 1500 ? 'met' : 'NOT met'
          }`,
        );
        console.log(lines[lines.length - 1]);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await stop();
  }
}

console.log(
  `UI benchmark (${
    DEV ? 'development build' : 'production build'
  }): ${INCIDENTS} incidents in PostgreSQL (${CLUSTERS} clusters, ${NAMESPACES} namespaces); ${
    os.cpus().length
  } x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
);
main().catch(e => {
  console.error(e);
  process.exit(1);
});
