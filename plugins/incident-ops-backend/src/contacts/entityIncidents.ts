import {
  ENTITY_TYPE_CLUSTER,
  EntityIncident,
  Incident,
} from '@acme/plugin-incident-ops-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { IncidentStore } from '../database/IncidentStore';
import { ScopedEntity, resolveEntityScope } from './entityScope';

/** Whether `text` names the Kubernetes name `name` as a whole word. */
export function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9-])${escaped}($|[^a-z0-9-])`, 'i').test(text);
}

/**
 * The incidents on an entity and on what it is related to (see resolveEntityScope), each
 * with where it sits: by CMDB CI, or by a namespace named in its text as a whole word (the
 * store matches substrings, so "livelink-prod2" is dropped here for livelink-prod). A
 * mention only places a ticket within its own cluster: it counts when the ticket has no CI
 * or its CI is that namespace's cluster, and then the namespace is the more precise place.
 */
export async function incidentsOnEntity(
  deps: { store: IncidentStore; catalog: CatalogService },
  entityRef: string,
  credentials: BackstageCredentials,
  options: { openOnly: boolean; limit: number },
): Promise<{ scope: ScopedEntity[]; items: EntityIncident[] }> {
  const scope = await resolveEntityScope(deps.catalog, entityRef, credentials);
  const byCi = new Map<string, ScopedEntity>();
  const byNamespace = new Map<string, ScopedEntity>();
  for (const s of scope) {
    if (s.configurationItem && !byCi.has(s.configurationItem)) {
      byCi.set(s.configurationItem, s);
    }
    if (s.namespace && !byNamespace.has(s.namespace)) {
      byNamespace.set(s.namespace, s);
    }
  }
  const incidents = await deps.store.listIncidentsByCi([...byCi.keys()], {
    openOnly: options.openOnly,
    limit: options.limit,
    mentioning: [...byNamespace.keys()],
  });
  const items = incidents.flatMap((i: Incident): EntityIncident[] => {
    const ci = i.configurationItem;
    const byCiMatch = byCi.get(ci?.name ?? '') ?? byCi.get(ci?.id ?? '');
    const text = `${i.shortDescription}\n${i.description ?? ''}`;
    const byMention = [...byNamespace.entries()].find(
      ([name, ns]) =>
        (!ci ||
          (ns.clusterCi !== undefined &&
            [ci.name, ci.id].includes(ns.clusterCi))) &&
        mentions(text, name),
    )?.[1];
    if (byMention && (!byCiMatch || byCiMatch.type === ENTITY_TYPE_CLUSTER)) {
      return [
        {
          ...i,
          attachedTo: {
            entityRef: byMention.entityRef,
            relation: byMention.relation,
            by: 'mention',
          },
        },
      ];
    }
    if (byCiMatch) {
      return [
        {
          ...i,
          attachedTo: {
            entityRef: byCiMatch.entityRef,
            relation: byCiMatch.relation,
            by: 'cmdb-ci',
          },
        },
      ];
    }
    return [];
  });
  return { scope, items };
}
