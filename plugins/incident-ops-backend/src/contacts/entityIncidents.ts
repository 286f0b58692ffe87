import {
  ENTITY_TYPE_CLUSTER,
  EntityIncident,
  Incident,
} from '@acme/plugin-incident-ops-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { IncidentStore } from '../database/IncidentStore';
import type { IncidentRestriction } from '../database/restriction';
import { ScopedEntity, resolveEntityScope } from './entityScope';

/** Whether `text` names the Kubernetes name `name` as a whole word. */
export function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9-])${escaped}($|[^a-z0-9-])`, 'i').test(text);
}

const WORD = /^[a-z0-9-]+$/i;

/**
 * The whole words of a text, lower case: `mentions(text, name)` for a name of letters, digits
 * and '-' is whether it is one of them (a set, for pages with thousands of namespaces).
 */
const wordsOf = (text: string) =>
  new Set(text.toLowerCase().match(/[a-z0-9-]+/g) ?? []);

/** `mentions(text, name)` for many names: the text's words are read once. */
export function mentionsIn(text: string): (name: string) => boolean {
  const words = wordsOf(text);
  return name =>
    WORD.test(name) ? words.has(name.toLowerCase()) : mentions(text, name);
}

/**
 * The incidents on an entity and on what it is related to (see resolveEntityScope), each
 * with where it sits: by CMDB CI, or by a namespace named in its text as a whole word (the
 * store's mention index holds the same words, see database/mentionIndex.ts; names it does
 * not hold are matched as substrings, and checked here). A
 * mention only places a ticket within its own cluster: it counts when the ticket has no CI
 * or its CI is that namespace's cluster, and then the namespace is the more precise place.
 */
export async function incidentsOnEntity(
  deps: { store: IncidentStore; catalog: CatalogService },
  entityRef: string,
  credentials: BackstageCredentials,
  options: { openOnly: boolean; limit: number; restrict?: IncidentRestriction },
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
    restrict: options.restrict,
  });
  // the namespaces by the word that names them (a name of other characters is looked for)
  const namedBy = {
    words: new Map<string, { ns: ScopedEntity; at: number }>(),
    others: [] as Array<{ name: string; ns: ScopedEntity; at: number }>,
  };
  [...byNamespace].forEach(([name, ns], at) => {
    const word = name.toLowerCase();
    if (!WORD.test(name)) namedBy.others.push({ name, ns, at });
    else if (!namedBy.words.has(word)) namedBy.words.set(word, { ns, at });
  });
  const items = incidents.flatMap((i: Incident): EntityIncident[] => {
    const ci = i.configurationItem;
    const byCiMatch = byCi.get(ci?.name ?? '') ?? byCi.get(ci?.id ?? '');
    const text = `${i.shortDescription}\n${i.description ?? ''}`;
    const here = (ns: ScopedEntity) =>
      !ci ||
      (ns.clusterCi !== undefined && [ci.name, ci.id].includes(ns.clusterCi));
    // the first namespace of the scope that the text names
    let byMention: ScopedEntity | undefined;
    let first = Infinity;
    for (const w of wordsOf(text)) {
      const named = namedBy.words.get(w);
      if (named && named.at < first && here(named.ns)) {
        [byMention, first] = [named.ns, named.at];
      }
    }
    for (const named of namedBy.others) {
      if (named.at < first && here(named.ns) && mentions(text, named.name)) {
        [byMention, first] = [named.ns, named.at];
      }
    }
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
