// End to end: two development identities see different actions on the same ticket, in
// headless Chromium. The guest (Atlas L2 Platform, Incident Ops admin) is offered the work
// of an L2 ticket and the sync; the development user (priya.sharma, Atlas L1 Support; see
// auth.providers.development-user in app-config.yaml) may read the ticket but not work it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { APP_URL, BACKEND_URL, OUTPUT, openBrowser, startApp } from './app.ts';

const SIMULATOR = 'http://localhost:7080/api/now/table';
const SIMULATOR_AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

let stopApp: () => Promise<void> = async () => {};
const browsers: BrowserContext[] = [];

before(async () => {
  stopApp = await startApp();
});

after(async () => {
  for (const browser of browsers) await browser.close();
  await stopApp();
});

/** A fresh browser signed in with one of the sign-in page's cards. */
async function signIn(as: 'guest' | 'development user'): Promise<Page> {
  const browser = await openBrowser();
  browsers.push(browser);
  const page = await browser.newPage();
  // the backend is up and its catalog has the users' groups (it restarts when its files change)
  await guestToken();
  await page.goto(APP_URL);
  if (as === 'guest') {
    await page
      .getByRole('button', { name: 'Enter' })
      .click({ timeout: 60_000 });
  } else {
    // the development user's card; its OAuth pop-up closes by itself
    const card = page
      .locator('[class*="MuiCard-root"]')
      .filter({ hasText: 'Development user' });
    await card
      .getByRole('button', { name: 'Sign In' })
      .click({ timeout: 60_000 });
  }
  await page.getByText('Catalog').first().waitFor({ timeout: 60_000 });
  await page.mouse.move(1300, 900);
  return page;
}

async function serviceNow(pathAndQuery: string, init?: RequestInit) {
  const res = await fetch(`${SIMULATOR}/${pathAndQuery}`, {
    ...init,
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      Authorization: SIMULATOR_AUTH,
    },
  });
  assert.ok(res.ok, `${pathAndQuery}: ${res.status}`);
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

/**
 * The guest's token, once the catalog has loaded the guest's groups (before that, the
 * guest signs in with no group, and is no admin).
 */
async function guestToken(): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const auth = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      const { backstageIdentity } = await auth.json();
      if (
        backstageIdentity.identity.ownershipEntityRefs.includes(
          'group:default/incident-ops-admins',
        )
      ) {
        return backstageIdentity.token;
      }
    } catch {
      // the dev backend restarts when its files change: ask again
    }
    if (Date.now() > deadline) {
      throw new Error('The catalog did not give the guest its groups');
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

/** The backend's API as the guest (an admin: it may sync now). */
async function asGuest(pathAndQuery: string, init?: RequestInit) {
  return fetch(`${BACKEND_URL}/api/incident-ops${pathAndQuery}`, {
    ...init,
    headers: { Authorization: `Bearer ${await guestToken()}` },
  });
}

/** A new L2 ticket in ServiceNow, synced into the app; answers its number. */
async function l2Ticket(): Promise<string> {
  const created = await serviceNow('incident', {
    method: 'POST',
    body: JSON.stringify({
      short_description: `Flux kustomization stuck on livelink-prod (identities e2e ${Date.now()})`,
      impact: '3',
      urgency: '2',
      category: 'software',
      cmdb_ci: await sysIdOf('cmdb_ci', 'name=abrc1l:livelink-prod'),
      assignment_group: await sysIdOf(
        'sys_user_group',
        'name=Atlas-L2-Platform',
      ),
      caller_id: await sysIdOf('sys_user', 'name=Rahul Mehta'),
    }),
  });
  const number: string = created.number;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const sync = await asGuest('/sync', { method: 'POST' });
      assert.ok([202, 409].includes(sync.status), `POST /sync: ${sync.status}`);
      if ((await asGuest(`/incidents/${number}`)).ok) return number;
    } catch (e) {
      // a refusal fails the test; a backend restarting is asked again
      if (e instanceof assert.AssertionError) throw e;
    }
    if (Date.now() > deadline) throw new Error(`${number} was not synced`);
    await new Promise(r => setTimeout(r, 2000));
  }
}

/** The incident's drawer, opened from the queue. */
async function openIncident(page: Page, number: string) {
  await page.goto(`${APP_URL}/incident-ops/queue?incident=${number}`);
  const drawer = page.getByRole('dialog', { name: `Incident ${number}` });
  await drawer.getByText('Timeline').first().waitFor({ timeout: 60_000 });
  return drawer;
}

test('in development the sign-in page offers the guest and the development user', async () => {
  const browser = await openBrowser();
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(APP_URL);
  const cards = page.locator('[class*="MuiCard-root"]');
  await cards
    .filter({ hasText: 'Development user' })
    .waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(OUTPUT, 'sign-in-development.png') });
  const text = await page.locator('main').innerText();
  assert.match(text, /Guest/);
  assert.match(text, /Sign in as user:default\/priya\.sharma/);
  // OIDC is configured for production only (app-config.production.yaml)
  assert.doesNotMatch(text, /Single sign-on/);
  assert.equal(await cards.count(), 2);
});

test('the guest and an L1 engineer are offered different actions on an L2 ticket', async () => {
  const number = await l2Ticket();
  const guest = await signIn('guest');
  const engineer = await signIn('development user');
  try {
    // who each is, as the backend sees it
    for (const [page, name] of [
      [guest, 'Guest Engineer'],
      [engineer, 'Priya Sharma'],
    ] as const) {
      await page.goto(`${APP_URL}/settings`);
      await page.getByText(name).first().waitFor({ timeout: 30_000 });
    }

    // The guest, in L2, works it: a transition and the escalation to L3.
    const guestDrawer = await openIncident(guest, number);
    const work = guestDrawer.getByRole('group', { name: 'Work the ticket' });
    await work
      .getByRole('button', { name: 'Escalate to L3' })
      .waitFor({ timeout: 30_000 });
    assert.ok((await work.getByRole('button').count()) >= 2);

    // The L1 engineer reads it, and is told why there is nothing to do.
    const engineerDrawer = await openIncident(engineer, number);
    await engineerDrawer
      .getByText(/You can read this ticket but not work it/)
      .waitFor({ timeout: 30_000 });
    assert.equal(
      await engineerDrawer
        .getByRole('group', { name: 'Work the ticket' })
        .count(),
      0,
    );
    assert.equal(
      await engineerDrawer
        .getByRole('button', { name: /^Escalate to/ })
        .count(),
      0,
    );
    await engineer.screenshot({
      path: path.join(OUTPUT, 'identities-l1-reads.png'),
    });

    // Only the admin may start a sync; the engineer is told which permission it needs.
    const syncNow = { name: 'Sync now with all incident sources' };
    await guest.goto(`${APP_URL}/incident-ops/sync`);
    await engineer.goto(`${APP_URL}/incident-ops/sync`);
    await engineer
      .getByText(/Starting a sync needs the incident-ops\.sync\.run permission/)
      .waitFor({ timeout: 60_000 });
    assert.ok(await engineer.getByRole('button', syncNow).isDisabled());
    const guestButton = guest.getByRole('button', syncNow);
    await guestButton.waitFor({ timeout: 60_000 });
    await guest.waitForFunction(
      label =>
        !document
          .querySelector(`button[aria-label="${label}"]`)
          ?.hasAttribute('disabled'),
      syncNow.name,
      { timeout: 30_000 },
    );
  } catch (e) {
    await guest
      .screenshot({ path: path.join(OUTPUT, 'identities-guest-failure.png') })
      .catch(() => {});
    await engineer
      .screenshot({ path: path.join(OUTPUT, 'identities-l1-failure.png') })
      .catch(() => {});
    throw e;
  }
});
