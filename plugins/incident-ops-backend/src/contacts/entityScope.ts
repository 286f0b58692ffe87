import {
  ANNOTATION_SERVICENOW_CMDB_CI,
  ENTITY_TYPE_CLUSTER,
  ENTITY_TYPE_NAMESPACE,
  IncidentAttachment,
} from '@acme/plugin-incident-ops-common';
import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { NotFoundError } from '@backstage/errors';

const ANNOTATION_KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';

/** An entity whose incidents belong on the page being looked at. */
export interface ScopedEntity {
  entityRef: string;
  relation: IncidentAttachment['relation'];
  kind: string;
  type?: string;
  configurationItem?: string;
  /** The Kubernetes namespace a namespace entity stands for, found in ticket text. */
  namespace?: string;
  /** For a namespace: the CMDB CI of its cluster, when that cluster is in the scope. */
  clusterCi?: string;
}

const targets = (entity: Entity, type: string) =>
  (entity.relations ?? []).filter(r => r.type === type).map(r => r.targetRef);

/**
 * The entity and what is related to it, for the Incidents card: what it depends on, two
 * levels up (a service's namespace and that namespace's cluster), and what depends on it,
 * one level down (a cluster's namespaces, a namespace's services). Three catalog calls at
 * most, however many relations there are.
 */
export async function resolveEntityScope(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<ScopedEntity[]> {
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    throw new NotFoundError(`No entity ${entityRef} in the catalog`);
  }
  const self = stringifyEntityRef(entity);
  const scope = new Map<string, ScopedEntity>();
  const add = (e: Entity, relation: ScopedEntity['relation']) => {
    const ref = stringifyEntityRef(e);
    if (!scope.has(ref)) {
      scope.set(ref, {
        entityRef: ref,
        relation,
        kind: e.kind,
        type: typeof e.spec?.type === 'string' ? e.spec.type : undefined,
        configurationItem:
          e.metadata.annotations?.[ANNOTATION_SERVICENOW_CMDB_CI],
        namespace:
          e.spec?.type === ENTITY_TYPE_NAMESPACE
            ? e.metadata.annotations?.[ANNOTATION_KUBERNETES_NAMESPACE] ??
              e.metadata.name
            : undefined,
      });
    }
  };
  add(entity, 'self');

  const fetch = async (refs: string[]) => {
    const unique = [...new Set(refs)].filter(r => r !== self);
    if (unique.length === 0) return [];
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: unique },
      { credentials },
    );
    return items.filter((e): e is Entity => Boolean(e));
  };

  const [parents, children] = await Promise.all([
    fetch(targets(entity, RELATION_DEPENDS_ON)),
    fetch(targets(entity, RELATION_DEPENDENCY_OF)),
  ]);
  parents.forEach(e => add(e, 'dependency'));
  const grandParents = await fetch(
    parents.flatMap(p => targets(p, RELATION_DEPENDS_ON)),
  );
  grandParents.forEach(e => add(e, 'dependency'));
  children.forEach(e => add(e, 'dependent'));

  // Each namespace's cluster (what it depends on) is in the scope: the page's own entity, its
  // dependency, or its dependency's dependency.
  const all = [entity, ...parents, ...grandParents, ...children];
  const clusters = new Map(
    all
      .filter(e => e.spec?.type === ENTITY_TYPE_CLUSTER)
      .map(e => [
        stringifyEntityRef(e),
        e.metadata.annotations?.[ANNOTATION_SERVICENOW_CMDB_CI],
      ]),
  );
  for (const e of all) {
    const s = scope.get(stringifyEntityRef(e));
    if (s?.namespace) {
      s.clusterCi = targets(e, RELATION_DEPENDS_ON)
        .map(ref => clusters.get(ref))
        .find(Boolean);
    }
  }
  return [...scope.values()];
}
