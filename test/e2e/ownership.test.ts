// End to end: the ownership matrix shows the catalog's planted gap (rtg has no vendor
// liaison, nor do its namespaces), and entity pages show the escalation contacts, inherited
// from the namespace and the cluster. In headless Chromium against the running app.
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

test('the ownership matrix shows the planted gap: rtg has no vendor liaison', async () => {
  await page.goto(`${APP_URL}/incident-ops/ownership`);
  const table = page.getByRole('table', { name: 'Role accountability matrix' });
  await table.waitFor({ timeout: 60_000 });
  const columns = await table.getByRole('columnheader').allInnerTexts();
  assert.deepEqual(columns.slice(2), [
    'Support Engineer',
    'Evangelist',
    'Team Lead',
    'Kube-Admin',
    'Vendor Liaison',
  ]);

  // the gap cell, labelled for screen readers, on the cluster row and inherited below
  const gap = page.getByRole('cell', {
    name: 'Vendor Liaison of rtg: gap, nobody holds it',
  });
  await gap.waitFor();
  assert.match(await gap.innerText(), /Gap/);
  assert.match(
    await page.getByRole('status').first().innerText(),
    /4 gaps across 13 clusters and namespaces: Vendor Liaison 4/,
  );
  // an inherited cell says where it comes from
  assert.match(
    await page.getByTestId('matrix-row-livelink-uat').innerText(),
    /Carlos Rivera\s+inherited from abrc1l/,
  );
  await page.screenshot({
    path: path.join(OUTPUT, 'ownership-matrix.png'),
    fullPage: true,
  });

  // only the rows with gaps: rtg and its three namespaces
  await page.getByRole('checkbox', { name: 'Only rows with gaps' }).check();
  await page.getByText('4 of 13 rows, 4 gaps').waitFor();
  const rows = await table.getByRole('rowheader').allInnerTexts();
  assert.deepEqual(
    rows.map(r => r.split('\n')[0]),
    ['rtg', 'livelink-dev', 'monitoring', 'snowflake-connect'],
  );
  assert.match(page.url(), /gaps=only/);
  await page.screenshot({
    path: path.join(OUTPUT, 'ownership-matrix-gaps.png'),
    fullPage: true,
  });
  // by keyboard: gaps-only off with Space, then the cluster filter opened with Enter,
  // "rtg" chosen by typing its first letter
  await page.getByRole('checkbox', { name: 'Only rows with gaps' }).focus();
  await page.keyboard.press('Space');
  await page.getByText('13 rows').waitFor();
  await page.getByRole('button', { name: /Cluster/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('listbox').waitFor();
  await page.keyboard.type('r');
  await page.keyboard.press('Enter');
  await page.getByText('4 of 13 rows, 4 gaps').waitFor();
  assert.match(page.url(), /cluster=resource%3Adefault%2Frtg/);
});

const contactsCard = () =>
  page.locator('.MuiCard-root', { hasText: 'Escalation contacts' }).first();

test('a service page shows its escalation contacts, inherited from its namespace and cluster', async () => {
  await page.goto(`${APP_URL}/catalog/default/component/livelink-api`);
  const teamLead = page.getByRole('region', { name: 'Team lead' });
  await teamLead.waitFor({ timeout: 60_000 });
  const text = await teamLead.innerText();
  assert.match(text, /Olivia Grant/);
  assert.match(text, /inherited from namespace livelink-prod/);
  assert.match(text, /\+14155550103/);
  const vendor = await page.getByRole('region', { name: 'Vendor' }).innerText();
  assert.match(vendor, /Carlos Rivera[\s\S]*inherited from cluster abrc1l/);
  assert.match(vendor, /VMware Tanzu Support/);
  await contactsCard().scrollIntoViewIfNeeded();
  await contactsCard().screenshot({
    path: path.join(OUTPUT, 'contacts-livelink-api.png'),
  });
});

test('a namespace on rtg shows the missing vendor liaison in its contacts', async () => {
  await page.goto(`${APP_URL}/catalog/default/resource/monitoring`);
  const vendor = page.getByRole('region', { name: 'Vendor' });
  await vendor.waitFor({ timeout: 60_000 });
  assert.match(
    await vendor.innerText(),
    /No vendor liaison — set incident-ops\.acme\.com\/vendor-liaison on this namespace or on cluster rtg/,
  );
  await contactsCard().screenshot({
    path: path.join(OUTPUT, 'contacts-monitoring.png'),
  });
});
