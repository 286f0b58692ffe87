import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  BackendFeature,
  PermissionsService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import express from 'express';
import http from 'http';
import type { Knex } from 'knex';
import type { AddressInfo } from 'net';
import type {
  Incident,
  SourceIncident,
} from '@acme/plugin-incident-ops-common';
import {
  IncidentProvider,
  IncidentProviderConnection,
  incidentOpsIncidentProvidersExtensionPoint,
} from '@acme/plugin-incident-ops-node';
import { incidentOpsPlugin } from '../plugin';

/** The tiers of the operational model, by assignment group. */
export const tiers = {
  L1: { assignmentGroups: ['Atlas-L1-Support'] },
  L2: { assignmentGroups: ['Atlas-L2-Platform'] },
  L3: { assignmentGroups: ['Atlas-L3-Evangelists'] },
};

export interface IncidentOpsTestBackendOptions {
  /** The catalog's entities; none by default. */
  entities?: Entity[];
  /**
   * The root config; by default only `incidentOps.tiers`. Knowledge suggestions on arrival
   * (on in the plugin by default) are off unless it sets
   * `incidentOps.knowledge.suggestOnArrival`: they add suggestion views and write-backs to
   * every open incident synced in.
   */
  config?: JsonObject;
  /** The database (from `TestDatabases.init`); by default the test backend's own SQLite. */
  knex?: Knex;
  /** `true` denies every permission; a list denies those by name and allows the rest. */
  deny?: true | string[];
  /** What the fake `servicenow` provider does besides connecting. */
  provider?: Pick<
    IncidentProvider,
    'triggerSync' | 'writeBack' | 'createIncident'
  >;
  /**
   * The outbox runs only when something triggers it (at once, awaited), and no other task
   * runs, the escalation engine included. By default the backend's scheduler runs them all.
   */
  outboxOnDemand?: boolean;
  /** More features, such as service factories that record what is sent. */
  features?: BackendFeature[];
}

/**
 * The incident-ops plugin in a test backend with a fake `servicenow` provider; its
 * connection is how a test syncs incidents and articles in. Requests to `/api/incident-ops`
 * go through `wrapServer`'s proxy, which fails the test when a request or a response does
 * not match src/schema/openapi.yaml.
 */
export async function startIncidentOpsBackend(
  options: IncidentOpsTestBackendOptions = {},
): Promise<{
  /** The backend behind the proxy that validates requests and responses by the spec. */
  server: http.Server;
  /**
   * The backend itself, for responses that are not JSON (CSV reports): the proxy validates
   * every body as the operation's JSON.
   */
  unvalidated: http.Server;
  connection: IncidentProviderConnection;
}> {
  let connection: IncidentProviderConnection | undefined;
  const provider = createBackendModule({
    pluginId: 'incident-ops',
    moduleId: 'fake-provider',
    register(reg) {
      reg.registerInit({
        deps: { providers: incidentOpsIncidentProvidersExtensionPoint },
        async init({ providers }) {
          providers.addIncidentProvider({
            getProviderName: () => 'servicenow',
            connect: async c => {
              connection = c;
            },
            ...options.provider,
          });
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      incidentOpsPlugin,
      provider,
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      mockServices.rootConfig.factory({
        data: withoutArrivalSuggestions(
          options.config ?? { incidentOps: { tiers } },
        ),
      }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      ...(options.deny ? [permissionsDenying(options.deny)] : []),
      ...(options.outboxOnDemand ? [outboxOnDemandScheduler()] : []),
      ...(options.features ?? []),
    ],
  });
  return {
    server: await validatedBySpec(server),
    unvalidated: server,
    connection: connection!,
  };
}

/**
 * The backend behind `wrapServer`'s proxy. The proxy reads the spec from `/openapi.json`
 * (the plugin serves it with its paths under /api/incident-ops) and sends the requests on
 * to the app given, here one that forwards them to the backend.
 */
async function validatedBySpec(backend: http.Server) {
  const { port } = backend.address() as AddressInfo;
  const app = express().use(async (req, res) => {
    if (req.url === '/openapi.json') {
      const spec = await fetch(
        `http://localhost:${port}/api/incident-ops/openapi.json`,
      );
      res.json(withoutFormats(await spec.json()));
      return;
    }
    const upstream = http.request(
      {
        host: 'localhost',
        port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      response => {
        res.writeHead(response.statusCode!, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', error => res.destroy(error));
    req.pipe(upstream);
  });
  // On IPv4 only: the proxy forwards to `localhost` over IPv6 when the port is open there,
  // and `localhost` need not resolve to ::1.
  const listen = (p: number) => http.createServer(app).listen(p, '127.0.0.1');
  return wrapServer(Object.assign(app, { listen }));
}

/**
 * The spec without `format`s (date-time, uri): the proxy's validator knows none and throws
 * on them. The router checks the formats of requests itself.
 */
function withoutFormats(spec: unknown): unknown {
  return JSON.parse(JSON.stringify(spec), (key, value) =>
    key === 'format' && typeof value === 'string' ? undefined : value,
  );
}

/** Incidents as a provider sends them: without what the plugin sets itself. */
export function asSent(incidents: Incident[]): SourceIncident[] {
  return incidents.map(({ source, tier, syncedAt, ...rest }) => rest);
}

/** The config with `incidentOps.knowledge.suggestOnArrival` false unless it is set. */
function withoutArrivalSuggestions(config: JsonObject): JsonObject {
  const incidentOps = (config.incidentOps ?? {}) as JsonObject;
  const knowledge = (incidentOps.knowledge ?? {}) as JsonObject;
  return {
    ...config,
    incidentOps: {
      ...incidentOps,
      knowledge: { suggestOnArrival: false, ...knowledge },
    },
  };
}

function permissionsDenying(deny: true | string[]) {
  if (deny === true) {
    return mockServices.permissions.factory({ result: AuthorizeResult.DENY });
  }
  const denied = new Set(deny);
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () =>
      ({
        authorize: async (requests: Array<{ permission: { name: string } }>) =>
          requests.map(r => ({
            result: denied.has(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          })),
        authorizeConditional: async (
          requests: Array<{ permission: { name: string } }>,
        ) =>
          requests.map(r => ({
            result: denied.has(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          })),
      } as unknown as PermissionsService),
  });
}

function outboxOnDemandScheduler() {
  const tasks = new Map<string, (signal: AbortSignal) => unknown>();
  return mockServices.scheduler.mock({
    scheduleTask: jest.fn(async task => {
      tasks.set(task.id, task.fn);
    }),
    triggerTask: jest.fn(async id => {
      if (id === 'incident-ops-outbox') {
        await tasks.get(id)?.(new AbortController().signal);
      }
    }),
  }).factory;
}
