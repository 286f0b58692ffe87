// End to end: the app with the ServiceNow simulator; entity pages
// show the incidents that came through the ServiceNow sync, in headless Chromium.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { APP_URL, OUTPUT, openBrowser, startApp } from './app.ts';

let stopApp: () => Promise<void> = async () => {};
let browser: BrowserContext;
let page: Page;

before(async () => {
  stopApp = await startApp();
  browser = await openBrowser();
  page = await browser.newPage();
  // Guest sign-in
  await page.goto(APP_URL);
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 60_000 });
  await page.getByText('Catalog').first().waitFor({ timeout: 60_000 });
  // away from the sidebar, which expands under the pointer and would cover the page
  await page.mouse.move(1300, 900);
});

after(async () => {
  await browser?.close();
  await stopApp();
});

/** Opens an entity page, reloading until the first sync has brought incidents. */
async function openWithIncidents(url: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    await page.goto(url);
    const rows = page.getByTestId(/^incident-INC\d+$/);
    try {
      await rows.first().waitFor({ timeout: 15_000 });
      return { rows };
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

test('a cluster page shows its incidents on the Incidents card', async () => {
  const { rows } = await openWithIncidents(
    `${APP_URL}/catalog/default/resource/abrc1l`,
  );
  const count = await rows.count();
  assert.ok(count >= 3, `expected several incidents on abrc1l, saw ${count}`);
  const text = await page
    .getByRole('table', { name: 'Open incidents' })
    .innerText();
  assert.match(text, /INC\d{8}/);
  assert.match(text, /in namespace livelink-prod/);
  assert.match(text, /P[1-4]/);
  assert.match(page.url(), /abrc1l/);
  await page.screenshot({
    path: path.join(OUTPUT, 'cluster-abrc1l.png'),
    fullPage: true,
  });
});

test('a service page shows the incidents of its namespace', async () => {
  const { rows } = await openWithIncidents(
    `${APP_URL}/catalog/default/component/livelink-api`,
  );
  assert.ok((await rows.count()) >= 1);
  const text = await page
    .getByRole('table', { name: 'Open incidents' })
    .innerText();
  assert.match(text, /via namespace livelink-prod/);
  await page.screenshot({
    path: path.join(OUTPUT, 'service-livelink-api.png'),
    fullPage: true,
  });
});

test('an entity without a CMDB CI tells its owner which annotation to add', async () => {
  await page.goto(`${APP_URL}/catalog/default/component/docs-site`);
  await page
    .getByText('incident-ops.acme.com/servicenow-cmdb-ci')
    .first()
    .waitFor({ timeout: 60_000 });
  await page.screenshot({
    path: path.join(OUTPUT, 'service-docs-site.png'),
    fullPage: true,
  });
});

test('the sync admin page shows the ServiceNow sync and its quarantine', async () => {
  await page.goto(`${APP_URL}/incident-ops/sync`);
  await page
    .getByText('behind ServiceNow')
    .first()
    .waitFor({ timeout: 60_000 });
  await page.getByText('Quarantine').first().waitFor();
  assert.ok(await page.getByRole('button', { name: /sync now/i }).isVisible());
  await page.screenshot({
    path: path.join(OUTPUT, 'sync-admin.png'),
    fullPage: true,
  });
});

test("the engine's escalations to L2 reach the L2 team on the app's notifications page", async () => {
  // the guest is in Atlas L2 Platform; the engine's first pass escalates the seeded tickets
  // that are overdue at L1, and each is delivered through the outbox as a Backstage
  // notification to the group
  const deadline = Date.now() + 120_000;
  for (;;) {
    await page.goto(`${APP_URL}/notifications`);
    await page
      .getByText(/^Unread notifications \(\d+\)$/)
      .waitFor({ timeout: 30_000 });
    // the list (live toasts show titles only; the list has each one's explanation)
    const text = await page.locator('body').innerText();
    if (
      /INC\d{8} escalated to L2 \(P[1-4]\)/.test(text) &&
      /L1 → L2: /.test(text)
    ) {
      break;
    }
    assert.ok(Date.now() < deadline, `no escalation to L2 listed:\n${text}`);
    await page.waitForTimeout(5000);
  }
  await page.screenshot({
    path: path.join(OUTPUT, 'notifications-l2.png'),
    fullPage: true,
  });
});
