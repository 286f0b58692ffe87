import {
  ANNOTATION_DOMAIN,
  ANNOTATION_SERVICENOW_CMDB_CI,
  AccountableRole,
  ENTITY_TYPE_CLUSTER,
  ENTITY_TYPE_NAMESPACE,
  MATRIX_ROLES,
  OwnershipMatrix,
  OwnershipRow,
  ROLE_ANNOTATIONS,
} from '@acme/plugin-incident-ops-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

import {
  annotation,
  compact,
  entitiesByRefs,
  missingPerson,
  parseRoleRefs,
  toDomainRef,
  toPerson,
  typeOf,
} from './catalogEntities';

/** How many clusters and namespaces one page of the matrix query brings. */
const MATRIX_PAGE_SIZE = 1000;

/**
 * The role accountability matrix: every cluster and namespace (one paginated catalog query,
 * whatever their number) × the five roles, inherited from the cluster where a namespace sets
 * none, and the holders' names (one more query for all of them).
 */
export async function readOwnershipMatrix(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<OwnershipMatrix> {
  const fields = [
    'kind',
    'metadata.name',
    'metadata.namespace',
    'metadata.title',
    'metadata.annotations',
    'spec.type',
    'spec.dependsOn',
  ];
  const entities: Entity[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, fields, limit: MATRIX_PAGE_SIZE }
        : {
            filter: [
              { kind: 'resource', 'spec.type': ENTITY_TYPE_CLUSTER },
              { kind: 'resource', 'spec.type': ENTITY_TYPE_NAMESPACE },
            ],
            fields,
            limit: MATRIX_PAGE_SIZE,
          },
      { credentials },
    );
    entities.push(...page.items);
    cursor = page.pageInfo.nextCursor;
  } while (cursor);

  const clusters = new Map<string, Entity>();
  for (const e of entities) {
    if (typeOf(e) === ENTITY_TYPE_CLUSTER)
      clusters.set(stringifyEntityRef(e), e);
  }
  const clusterOf = (ns: Entity) => {
    const deps = Array.isArray(ns.spec?.dependsOn) ? ns.spec!.dependsOn : [];
    for (const dep of deps as unknown[]) {
      if (typeof dep !== 'string') continue;
      try {
        const ref = stringifyEntityRef(
          parseEntityRef(dep, {
            defaultKind: 'resource',
            defaultNamespace: ns.metadata.namespace ?? 'default',
          }),
        );
        if (clusters.has(ref)) return ref;
      } catch {
        // not a ref: not a cluster either
      }
    }
    return undefined;
  };

  type Draft = Omit<OwnershipRow, 'cells'> & {
    cells: Array<{ role: AccountableRole; holders: string[]; from?: string }>;
  };
  // most cells repeat their cluster's value: parse each distinct value once
  const parsed = new Map<string, string[]>();
  const holdersOf = (value: string | undefined) => {
    if (value === undefined) return [];
    let refs = parsed.get(value);
    if (!refs) {
      refs = parseRoleRefs(value);
      parsed.set(value, refs);
    }
    return refs;
  };
  const drafts: Draft[] = entities.map(e => {
    const entityRef = stringifyEntityRef(e);
    const isCluster = typeOf(e) === ENTITY_TYPE_CLUSTER;
    const cluster = isCluster ? undefined : clusterOf(e);
    const parent = cluster ? clusters.get(cluster) : undefined;
    const own = (key: string) =>
      annotation(e, key) !== undefined
        ? { value: annotation(e, key)!, from: entityRef }
        : undefined;
    const inherited = (key: string) => {
      const value = parent ? annotation(parent, key) : undefined;
      return value !== undefined ? { value, from: cluster! } : undefined;
    };
    const set = (key: string) => own(key) ?? inherited(key);
    return {
      entityRef,
      name: e.metadata.name,
      title: e.metadata.title,
      type: isCluster ? 'cluster' : 'namespace',
      cluster,
      domain: set(ANNOTATION_DOMAIN)?.value,
      configurationItem: annotation(e, ANNOTATION_SERVICENOW_CMDB_CI),
      cells: MATRIX_ROLES.map(role => {
        const found = set(ROLE_ANNOTATIONS[role]);
        return {
          role,
          holders: holdersOf(found?.value),
          from: found?.from,
        };
      }),
    };
  });

  const holderRefs = [
    ...new Set(drafts.flatMap(d => d.cells.flatMap(c => c.holders))),
  ];
  const domainNames = [
    ...new Set(drafts.map(d => d.domain).filter((d): d is string => !!d)),
  ];
  const found = await entitiesByRefs(
    catalog,
    [...holderRefs, ...domainNames.flatMap(n => toDomainRef(n) ?? [])],
    credentials,
  );
  const people = holderRefs.map(r => {
    const e = found.get(r);
    return compact(e ? toPerson(e) : missingPerson(r));
  });
  const missing = new Set(people.filter(p => p.missing).map(p => p.entityRef));

  const byRole = new Map<AccountableRole, number>(
    MATRIX_ROLES.map(r => [r, 0]),
  );
  let total = 0;
  const rows: OwnershipRow[] = drafts.map(d =>
    compact({
      ...d,
      cells: d.cells.map(c => {
        const gap = c.holders.every(h => missing.has(h));
        if (gap) {
          total += 1;
          byRole.set(c.role, byRole.get(c.role)! + 1);
        }
        return compact({
          ...c,
          inherited: c.from !== undefined && c.from !== d.entityRef,
          gap,
        });
      }),
    }),
  );
  // clusters by ref, each followed by its namespaces by name; namespaces without a cluster
  // last
  const sortKey = (r: OwnershipRow) => [
    r.type === 'cluster' || r.cluster ? 0 : 1,
    r.type === 'cluster' ? r.entityRef : r.cluster ?? '',
    r.type === 'cluster' ? 0 : 1,
    r.name,
  ];
  const compare = (a: OwnershipRow, b: OwnershipRow) => {
    const [x, y] = [sortKey(a), sortKey(b)];
    const i = x.findIndex((v, n) => v !== y[n]);
    if (i < 0) return 0;
    return x[i] < y[i] ? -1 : 1;
  };
  rows.sort(compare);

  return {
    roles: [...MATRIX_ROLES],
    rows,
    people,
    domains: domainNames.sort().map(name =>
      compact({
        name,
        title: found.get(toDomainRef(name) ?? '')?.metadata.title,
      }),
    ),
    gaps: {
      total,
      byRole: MATRIX_ROLES.map(role => ({ role, count: byRole.get(role)! })),
    },
  };
}
