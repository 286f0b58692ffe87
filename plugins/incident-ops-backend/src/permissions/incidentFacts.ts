import {
  ENTITY_TYPE_CLUSTER,
  Incident,
  TIERS,
  Tier,
  atTriage,
} from '@acme/plugin-incident-ops-common';
import type {
  IncidentOpsIncidentQuery,
  IncidentOpsIncidentResource,
} from '@acme/plugin-incident-ops-node';
import type {
  IncidentClause,
  IncidentRestriction,
} from '../database/restriction';
import { mentionsIn } from '../contacts/entityIncidents';
import type { CatalogFacts, PlacedEntity } from './CatalogSnapshot';

/**
 * Where an incident sits, as the Incidents card places it (entityIncidents.ts): the entities
 * whose CMDB CI it names, and the namespaces its text names within its own cluster; then
 * what those depend on (a service's namespace, a namespace's cluster).
 */
export function placesOf(incident: Incident, facts: CatalogFacts): string[] {
  const ci = incident.configurationItem;
  const cis = [ci?.name, ci?.id].filter((v): v is string => !!v);
  const named = mentionsIn(
    `${incident.shortDescription}\n${incident.description ?? ''}`,
  );
  const direct: PlacedEntity[] = [];
  for (const e of facts.entities.values()) {
    if (e.configurationItem && cis.includes(e.configurationItem)) {
      direct.push(e);
    } else if (e.namespace && named(e.namespace)) {
      const clusterCis = e.parents
        .map(p => facts.entities.get(p))
        .filter(p => p?.type === ENTITY_TYPE_CLUSTER)
        .map(p => p!.configurationItem);
      if (cis.length === 0 || clusterCis.some(c => c && cis.includes(c))) {
        direct.push(e);
      }
    }
  }
  const places = new Set<string>();
  const up = (ref: string, depth: number) => {
    if (places.has(ref) || depth > 2) return;
    places.add(ref);
    for (const p of facts.entities.get(ref)?.parents ?? []) up(p, depth + 1);
  };
  direct.forEach(e => up(e.ref, 0));
  return [...places];
}

/** The incident as the permission rules see it. */
export function toResource(
  incident: Incident,
  facts: CatalogFacts,
  reporters: string[] = [],
): IncidentOpsIncidentResource {
  const tier = atTriage(incident) ? 'L1' : incident.tier;
  const index = tier ? TIERS.indexOf(tier) : -1;
  const groupsOf = (tiers: readonly Tier[]) =>
    tiers.flatMap(t => facts.tierGroups.get(t) ?? []);
  const entityRefs = placesOf(incident, facts);
  const callerId = incident.caller?.id;
  return {
    number: incident.number,
    tier,
    tierGroups: {
      own: tier ? groupsOf([tier]) : [],
      above: index >= 0 ? groupsOf(TIERS.slice(index + 1)) : [],
    },
    requestors: [
      ...(callerId ? facts.usersBySysId.get(callerId) ?? [] : []),
      ...reporters,
    ],
    entityRefs,
    owners: [
      ...new Set(entityRefs.flatMap(r => facts.entities.get(r)?.owners ?? [])),
    ],
    roles: entityRefs.flatMap(r => facts.roles.get(r) ?? []),
  };
}

/** Entities and everything below them (a cluster's namespaces and their services). */
function downwards(refs: Iterable<string>, facts: CatalogFacts) {
  const out = new Set<string>();
  const down = (ref: string, depth: number) => {
    if (out.has(ref) || depth > 2) return;
    out.add(ref);
    for (const c of facts.entities.get(ref)?.children ?? []) down(c, depth + 1);
  };
  for (const r of refs) down(r, 0);
  return out;
}

/** The incidents on these entities (and, with `below`, under them), as a database clause. */
export function onEntities(
  refs: Iterable<string>,
  facts: CatalogFacts,
  below = true,
): IncidentClause {
  const cis = new Set<string>();
  const namespaces: Array<{ name: string; clusterCis: string[] }> = [];
  for (const ref of below ? downwards(refs, facts) : refs) {
    const e = facts.entities.get(ref);
    if (!e) continue;
    if (e.configurationItem) cis.add(e.configurationItem);
    if (e.namespace) {
      namespaces.push({
        name: e.namespace,
        clusterCis: e.parents
          .map(p => facts.entities.get(p))
          .filter(p => p?.type === ENTITY_TYPE_CLUSTER && p.configurationItem)
          .map(p => p!.configurationItem!),
      });
    }
  }
  return { on: { cis: [...cis], namespaces } };
}

/**
 * What a rule's query means for the incidents table. Claims are a user's ownership refs.
 * `reportedBy` finds incidents that users reported from Backstage (their requestors).
 */
export function toClause(
  query: IncidentOpsIncidentQuery,
  facts: CatalogFacts,
  reportedBy: (claims: string[]) => string[] = () => [],
): IncidentRestriction {
  if ('tierGroup' in query) {
    const { claims, includeHigherTiers } = query.tierGroup;
    const mine = TIERS.filter(t =>
      (facts.tierGroups.get(t) ?? []).some(g => claims.includes(g)),
    );
    if (!includeHigherTiers) return { tiers: mine };
    // a tier's groups also work the tickets of the tiers below it
    const top = Math.max(-1, ...mine.map(t => TIERS.indexOf(t)));
    return { tiers: TIERS.slice(0, top + 1) };
  }
  if ('requestor' in query) {
    const { claims } = query.requestor;
    const callerIds = [...facts.usersBySysId]
      .filter(([, users]) => users.some(u => claims.includes(u)))
      .map(([sysId]) => sysId);
    const reported = reportedBy(claims);
    return reported.length > 0
      ? { anyOf: [{ callerIds }, { numbers: reported }] }
      : { callerIds };
  }
  if ('owner' in query) {
    const { claims } = query.owner;
    const owned = [...facts.entities.values()]
      .filter(e => e.owners.some(o => claims.includes(o)))
      .map(e => e.ref);
    return onEntities(owned, facts);
  }
  const { claims, roles } = query.role;
  const held = [...facts.roles]
    .filter(([, cells]) =>
      cells.some(
        c => claims.includes(c.holder) && (!roles || roles.includes(c.role)),
      ),
    )
    .map(([ref]) => ref);
  return onEntities(held, facts);
}
