// The incident-ops plugin in a test backend on a given database, for the read benchmarks:
// its real router, stores and permission wiring, with the catalog (a stub of the bench's
// catalog) and a scheduler that runs no task (the escalation engine and the sync would
// otherwise work the 50,000 open incidents while the reads are timed).
import {
  coreServices,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Knex } from 'knex';
import type { AddressInfo } from 'net';
import { incidentOpsPlugin } from '@acme/plugin-incident-ops-backend/src/plugin';

/**
 * The catalog service mock, with its two look-ups by ref answered from a map: the mock finds
 * each ref by a scan of every entity, which is not what a catalog costs.
 */
function catalogStub(entities: Entity[]) {
  const base = catalogServiceMock({ entities }) as any;
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const fast: Record<string, unknown> = {
    getEntityByRef: async (ref: string) => byRef.get(ref),
    getEntitiesByRefs: async (req: { entityRefs: string[] }) => ({
      items: req.entityRefs.map(r => byRef.get(r)),
    }),
  };
  return new Proxy(base, {
    get(target, p: string) {
      if (p in fast) return fast[p];
      const v = target[p];
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const idleScheduler = createServiceFactory({
  service: coreServices.scheduler,
  deps: {},
  factory: (): SchedulerService => ({
    scheduleTask: async () => {},
    triggerTask: async () => {},
    createScheduledTaskRunner: () => ({ run: async () => {} }),
    getScheduledTasks: async () => [],
    cancelTask: async () => {},
  }),
});

/** Starts the backend; `get` times one request to /api/incident-ops and returns its body. */
export async function startReadBackend(db: Knex, entities: Entity[]) {
  const backend = await startTestBackend({
    features: [
      incidentOpsPlugin,
      mockServices.rootConfig.factory({
        data: {
          incidentOps: {
            tiers: {
              L1: { assignmentGroups: ['Atlas-L1-Support'] },
              L2: { assignmentGroups: ['Atlas-L2-Platform'] },
              L3: { assignmentGroups: ['Atlas-L3-Evangelists'] },
            },
            knowledge: { suggestOnArrival: false },
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'warn' }),
      mockServices.database.factory({ knex: db }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalogStub(entities),
      }),
      idleScheduler,
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/incident-ops`;
  return {
    async get(path: string): Promise<{ ms: number; body: any }> {
      const t = performance.now();
      const res = await fetch(`${base}${path}`);
      const body = await res.json();
      const ms = performance.now() - t;
      if (!res.ok) {
        throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
      }
      return { ms, body };
    },
    stop: () => backend.stop(),
  };
}
