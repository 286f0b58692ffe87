import { isOpenStatus } from '@acme/plugin-incident-ops-common';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { incidentsOnEntity } from '../contacts/entityIncidents';
import { entityRefParam } from '../routes/context';
import { withSla } from '../routes/queue';
import type { ActionDeps } from './deps';

/** GET /incidents?entityRef= as an action: the same read check, list filter and data. */
export function registerListEntityIncidents(
  registry: ActionsRegistryService,
  deps: ActionDeps,
) {
  registry.register({
    name: 'list-entity-incidents',
    title: 'List the incidents on a catalog entity',
    description:
      'The incidents on a catalog entity (a Kubernetes cluster, namespace or service, e.g. resource:default/abrc1l) and on what it is related to: a cluster includes its namespaces and their services. Each incident says where it is attached (by CMDB CI or by a namespace named in its text), its priority, status, tier and SLA clock. Only the incidents the caller may read are listed.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe('The entity, e.g. resource:default/abrc1l'),
          status: z
            .enum(['open', 'all'])
            .default('open')
            .describe('open (default) or all, closed and resolved too'),
          limit: z.number().int().min(1).max(500).default(100),
        }),
      output: z =>
        z.object({
          entities: z
            .array(
              z
                .object({ entityRef: z.string(), relation: z.string() })
                .passthrough(),
            )
            .describe('The entity and those related to it that were searched'),
          items: z.array(
            z
              .object({
                number: z.string(),
                shortDescription: z.string(),
                priority: z.string(),
                status: z.string(),
                tier: z.string().optional(),
              })
              .passthrough(),
          ),
          totalOpen: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      // the read check of a list: 403 when they may read no incident
      const restrict = await deps.access.readRestriction(credentials);
      const entityRef = entityRefParam(input.entityRef);
      const { scope, items } = await incidentsOnEntity(
        deps,
        entityRef,
        credentials,
        {
          openOnly: input.status === 'open',
          limit: input.limit,
          restrict,
        },
      );
      return {
        output: {
          entities: scope.map(
            ({ namespace: _ns, clusterCi: _ci, ...entity }) => entity,
          ),
          // as plain objects: the output's items are open to more fields
          items: (await withSla(deps, items)).map(i => ({ ...i })),
          totalOpen: items.filter(i => isOpenStatus(i.status)).length,
        },
      };
    },
  });
}
