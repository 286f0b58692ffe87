import type { AddressInfo } from 'node:net';
import express, { NextFunction, Request, Response } from 'express';
import { createControlRouter } from './control';
import { createFaultInjector, Faults } from './faults';
import { envelope } from './http';
import { createAuth } from './oauth';
import { prng } from './random';
import { loadGeneratedIncidents, loadSeed } from './seed';
import { SimulatorError, SimulatorStore } from './store';
import { createTableApi } from './tableApi';

export type { Faults } from './faults';

export interface SimulatorOptions {
  /** Clock; default () => new Date(). */
  now?: () => Date;
  /** Load the realistic seed (default true). */
  seed?: boolean;
  /** Seed timestamps are relative to this (default: now() at creation). */
  seedAnchor?: Date;
  /** Extra synthetic incidents (e.g. 100000 for benchmarks), default 0. */
  generatedIncidents?: number;
  /** Basic-auth users; default [{ username: 'admin', password: 'admin' }]. */
  users?: { username: string; password: string }[];
  /** OAuth clients; default [{ clientId: 'incident-ops', clientSecret: 'secret' }]. */
  oauthClients?: { clientId: string; clientSecret: string }[];
}

export interface RunningSimulator {
  url: string;
  close(): Promise<void>;
}

export interface Simulator {
  app: express.Express;
  store: SimulatorStore;
  faults: Faults;
  listen(port?: number, host?: string): Promise<RunningSimulator>;
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const now = options.now ?? (() => new Date());
  const anchor = options.seedAnchor ?? now();
  let idRandom = prng(7);
  const newId = () => {
    let id = '';
    for (let i = 0; i < 4; i++) {
      id += Math.floor(idRandom() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    }
    return id;
  };
  const store = new SimulatorStore(now, newId);
  const faults = createFaultInjector(now);
  const auth = createAuth({
    now,
    users: options.users ?? [{ username: 'admin', password: 'admin' }],
    clients: options.oauthClients ?? [
      { clientId: 'incident-ops', clientSecret: 'secret' },
    ],
    faults,
  });

  const load = () => {
    store.clear();
    loadGeneratedIncidents(store, anchor, options.generatedIncidents ?? 0);
    if (options.seed !== false) loadSeed(store, anchor);
  };
  load();

  const reset = () => {
    load();
    faults.reset();
    idRandom = prng(7);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // ServiceNow's clock, which clients may follow, is the simulator's
  app.use((_req, res, next) => {
    res.setHeader('Date', now().toUTCString());
    next();
  });
  app.use(createControlRouter({ faults, reset }));
  app.use(auth.router);
  app.use(
    '/api',
    createTableApi({ store, now, faults, authenticate: auth.authenticate }),
  );

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SimulatorError) {
      res.status(err.status).json(envelope(err.message, err.detail));
      return;
    }
    const e = err as { status?: number; type?: string; message?: string };
    if (e?.type === 'entity.too.large' || e?.status === 413) {
      res
        .status(413)
        .json(envelope('Request entity too large', e.message ?? ''));
      return;
    }
    res
      .status(500)
      .json(envelope('Internal server error', String(e?.message ?? err)));
  });

  const listen = (port = 0, host = '127.0.0.1') =>
    new Promise<RunningSimulator>((resolve, reject) => {
      const server = app.listen(port, host);
      server.once('error', reject);
      server.once('listening', () => {
        const addr = server.address() as AddressInfo;
        const h = host.includes(':') ? `[${host}]` : host;
        resolve({
          url: `http://${h}:${addr.port}`,
          close: () =>
            new Promise<void>((res, rej) => {
              server.closeAllConnections?.();
              server.close(err => (err ? rej(err) : res()));
            }),
        });
      });
    });

  return { app, store, faults: faults.switches, listen };
}
