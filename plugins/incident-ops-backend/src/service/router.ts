import {
  EntityIncident,
  EntityIncidentsResponse,
  Incident,
  incidentOpsIncidentReadPermission,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Request } from 'express';
import { IncidentStore } from '../database/IncidentStore';
import { spec } from '../schema/openapi.generated';
import { resolveEntityScope } from './entityScope';

export interface RouterOptions {
  store: IncidentStore;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/** The REST API at /api/incident-ops, validated against src/schema/openapi.yaml. */
export async function createRouter(options: RouterOptions) {
  const { store, catalog, httpAuth, permissions } = options;
  const router = createValidatedOpenApiRouter(spec);

  const authorizeRead = async (req: Request<any, any, any, any>) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: incidentOpsIncidentReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Not allowed to read incidents');
    }
    return credentials;
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/incidents', async (req, res) => {
    const credentials = await authorizeRead(req);
    const { entityRef, status = 'open', limit = 100 } = req.query;
    const scope = await resolveEntityScope(catalog, entityRef, credentials);

    const byCi = new Map<string, (typeof scope)[number]>();
    for (const s of scope) {
      if (s.configurationItem && !byCi.has(s.configurationItem)) {
        byCi.set(s.configurationItem, s);
      }
    }
    const incidents = await store.listIncidentsByCi([...byCi.keys()], {
      openOnly: status === 'open',
      limit,
    });
    const items: EntityIncident[] = incidents.map((i: Incident) => {
      const owner =
        byCi.get(i.configurationItem?.name ?? '') ??
        byCi.get(i.configurationItem?.id ?? '')!;
      return {
        ...i,
        attachedTo: { entityRef: owner.entityRef, relation: owner.relation },
      };
    });
    const body: EntityIncidentsResponse = {
      entities: scope,
      items,
      totalOpen: items.filter(i => isOpenStatus(i.status)).length,
    };
    res.json(body);
  });

  router.get('/incidents/:number', async (req, res) => {
    await authorizeRead(req);
    const incident = await store.getIncidentByNumber(req.params.number);
    if (!incident) {
      throw new NotFoundError(`No incident ${req.params.number}`);
    }
    res.json(incident);
  });

  router.get('/sync/status', async (req, res) => {
    await authorizeRead(req);
    const states = await store.listProviderStates();
    res.json({
      providers: states.map(s => ({
        provider: s.provider,
        cursor: s.cursor,
        lastRun: s.lastRun && {
          startedAt: s.lastRun.startedAt.toISOString(),
          finishedAt: s.lastRun.finishedAt.toISOString(),
          durationMs:
            s.lastRun.finishedAt.getTime() - s.lastRun.startedAt.getTime(),
          fetched: s.lastRun.fetched,
          stored: s.lastRun.stored,
          quarantined: s.lastRun.quarantined,
          error: s.lastRun.error,
        },
      })),
    });
  });

  return router;
}
