import {
  TestBackend,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  PermissionsService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
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
  provider?: Pick<IncidentProvider, 'triggerSync' | 'writeBack'>;
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
 * connection is how a test syncs incidents and articles in.
 */
export async function startIncidentOpsBackend(
  options: IncidentOpsTestBackendOptions = {},
): Promise<{
  server: TestBackend['server'];
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
  return { server, connection: connection! };
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
        authorizeConditional: async (requests: unknown[]) =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
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
