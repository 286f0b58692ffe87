// End to end: working a ticket the way a support engineer does, in headless Chromium, against
// the app and the ServiceNow simulator: the Incidents card on a service page, the Ops queue,
// and a ticket worked in the service's Ops tab (playbook step, KB feedback, transition,
// escalation) until the change shows in the simulator's ServiceNow record.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { APP_URL, BACKEND_URL, OUTPUT, openBrowser, startApp } from './app.ts';

const SIMULATOR = 'http://localhost:7080/api/now/table';
const SIMULATOR_AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

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

/**
 * A screenshot, with the pointer away from the sidebar (it expands under the pointer and
 * would cover the page); `tall` makes the window tall enough for a whole drawer, which
 * scrolls on its own.
 */
async function shoot(name: string, options: { tall?: boolean } = {}) {
  const size = page.viewportSize()!;
  if (options.tall) await page.setViewportSize({ ...size, height: 3200 });
  await page.mouse.move(size.width - 100, 10);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(OUTPUT, name), fullPage: true });
  if (options.tall) await page.setViewportSize(size);
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
async function serviceNow(pathAndQuery: string, init?: RequestInit) {
  const res = await fetch(`${SIMULATOR}/${pathAndQuery}`, {
    ...init,
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      Authorization: SIMULATOR_AUTH,
      ...init?.headers,
    },
  });
  assert.ok(
    res.ok,
    `${pathAndQuery}: ${res.status} ${await res.clone().text()}`,
  );
  return (await res.json()).result;
}

const sysIdOf = async (table: string, query: string) =>
  (
    await serviceNow(
      `${table}?sysparm_query=${encodeURIComponent(
        query,
      )}&sysparm_fields=sys_id`,
    )
  )[0].sys_id as string;

/** The backend's API as the guest user. */
async function backend(pathAndQuery: string, init?: RequestInit) {
  const auth = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const { backstageIdentity } = await auth.json();
  return fetch(`${BACKEND_URL}/api/incident-ops${pathAndQuery}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${backstageIdentity.token}`,
      'Content-Type': 'application/json',
      ...init?.headers,
    },
  });
}

/** Syncs with ServiceNow now (409: one is running; it is asked again). */
async function syncNow() {
  const res = await backend('/sync', { method: 'POST' });
  assert.ok([202, 409].includes(res.status), `POST /sync: ${res.status}`);
}

test('a service page shows its incidents with their SLA clocks on the Incidents card', async () => {
  const deadline = Date.now() + 120_000;
  let rows: Locator;
  for (;;) {
    await page.goto(`${APP_URL}/catalog/default/component/livelink-api`);
    rows = page.getByTestId(/^incident-INC\d+$/);
    try {
      await rows.first().waitFor({ timeout: 15_000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
  const card = page.getByRole('table', { name: 'Open incidents' });
  const text = await card.innerText();
  assert.match(text, /via namespace livelink-prod/);
  assert.match(text, /left to (resolve|respond)|overdue|Paused/);
  assert.ok(
    (await page
      .getByRole('link', { name: /^Work INC\d+ in the Ops tab$/ })
      .count()) >= 1,
  );
  await shoot('ops-service-card.png');
});

test('the Ops queue lists open incidents across clusters, breaching first, and filters them', async () => {
  await page.goto(`${APP_URL}/incident-ops/queue`);
  const rows = page.getByTestId(/^queue-INC\d+$/);
  await rows.first().waitFor({ timeout: 60_000 });
  const first = await rows.first().innerText();
  assert.match(first, /overdue|left to/);
  await shoot('ops-queue.png');

  // by keyboard: a ticket's link opens the drawer, Escape closes it
  const link = rows.first().getByRole('link', { name: /^Open INC\d+:/ });
  const number = (await link.innerText()).trim();
  await link.focus();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: `Incident ${number}` });
  await drawer.getByText('Timeline').first().waitFor({ timeout: 30_000 });
  assert.match(page.url(), new RegExp(`incident=${number}`));
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden', timeout: 10_000 });

  await page.goto(`${APP_URL}/incident-ops/queue?priority=P1&cluster=mecc`);
  await page
    .getByText(/incidents?$|Nothing open|No incidents match/)
    .first()
    .waitFor({ timeout: 30_000 });
  for (const row of await page.getByTestId(/^queue-INC\d+$/).all()) {
    assert.match(await row.innerText(), /P1/);
    assert.match(await row.innerText(), /mecc/);
  }
});

test('a ticket worked in the Ops tab changes in ServiceNow', async () => {
  try {
    await workATicket();
  } catch (e) {
    // what the page looked like when it went wrong
    await shoot('ops-incident-failure.png').catch(() => {});
    throw e;
  }
});

async function workATicket() {
  // A new egress request in ServiceNow, on livelink-prod, at L1.
  const stamp = Date.now();
  const created = await serviceNow('incident', {
    method: 'POST',
    body: JSON.stringify({
      short_description: `Egress from livelink-prod to nas-e2e-${stamp}.acme.internal TCP 2049`,
      description: `Pls open egress from namespace livelink-prod on abrc1l to NFS filer nas-e2e-${stamp}.acme.internal (10.20.9.17) TCP 2049 for the document-archive pods. Change CHG0049999 approved.`,
      impact: '2',
      urgency: '2',
      category: 'network',
      subcategory: 'egress',
      cmdb_ci: await sysIdOf('cmdb_ci', 'name=abrc1l:livelink-prod'),
      assignment_group: await sysIdOf(
        'sys_user_group',
        'name=Atlas-L1-Support',
      ),
      caller_id: await sysIdOf('sys_user', 'name=Rahul Mehta'),
    }),
  });
  const number: string = created.number;
  const sysId: string = created.sys_id;

  await until(`${number} to be synced`, async () => {
    await syncNow();
    return (await backend(`/incidents/${number}`)).ok ? true : undefined;
  });

  // Open it from the service's Ops tab.
  await page.goto(`${APP_URL}/catalog/default/component/livelink-api/ops`);
  await page
    .getByRole('link', { name: new RegExp(`^Open ${number}:`) })
    .click({ timeout: 60_000 });
  const drawer = page.getByRole('dialog', { name: `Incident ${number}` });
  await drawer.getByText('Timeline').first().waitFor({ timeout: 30_000 });

  // Run the playbook's first step.
  await drawer.getByRole('button', { name: 'Start Egress Access' }).click();
  const validate = drawer.getByRole('button', {
    name: 'Mark done: Validate the namespace and the request',
  });
  await validate.click({ timeout: 30_000 });
  await drawer
    .getByTestId('step-validate-namespace')
    .getByText('Done', { exact: true })
    .waitFor({ timeout: 30_000 });

  // Mark the first suggested KB article not helpful.
  const notHelpful = drawer
    .getByRole('button', { name: 'Not helpful' })
    .first();
  await notHelpful.click();
  await until('the KB feedback to show', async () =>
    (await notHelpful.getAttribute('aria-pressed')) === 'true'
      ? true
      : undefined,
  );
  await shoot('ops-incident-worked.png', { tall: true });

  // Start work: the transition goes to ServiceNow through the outbox.
  await drawer.getByRole('button', { name: 'Start work' }).click();
  const startDialog = page.getByRole('dialog', {
    name: `Start work ${number}`,
  });
  await startDialog
    .getByLabel(/Work note/)
    .fill('Validating the namespace and the filer address');
  await startDialog.getByRole('button', { name: 'Start work' }).click();
  await drawer
    .getByText(`${number} moved to Work in progress`, { exact: false })
    .waitFor({ timeout: 30_000 });
  await until(`${number} In Progress in ServiceNow`, async () => {
    const [r] = await serviceNow(
      `incident?sysparm_query=number=${number}&sysparm_fields=state,sys_mod_count`,
    );
    return r.state === '2' ? r : undefined;
  });

  // Another support engineer has the queue open: it follows the ticket without a reload.
  const watcher = await browser.newPage();
  await watcher.goto(`${APP_URL}/incident-ops/queue?sort=opened`);
  const watched = watcher.getByTestId(`queue-${number}`);
  await watched.waitFor({ timeout: 60_000 });
  assert.match(await watched.innerText(), /Work in progress/);

  // Escalate it to L2 for its complexity.
  await drawer.getByRole('button', { name: 'Escalate to L2' }).click();
  const escalate = page.getByRole('dialog', {
    name: `Escalate ${number} from L1 to L2`,
  });
  await escalate.getByLabel(/Complexity/).check();
  await escalate
    .getByLabel(/Note for the receiving tier/)
    .fill('Filer sits behind a second firewall the L1 team cannot change');
  await escalate.getByRole('button', { name: 'Escalate to L2' }).click();
  await drawer.getByText(/^Escalated: /).waitFor({ timeout: 30_000 });
  // the view reads the ticket again: at L2 now, escalated, and the timeline says why
  await drawer.getByText('Tier L2').waitFor({ timeout: 30_000 });
  const timeline = drawer.getByRole('list', { name: 'Timeline, newest first' });
  await timeline
    .getByText(
      /escalated it \(complexity\): Filer sits behind a second firewall/,
    )
    .first()
    .waitFor({ timeout: 30_000 });
  assert.match(await timeline.innerText(), /rule manual-complexity, L1 → L2/);
  await shoot('ops-incident-escalated.png', { tall: true });
  // live: the signal after the escalation refreshed the other page
  await watched.getByText('Escalated').waitFor({ timeout: 90_000 });
  await watcher.close();

  // ServiceNow has the new assignment group and the work notes.
  const l2 = await sysIdOf('sys_user_group', 'name=Atlas-L2-Platform');
  await until(
    `${number} assigned to Atlas-L2-Platform in ServiceNow`,
    async () => {
      const [r] = await serviceNow(
        `incident?sysparm_query=number=${number}&sysparm_fields=assignment_group,state`,
      );
      return r.assignment_group?.value === l2 ? true : undefined;
    },
  );
  const notes: Array<{ value: string }> = await serviceNow(
    `sys_journal_field?sysparm_query=${encodeURIComponent(
      `element_id=${sysId}^element=work_notes`,
    )}&sysparm_fields=value`,
  );
  const text = notes.map(n => n.value).join('\n');
  assert.match(
    text,
    /moved .* from unassigned to work-in-progress: Validating the namespace/,
  );
  assert.match(text, /escalated .* from L1 to L2 .*complexity/s);
  // and, from when it arrived, the knowledge articles suggested for it
  assert.match(text, /Incident Ops suggests these knowledge articles/);
}

test('a resolved ticket takes the requestor survey, and the article used shows it', async () => {
  try {
    await resolveAndSurvey();
  } catch (e) {
    await shoot('ops-survey-failure.png').catch(() => {});
    throw e;
  }
});

async function resolveAndSurvey() {
  // A connectivity ticket (no playbook to verify), on livelink-prod.
  const created = await serviceNow('incident', {
    method: 'POST',
    body: JSON.stringify({
      short_description: `livelink-api cannot reach Postgres lldb-e2e-${Date.now()} - connection refused on 5432`,
      description:
        'Since the maintenance window the livelink-api pods in livelink-prod get ECONNREFUSED to the database on 5432. pls check.',
      impact: '2',
      urgency: '3',
      category: 'network',
      subcategory: 'connectivity',
      cmdb_ci: await sysIdOf('cmdb_ci', 'name=abrc1l:livelink-prod'),
      assignment_group: await sysIdOf(
        'sys_user_group',
        'name=Atlas-L1-Support',
      ),
      caller_id: await sysIdOf('sys_user', 'name=Rahul Mehta'),
    }),
  });
  const number: string = created.number;
  await until(`${number} to be synced`, async () => {
    await syncNow();
    return (await backend(`/incidents/${number}`)).ok ? true : undefined;
  });
  await page.goto(`${APP_URL}/incident-ops/queue?incident=${number}`);
  const drawer = page.getByRole('dialog', { name: `Incident ${number}` });
  await drawer.getByText('Timeline').first().waitFor({ timeout: 30_000 });

  // The first suggestion helped.
  const helpful = drawer
    .getByRole('button', { name: 'Helpful', exact: true })
    .first();
  await helpful.click({ timeout: 30_000 });
  await until('the KB feedback to show', async () =>
    (await helpful.getAttribute('aria-pressed')) === 'true' ? true : undefined,
  );
  const article = drawer.locator('a[href*="/incident-ops/kb/"]').first();
  const articleHref = await article.getAttribute('href');
  assert.ok(articleHref, 'the suggested article links to its page');

  // Start work, then resolve with a note.
  for (const [button, dialogName, note] of [
    ['Start work', `Start work ${number}`, 'Looking at the pooler'],
    [
      'Resolve',
      `Resolve ${number}`,
      'pgbouncer restarted after the maintenance; connections back',
    ],
  ] as const) {
    await drawer.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: dialogName });
    await dialog.getByLabel(/note/i).first().fill(note);
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
  }

  // The survey, on the requestor's behalf (the guest may record it).
  const survey = drawer.getByRole('form', { name: 'Post-resolution survey' });
  await survey.waitFor({ timeout: 30_000 });
  // (the star, the label of a visually hidden radio)
  await survey.locator('label[for$="-rating-value-2"]').click();
  await survey
    .getByLabel('Comment (optional)')
    .fill('Fixed, but it took two days to hear back');
  await survey.getByRole('button', { name: /Send the answer/ }).click();
  const answer = drawer.getByTestId('survey-answer');
  await answer.waitFor({ timeout: 30_000 });
  assert.match(await answer.innerText(), /Rated 2 of 5/);
  await answer.scrollIntoViewIfNeeded();
  await shoot('ops-survey.png');

  // The article that helped shows what the requestor said.
  await page.goto(`${APP_URL}${articleHref!.replace(/^https?:\/\/[^/]+/, '')}`);
  const said = page.getByText('What requestors said');
  await said.waitFor({ timeout: 30_000 });
  await page
    .getByText(/Fixed, but it took two days to hear back/)
    .waitFor({ timeout: 30_000 });
  await shoot('kb-article-surveys.png', { tall: true });
}

test('the sync admin page shows the write-backs to ServiceNow', async () => {
  await page.goto(`${APP_URL}/incident-ops/sync`);
  const states = page.getByRole('table', { name: 'Write-backs by state' });
  await states.waitFor({ timeout: 60_000 });
  // the ticket worked above was written back
  assert.match(await states.innerText(), /Written\s+[1-9]/);
  assert.ok(await page.getByRole('button', { name: /sync now/i }).isVisible());
  await shoot('ops-sync-admin.png');
});

test('the Ops tab reads well in the dark theme', async () => {
  await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
  try {
    await page.goto(`${APP_URL}/catalog/default/component/livelink-api/ops`);
    const link = page.getByRole('link', { name: /^Open INC\d+:/ }).first();
    await link.click({ timeout: 60_000 });
    await page
      .getByRole('dialog', { name: /^Incident INC\d+$/ })
      .getByText('Timeline')
      .first()
      .waitFor({ timeout: 30_000 });
    const theme = await page.evaluate(() =>
      document.body.getAttribute('data-theme-mode'),
    );
    assert.equal(theme, 'dark');
    await shoot('ops-incident-dark.png', { tall: true });
  } finally {
    await page.evaluate(() => window.localStorage.removeItem('theme'));
  }
});
