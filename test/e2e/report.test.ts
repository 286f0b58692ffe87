// End to end: reporting an incident from Backstage, in headless Chromium, against the app and
// the ServiceNow simulator. From a namespace page the guest writes a P2 about an NFS mount,
// sees the knowledge articles and the playbook that match while typing, submits, and finds
// the ticket with its INC number in the Ops queue and in the simulator's incident table,
// once, under the form's client key (correlation_id).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { APP_URL, OUTPUT, openBrowser, startApp } from './app.ts';

const SIMULATOR = 'http://localhost:7080/api/now/table';
const SIMULATOR_AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let stopApp: () => Promise<void> = async () => {};
let browser: BrowserContext;
let page: Page;

before(async () => {
  stopApp = await startApp();
  browser = await openBrowser();
  page = await browser.newPage();
  await page.goto(APP_URL);
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 60_000 });
  await page.getByText('Catalog').first().waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await stopApp();
});

/** A screenshot of the window, with the pointer away from the sidebar and the links. */
async function shoot(name: string) {
  const size = page.viewportSize()!;
  await page.mouse.move(size.width - 10, size.height - 10);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(OUTPUT, name) });
}

/**
 * Opens a page of the app, signing in as the guest again when it asks (the dev server
 * reloads the app when files change, and a reloaded app may start at the sign-in page).
 */
async function visit(url: string) {
  await page.goto(url);
  const enter = page.getByRole('button', { name: 'Enter' });
  const app = page.getByText('Catalog').first();
  await enter.or(app).first().waitFor({ timeout: 60_000 });
  if (await enter.isVisible()) {
    await enter.click();
    await app.waitFor({ timeout: 60_000 });
  }
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      // the dev backend restarts when its files change: ask again
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what} (${lastError ?? 'no answer'})`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** The simulator's Table API, as ServiceNow's. */
async function serviceNow(pathAndQuery: string) {
  const res = await fetch(`${SIMULATOR}/${pathAndQuery}`, {
    headers: { Accept: 'application/json', Authorization: SIMULATOR_AUTH },
  });
  const body = await res.text();
  assert.ok(res.ok, `${pathAndQuery}: ${res.status} ${body}`);
  return JSON.parse(body).result;
}

/** Picks an option of one of the form's selects (impact, urgency). */
async function choose(dialog: Locator, select: string, option: RegExp) {
  await dialog.getByRole('button', { name: new RegExp(select) }).click();
  await page.getByRole('option', { name: option }).click();
}

test('a P2 reported from a namespace page, with KB suggestions while typing, reaches the Ops queue and ServiceNow', async () => {
  try {
    await reportFromNamespacePage();
  } catch (e) {
    await shoot('report-failure.png').catch(() => {});
    throw e;
  }
});

async function reportFromNamespacePage() {
  const stamp = Date.now();
  const summary = `Add egress NFS access for livelink-prod to nas-prd-02 (e2e ${stamp})`;

  await visit(`${APP_URL}/catalog/default/resource/livelink-prod`);
  await page
    .getByRole('button', { name: 'Report an incident' })
    .first()
    .click({ timeout: 60_000 });
  const form = page.getByRole('dialog', {
    name: 'Report an incident on livelink-prod (abrc1l)',
  });
  await form.waitFor({ timeout: 30_000 });
  const preview = form.getByRole('region', {
    name: 'What this report will be',
  });
  // the namespace's CMDB CI, from its annotation, before anything is typed
  await preview.getByText('abrc1l:livelink-prod').waitFor();

  // typed as a person types; the text has what URL query validators refuse
  await form.getByLabel(/Short description/).pressSequentially(summary, {
    delay: 10,
  });
  await form
    .getByLabel(/^Description/)
    .fill(
      'The document-archive pods stay in ContainerCreating: "mount.nfs: Connection timed out" ' +
        '(TCP 2049 & 111) — 10.20.9.17 #filer + retry; tried twice.',
    );

  // the articles that match, the egress playbook and what it will be
  const articles = form.getByRole('list', {
    name: 'Suggested knowledge articles',
  });
  await articles
    .getByRole('link', { name: /NFS mounts from pods/ })
    .waitFor({ timeout: 30_000 });
  assert.ok(
    await form.getByRole('button', { name: /^This solved it: / }).count(),
  );
  await form.getByRole('link', { name: /^Egress Access/ }).waitFor();
  await preview.getByText('Egress', { exact: true }).waitFor();

  await choose(form, 'Impact', /^1 High/);
  await choose(form, 'Urgency', /^2 Medium/);
  await preview.getByText('P2 High').waitFor();
  await preview.getByText(/^L2/).waitFor({ timeout: 30_000 });
  await preview.getByText(/hour|60 minutes/).waitFor();
  await shoot('report-form.png');

  // submit; it is queued, then filed with its INC number
  await form.getByRole('button', { name: 'Report the incident' }).click();
  const status = page.getByTestId('report-status');
  await status.waitFor({ timeout: 30_000 });
  assert.match(await status.innerText(), /Queued, will be filed|Filed as INC/);
  const number = await until('the INC number', async () => {
    const m = /Filed as (INC\d+)/.exec(await status.innerText());
    return m?.[1];
  });
  await shoot('report-filed.png');
  await page.getByRole('button', { name: 'Close' }).click();

  // ServiceNow has it once, under the form's client key, as a P2 on the namespace's CI
  const [record] = await serviceNow(
    `incident?sysparm_query=number=${number}&sysparm_fields=number,short_description,impact,urgency,correlation_id,cmdb_ci`,
  );
  assert.equal(record.short_description, summary);
  assert.equal(record.impact, '1');
  assert.equal(record.urgency, '2');
  assert.match(record.correlation_id, UUID);
  const sameKey = await serviceNow(
    `incident?sysparm_query=${encodeURIComponent(
      `correlation_id=${record.correlation_id}`,
    )}&sysparm_fields=number`,
  );
  assert.deepEqual(
    sameKey.map((r: { number: string }) => r.number),
    [number],
  );
  const [ci] = await serviceNow(
    'cmdb_ci?sysparm_query=name=abrc1l:livelink-prod&sysparm_fields=sys_id',
  );
  assert.equal(record.cmdb_ci?.value ?? record.cmdb_ci, ci.sys_id);

  // and the Ops queue lists it, at P2
  await visit(`${APP_URL}/incident-ops/queue?sort=opened`);
  const row = page.getByTestId(`queue-${number}`);
  await row.waitFor({ timeout: 60_000 });
  const text = await row.innerText();
  assert.match(text, /P2/);
  assert.match(text, /Add egress NFS access for livelink-prod/);
}

test('the Ops queue reports on an entity picked from the catalog', async () => {
  try {
    await reportFromQueue();
  } catch (e) {
    await shoot('report-queue-failure.png').catch(() => {});
    throw e;
  }
});

async function reportFromQueue() {
  await visit(`${APP_URL}/incident-ops/queue`);
  await page
    .getByRole('button', { name: 'Report an incident' })
    .click({ timeout: 60_000 });
  const form = page.getByRole('dialog', { name: 'Report an incident' });
  const submit = form.getByRole('button', { name: 'Report the incident' });
  await form
    .getByLabel(/Short description/)
    .fill('Karpenter does not add GPU nodes on mecc');
  assert.equal(await submit.isDisabled(), true);
  await form
    .getByLabel(/Affected cluster, namespace or service/)
    .fill('karpenter');
  await page
    .getByRole('option', { name: /karpenter/ })
    .first()
    .click({ timeout: 30_000 });
  assert.equal(await submit.isDisabled(), false);
  await form
    .getByRole('region', { name: 'What this report will be' })
    .getByText('Node provisioning')
    .waitFor({ timeout: 30_000 });
  await shoot('report-form-queue.png');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await form.waitFor({ state: 'detached', timeout: 10_000 });
}

test('the form reads well in the dark theme', async () => {
  await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
  try {
    await visit(`${APP_URL}/catalog/default/resource/livelink-prod`);
    await page
      .getByRole('button', { name: 'Report an incident' })
      .first()
      .click({ timeout: 60_000 });
    const form = page.getByRole('dialog', { name: /^Report an incident/ });
    await form
      .getByLabel(/Short description/)
      .fill('Egress from livelink-prod to api.stripe.com:443 is blocked');
    await form
      .getByRole('list', { name: 'Suggested knowledge articles' })
      .waitFor({ timeout: 30_000 });
    assert.equal(
      await page.evaluate(() => document.body.getAttribute('data-theme-mode')),
      'dark',
    );
    await shoot('report-form-dark.png');
  } finally {
    await page.evaluate(() => window.localStorage.removeItem('theme'));
  }
});
