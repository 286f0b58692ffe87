import {
  ENTITY_TYPE_CLUSTER,
  ENTITY_TYPE_NAMESPACE,
} from '@acme/plugin-incident-ops-common';
import type { Entity } from '@backstage/catalog-model';

/** Clusters, namespaces and services (components): the entities with an Ops tab. */
export function hasOpsTab(entity: Entity): boolean {
  return (
    entity.kind === 'Component' ||
    (entity.kind === 'Resource' &&
      [ENTITY_TYPE_CLUSTER, ENTITY_TYPE_NAMESPACE].includes(
        String(entity.spec?.type),
      ))
  );
}
