// End to end: the sync page lists an assignment group that maps to no tier, with its open
// tickets and the config key that gives it one, in headless Chromium.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { APP_URL, OUTPUT, openBrowser, startApp } from './app.ts';

const TABLE_API = 'http://localhost:7080/api/now/table';
const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

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
  await page.mouse.move(1300, 900);
});

after(async () => {
  await browser?.close();
  await stopApp();
});

/** Creates a record in the simulator's table; answers its sys_id. */
async function create(table: string, fields: object): Promise<string> {
  const res = await fetch(`${TABLE_API}/${table}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: ADMIN },
    body: JSON.stringify(fields),
  });
  assert.equal(res.status, 201, `POST ${table}: ${await res.clone().text()}`);
  return (await res.json()).result.sys_id;
}

test('the sync page lists a group with no tier and its open ticket', async () => {
  // A P4 (stays at L1 for triage for 30 min) in a group no tier maps.
  const name = `E2E-Unmapped-${Date.now()}`;
  const group = await create('sys_user_group', { name });
  await create('incident', {
    short_description: `Storage quota for ${name}`,
    impact: '3',
    urgency: '2',
    assignment_group: group,
  });

  const deadline = Date.now() + 180_000;
  const row = page.getByTestId(`unmapped-servicenow-${group}`);
  for (;;) {
    await page.goto(`${APP_URL}/incident-ops/sync`);
    try {
      await row.waitFor({ timeout: 15_000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await page.screenshot({ path: path.join(OUTPUT, 'sync-unmapped.png') });
        throw e;
      }
    }
  }
  const cells = await row.getByRole('cell').allInnerTexts();
  assert.deepEqual(cells.slice(0, 3), [name, 'ServiceNow', '1']);
  await page
    .getByText('incidentOps.tiers.<tier>.assignmentGroups')
    .waitFor({ timeout: 5_000 });
});
