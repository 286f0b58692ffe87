import {
  ANNOTATION_SUPPORT_TIER,
  ROLE_ANNOTATIONS,
  type AccountableRole,
  type Tier,
} from '@acme/plugin-incident-ops-common';
import type { IncidentOpsIncidentResource } from '@acme/plugin-incident-ops-node';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The catalog the dev app seeds (catalog/*.yaml at the repo root). */
const CATALOG = resolvePackagePath(
  '@acme/plugin-permission-backend-module-incident-ops-policy',
  '../../catalog',
);

export const seededEntities: Entity[] = fs
  .readdirSync(CATALOG)
  .filter(f => f.endsWith('.yaml'))
  .flatMap(f =>
    parseAllDocuments(fs.readFileSync(path.join(CATALOG, f), 'utf8')).map(
      d => d.toJSON() as Entity,
    ),
  )
  .filter(e => e?.kind)
  .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));

const ref = (raw: string, defaultKind: string) =>
  stringifyEntityRef(
    parseEntityRef(raw.trim(), { defaultKind, defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');

function entity(kind: string, name: string): Entity {
  const found = seededEntities.find(
    e =>
      e.kind.toLowerCase() === kind.toLowerCase() && e.metadata.name === name,
  );
  if (!found) throw new Error(`${kind} ${name} is not in the seeded catalog`);
  return found;
}

/**
 * A user's ownership entity refs as the catalog sign-in resolvers give them: the user and
 * the groups they are directly a member of.
 */
export function claimsOf(userName: string): string[] {
  const user = entity('User', userName);
  const memberOf = (user.spec?.memberOf ?? []) as string[];
  return [
    ref(`user:default/${userName}`, 'user'),
    ...memberOf.map(g => ref(g, 'group')),
  ];
}

/** The groups with a support-tier annotation, by tier. */
export function tierGroup(tier: Tier): string {
  const group = seededEntities.find(
    e =>
      e.kind === 'Group' &&
      e.metadata.annotations?.[ANNOTATION_SUPPORT_TIER] === tier,
  );
  if (!group) throw new Error(`No ${tier} group in the seeded catalog`);
  return stringifyEntityRef(group);
}

/** An incident on a seeded cluster at a tier, as the backend would load it. */
export function incidentOn(
  clusterName: string,
  tier: Tier,
  requestor = 'user:default/rahul.mehta',
): IncidentOpsIncidentResource {
  const cluster = entity('Resource', clusterName);
  const tiers: Tier[] = ['L1', 'L2', 'L3'];
  const roles = Object.entries(ROLE_ANNOTATIONS).flatMap(([role, key]) =>
    (cluster.metadata.annotations?.[key] ?? '')
      .split(',')
      .filter(Boolean)
      .map(holder => ({
        role: role as AccountableRole,
        holder: ref(holder, 'user'),
      })),
  );
  return {
    number: 'INC0010001',
    tier,
    tierGroups: {
      own: [tierGroup(tier)],
      above: tiers.slice(tiers.indexOf(tier) + 1).map(tierGroup),
    },
    requestors: [requestor],
    entityRefs: [stringifyEntityRef(cluster)],
    owners: [ref(cluster.spec!.owner as string, 'group')],
    roles,
  };
}
