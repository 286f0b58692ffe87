// End to end: the knowledge pages in headless Chromium, on the repository's own knowledge/
// and playbooks/ folders and the simulator's kb_knowledge articles: the playbook list in the
// nav, a playbook step by step, a knowledge article, and Backstage search finding both.
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
});

after(async () => {
  await browser?.close();
  await stopApp();
});

/** The whole page: the app scrolls inside its content area, so the window is made as tall. */
async function screenshot(name: string) {
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() =>
    Math.max(
      ...Array.from(
        document.querySelectorAll('body, body *'),
        e => e.scrollHeight,
      ),
    ),
  );
  await page.setViewportSize({
    width: viewport.width,
    height: Math.min(Math.max(height, viewport.height), 8000),
  });
  // off the links and the sidebar, so no hover state shows
  await page.mouse.move(viewport.width - 10, 10);
  await page.screenshot({ path: path.join(OUTPUT, name), fullPage: true });
  await page.setViewportSize(viewport);
}

test('"Playbooks" in the nav lists the playbooks and the ticket type mapping', async () => {
  await page.getByRole('link', { name: 'Playbooks' }).click();
  await page.waitForURL(/\/incident-ops\/playbooks$/);
  const list = page.getByRole('table', { name: 'Playbooks' });
  await list.waitFor({ timeout: 60_000 });
  const text = await list.innerText();
  for (const title of [
    'Egress Access',
    'GitLab CI Access',
    'Node Provisioning',
    'Namespace Access',
  ]) {
    assert.match(text, new RegExp(title));
  }
  const mapping = page.getByRole('table', { name: 'Ticket type to playbook' });
  assert.match(await mapping.innerText(), /Egress\s+Egress Access/);
  assert.match(
    await mapping.innerText(),
    /Cluster outage\s+None: worked case by case/,
  );
  await screenshot('playbooks.png');
});

test('the Egress Access playbook shows each step with its kind, checks and templates', async () => {
  await page
    .getByRole('table', { name: 'Playbooks' })
    .getByRole('link', { name: 'Egress Access' })
    .click();
  await page.waitForURL(/\/incident-ops\/playbooks\/egress-access$/);
  await page
    .getByRole('heading', { level: 1, name: 'Egress Access playbook' })
    .waitFor({ timeout: 60_000 });
  const steps = await page.locator('section h3').allInnerTexts();
  assert.deepEqual(steps, [
    '1. Validate the namespace and the request',
    '2. Fill the firewall rule and the NetworkPolicy',
    '3. Verify the connection from the namespace',
  ]);
  const verification = page.getByRole('listitem', {
    name: /Verify the connection/,
  });
  await verification.getByText('Verification', { exact: true }).waitFor();
  // the firewall rule as written in the file, its placeholders named
  const rule = page.getByLabel('Firewall rule request');
  assert.match(
    await rule.innerText(),
    /Rule name: +k8s-\{\{cluster\}\}-\{\{namespace\}\}-\{\{fqdn \| slug\}\}-\{\{port\}\}/,
  );
  assert.equal(
    await rule.getByText('{{namespace}}').first().getAttribute('title'),
    'Source namespace (namespace)',
  );
  await screenshot('playbook-egress.png');
});

test('the egress template article shows its facts and its body as Markdown', async () => {
  await page.goto(`${APP_URL}/incident-ops/kb/egress-access-livelink`);
  await page
    .getByRole('heading', {
      level: 1,
      name: 'How to Request Egress Access for livelink-* Namespaces',
    })
    .waitFor({ timeout: 60_000 });
  await page.getByRole('heading', { level: 2, name: 'Summary' }).waitFor();
  await page
    .getByRole('heading', { level: 2, name: 'Escalate when' })
    .waitFor();
  const facts = page.getByTestId('kb-article-facts');
  const text = await facts.innerText();
  assert.match(text, /Repository \(Markdown\)/);
  assert.match(text, /Egress/);
  assert.match(text, /firewall/);
  assert.match(text, /Suggested on \d+ tickets?|Not suggested on any ticket/);
  await screenshot('kb-egress-article.png');

  // its playbook is a click away
  await facts.getByRole('link', { name: 'egress-access' }).click();
  await page.waitForURL(/\/incident-ops\/playbooks\/egress-access$/);
});

test('a ServiceNow article links to its ServiceNow page', async () => {
  await page.goto(`${APP_URL}/incident-ops/kb/KB0010001`);
  const link = page.getByRole('link', { name: 'Open in ServiceNow' });
  await link.waitFor({ timeout: 60_000 });
  assert.match(
    (await link.getAttribute('href')) ?? '',
    /kb_view\.do\?sysparm_article=KB0010001$/,
  );
  await screenshot('kb-servicenow-article.png');
});

test('an unknown article or playbook says so', async () => {
  await page.goto(`${APP_URL}/incident-ops/kb/KB0404404`);
  await page
    .getByText('No knowledge article KB0404404')
    .waitFor({ timeout: 60_000 });
  await page.goto(`${APP_URL}/incident-ops/playbooks/no-such-playbook`);
  await page
    .getByText('No playbook no-such-playbook')
    .waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'All playbooks' }).click();
  await page.waitForURL(/\/incident-ops\/playbooks$/);
});

test('the playbook and the article read well in the dark theme', async () => {
  await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
  try {
    await page.goto(`${APP_URL}/incident-ops/playbooks/egress-access`);
    await page
      .getByRole('heading', { level: 1, name: 'Egress Access playbook' })
      .waitFor({ timeout: 60_000 });
    assert.equal(
      await page.evaluate(() => document.body.getAttribute('data-theme-mode')),
      'dark',
    );
    await screenshot('playbook-egress-dark.png');
    await page.goto(`${APP_URL}/incident-ops/kb/egress-access-livelink`);
    await page
      .getByRole('heading', { level: 2, name: 'Summary' })
      .waitFor({ timeout: 60_000 });
    await screenshot('kb-egress-article-dark.png');
  } finally {
    await page.evaluate(() => window.localStorage.removeItem('theme'));
  }
});

test('Backstage search finds the egress article and playbook', async () => {
  // the search backend collates on a schedule (30 s after start, then every 10 min)
  const deadline = Date.now() + 180_000;
  let found = false;
  while (!found && Date.now() < deadline) {
    await page.goto(`${APP_URL}/search?query=egress`);
    found = await page
      .locator('a[href="/incident-ops/playbooks/egress-access"]')
      .first()
      .waitFor({ timeout: 10_000 })
      .then(
        () => true,
        () => false,
      );
    if (!found) await page.waitForTimeout(5_000);
  }
  assert.ok(found, 'no playbook in the search results for "egress"');
  await page
    .locator('a[href="/incident-ops/kb/egress-access-livelink"]')
    .first()
    .waitFor();
  await screenshot('search-egress.png');
});
