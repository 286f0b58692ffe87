// End to end: the Reports page in headless Chromium, on the app's own data (the simulator's
// tickets as synced, and the escalation engine's decisions).
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
  await page.mouse.move(1300, 900);
});

after(async () => {
  await browser?.close();
  await stopApp();
});

test('the Reports page is in the nav and shows the weekly report', async () => {
  await page.getByRole('link', { name: 'Incident reports' }).click();
  await page.waitForURL(/\/incident-ops\/reports/);
  await page
    .getByText('Escalation trend', { exact: true })
    .waitFor({ timeout: 60_000 });
  const sla = page.getByRole('table', { name: 'SLA compliance per priority' });
  await sla.waitFor();
  assert.match(await sla.innerText(), /P1[\s\S]*P4/);
  assert.match(
    await page.getByRole('button', { name: /Period/ }).innerText(),
    /\d{4}-W\d{2}/,
  );
  assert.ok(
    await page.getByRole('button', { name: /Download CSV/ }).isEnabled(),
  );
  // off the charts (a tooltip would cover them) and the sidebar
  await page.mouse.move(1350, 20);
  await page.screenshot({
    path: path.join(OUTPUT, 'reports-weekly.png'),
    fullPage: true,
  });
});

test('the monthly report of the current month shows charts and recommendations', async () => {
  const month = new Date().toISOString().slice(0, 7);
  // the escalation engine's first pass over the synced tickets (10 s after start) is in it
  const escalations = page.getByRole('group', { name: 'Escalations' });
  for (let tries = 0; ; tries++) {
    await page.goto(`${APP_URL}/incident-ops/reports?month=${month}`);
    await page
      .getByText('Process-improvement recommendations')
      .waitFor({ timeout: 60_000 });
    const total = Number((await escalations.innerText()).match(/\d+/)?.[0]);
    if (total > 0) break;
    assert.ok(tries < 20, 'no escalations in this month after a minute');
    await page.waitForTimeout(3000);
  }
  // the synced tickets were resolved and acknowledged: the figures are there
  const resolution = page.getByRole('table', {
    name: 'Resolution times by Priority',
  });
  assert.match(await resolution.innerText(), /All tickets\s+\d+/);
  // every recommendation names its evidence, or the page says nothing stands out
  const list = page.getByRole('list', { name: 'Recommendations' });
  if (await list.count()) {
    assert.ok((await list.getByLabel('Evidence').count()) > 0);
  } else {
    await page.getByText('Nothing stands out this period').waitFor();
  }
  // off the charts (a tooltip would cover them) and the sidebar
  await page.mouse.move(1350, 20);
  await page.screenshot({
    path: path.join(OUTPUT, 'reports-monthly.png'),
    fullPage: true,
  });
});
