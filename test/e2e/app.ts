// Starts the whole app (`yarn start`: the ServiceNow simulator, the backend, the frontend dev
// server) for the end-to-end tests, or reuses one that is already running; and opens
// Debian's Chromium through playwright-core.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const APP_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:7007';
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const OUTPUT = path.join(ROOT, 'test-results', 'e2e');

async function isUp(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitFor(url: string, timeoutMs: number, app?: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isUp(url)) return;
    if (app && app.exitCode !== null) {
      throw new Error(
        `yarn start exited with ${app.exitCode}; see ${OUTPUT}/app.log`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    `${url} did not come up in ${timeoutMs / 1000} s; see ${OUTPUT}/app.log`,
  );
}

/**
 * Waits until the catalog has loaded the guest's groups: before that the guest signs in
 * with no group, and the permission policy (docs/security.md) lets it work nothing for the
 * hour its token lasts.
 */
async function waitForGuestGroups(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      const body = await res.json();
      if (body.backstageIdentity?.identity?.ownershipEntityRefs?.length > 1) {
        return;
      }
    } catch {
      // the dev backend restarts when its files change: ask again
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog did not give the guest its groups in ${
          timeoutMs / 1000
        } s`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** Starts the app unless it is running; returns a function that stops what it started. */
export async function startApp(): Promise<() => Promise<void>> {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const health = `${BACKEND_URL}/api/incident-ops/health`;
  const [backendUp, appUp] = [await isUp(health), await isUp(APP_URL)];
  if (backendUp && appUp) {
    return async () => {};
  }
  if (backendUp || appUp) {
    throw new Error(
      `Only part of the app is running (backend ${backendUp}, frontend ${appUp}): stop it, or start all of it with yarn start`,
    );
  }
  const log = fs.openSync(path.join(OUTPUT, 'app.log'), 'w');
  const app = spawn('yarn', ['start'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const stop = async () => {
    if (app.exitCode === null) {
      process.kill(-app.pid!, 'SIGTERM');
      await new Promise(r => setTimeout(r, 2000));
      if (app.exitCode === null) {
        try {
          process.kill(-app.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };
  try {
    await waitFor(health, 240_000, app);
    await waitFor(APP_URL, 240_000, app);
    await waitForGuestGroups(180_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return stop;
}

/** Debian's Chromium, headless, with a fresh profile and no background networking. */
export async function openBrowser(): Promise<BrowserContext> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-ops-e2e-'));
  return chromium.launchPersistentContext(profile, {
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
}
