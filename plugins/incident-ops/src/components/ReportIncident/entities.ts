import {
  ANNOTATION_SERVICENOW_CMDB_CI,
  ENTITY_TYPE_CLUSTER,
  ENTITY_TYPE_NAMESPACE,
} from '@acme/plugin-incident-ops-common';
import type { Entity } from '@backstage/catalog-model';

/** The catalog filter for what an incident can be reported on: clusters, namespaces, services. */
export const REPORTABLE_ENTITIES: Array<Record<string, string | string[]>> = [
  {
    kind: 'Resource',
    'spec.type': [ENTITY_TYPE_CLUSTER, ENTITY_TYPE_NAMESPACE],
  },
  { kind: 'Component' },
];

/** "namespace", "cluster" or "service", as people say it. */
export function entityKindName(entity: Entity): string {
  if (entity.spec?.type === ENTITY_TYPE_CLUSTER) return 'cluster';
  if (entity.spec?.type === ENTITY_TYPE_NAMESPACE) return 'namespace';
  return entity.kind === 'Component' ? 'service' : entity.kind.toLowerCase();
}

/** The entity's name as its page shows it. */
export const entityTitle = (entity: Entity) =>
  entity.metadata.title ?? entity.metadata.name;

/** The CMDB CI an entity names itself, if it does. */
export const ciOf = (entity?: Entity) =>
  entity?.metadata.annotations?.[ANNOTATION_SERVICENOW_CMDB_CI];
