import {
  ANNOTATION_DOMAIN,
  ANNOTATION_PHONE,
  ANNOTATION_SERVICENOW_CMDB_CI,
  ANNOTATION_SLACK_CHANNEL,
  ANNOTATION_STAKEHOLDER_ROLE,
  ANNOTATION_SUPPORT_TIER,
  ANNOTATION_TEAMS_CHANNEL,
  ANNOTATION_VENDOR_HOTLINE,
  AccountableRole,
  CONTACT_LEVELS,
  Contact,
  ContactEntry,
  ContactPerson,
  ContactRole,
  ContactSource,
  ContactTree,
  ENTITY_TYPE_CLUSTER,
  ENTITY_TYPE_NAMESPACE,
  InheritedValue,
  MATRIX_ROLES,
  OwnershipMatrix,
  OwnershipRow,
  ROLE_ANNOTATIONS,
  Recipient,
  STAKEHOLDER_ROLES,
} from '@acme/plugin-incident-ops-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** How many clusters and namespaces one page of the matrix query brings. */
const MATRIX_PAGE_SIZE = 1000;

/** The fields of users and groups a contact is made of. */
const PERSON_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.annotations',
  'spec.profile',
  'relations',
];

const TIERS: Array<['l1' | 'l2' | 'l3', string]> = [
  ['l1', 'L1'],
  ['l2', 'L2'],
  ['l3', 'L3'],
];

const annotation = (entity: Entity, key: string) => {
  const value = entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
};

const typeOf = (entity: Entity) =>
  typeof entity.spec?.type === 'string' ? entity.spec.type : undefined;

const relationTargets = (entity: Entity, type: string) =>
  (entity.relations ?? []).filter(r => r.type === type).map(r => r.targetRef);

/**
 * The refs a role annotation names (comma-separated, `user:` by default), normalised; a
 * value that is not a ref is kept as it is and shows up as missing.
 */
export function parseRoleRefs(value: string | undefined): string[] {
  const refs = (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .map(raw => {
      try {
        return stringifyEntityRef(
          parseEntityRef(raw, {
            defaultKind: 'user',
            defaultNamespace: 'default',
          }),
        );
      } catch {
        return raw;
      }
    });
  return [...new Set(refs)];
}

/** The Domain entity a domain annotation names (a name or a ref). */
function toDomainRef(value: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'domain',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

function toPerson(entity: Entity): ContactPerson {
  const profile = (entity.spec?.profile ?? {}) as {
    displayName?: string;
    email?: string;
  };
  return {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind.toLowerCase() === 'group' ? 'group' : 'user',
    name: profile.displayName ?? entity.metadata.title ?? entity.metadata.name,
    email: profile.email,
    phone:
      annotation(entity, ANNOTATION_PHONE) ??
      annotation(entity, ANNOTATION_VENDOR_HOTLINE),
  };
}

const missingPerson = (ref: string): ContactPerson => ({
  entityRef: ref,
  kind: ref.startsWith('group:') ? 'group' : 'user',
  name: ref,
  missing: true,
});

function toContact(entity: Entity, members?: ContactPerson[]): Contact {
  const person = toPerson(entity);
  return {
    ...person,
    description:
      person.kind === 'group' ? entity.metadata.description : undefined,
    slackChannel: annotation(entity, ANNOTATION_SLACK_CHANNEL),
    teamsChannel: annotation(entity, ANNOTATION_TEAMS_CHANNEL),
    members: person.kind === 'group' ? members ?? [] : undefined,
  };
}

/** Drops the keys whose value is undefined, so responses carry no empty fields. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/**
 * Reads who is reached about a cluster, namespace or service from the catalog: the role
 * annotations on the entity or inherited from its namespace and cluster, its owner, the owner
 * of its domain, and the platform-wide tier and stakeholder groups; and the role
 * accountability matrix of every cluster and namespace. The notification code asks it for
 * the recipients of a role.
 * @public
 */
export class ContactResolver {
  private readonly catalog: CatalogService;

  constructor(options: { catalog: CatalogService }) {
    this.catalog = options.catalog;
  }

  /**
   * The escalation contact tree of an entity. Throws InputError for a malformed ref and
   * NotFoundError for an entity that is not in the catalog.
   */
  async contactTree(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ContactTree> {
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (e) {
      throw new InputError(`Invalid entity ref '${entityRef}': ${e}`);
    }
    const options = { credentials };
    const [entity, platformGroups] = await Promise.all([
      this.catalog.getEntityByRef(ref, options),
      // the platform-wide groups: support tiers and stakeholder roles
      this.catalog
        .getEntities(
          {
            filter: [
              {
                kind: 'group',
                [`metadata.annotations.${ANNOTATION_SUPPORT_TIER}`]: TIERS.map(
                  ([, tier]) => tier,
                ),
              },
              {
                kind: 'group',
                [`metadata.annotations.${ANNOTATION_STAKEHOLDER_ROLE}`]: [
                  ...STAKEHOLDER_ROLES,
                ],
              },
            ],
            fields: PERSON_FIELDS,
          },
          options,
        )
        .then(r => r.items),
    ]);
    if (!entity) {
      throw new NotFoundError(`No entity ${ref} in the catalog`);
    }
    const chain = await this.inheritanceChain(entity, credentials);
    const self = chain[0].ref;

    // The nearest entity in the chain that sets a key.
    const nearest = (key: string): InheritedValue | undefined => {
      for (const link of chain) {
        const value = annotation(link.entity, key);
        if (value)
          return { value, from: link.ref, inherited: link.ref !== self };
      }
      return undefined;
    };

    // Who is named, and by what: role annotations, the owner, the domain's owner.
    const named: Array<{
      role: ContactRole;
      refs: string[];
      from: ContactSource;
    }> = [];
    for (const [role, key] of Object.entries(ROLE_ANNOTATIONS)) {
      const set = nearest(key);
      if (set) {
        named.push({
          role: role as AccountableRole,
          refs: parseRoleRefs(set.value),
          from: {
            entityRef: set.from,
            via: 'annotation',
            detail: key,
            inherited: set.inherited,
          },
        });
      }
    }
    const owners = relationTargets(entity, RELATION_OWNED_BY);
    if (owners.length > 0) {
      named.push({
        role: 'owner',
        refs: owners,
        from: { entityRef: self, via: 'owner', inherited: false },
      });
    }
    const domainSet = nearest(ANNOTATION_DOMAIN);
    const domainRef = domainSet ? toDomainRef(domainSet.value) : undefined;

    const [namedEntities, domain] = await Promise.all([
      this.byRefs(
        named.flatMap(n => n.refs),
        credentials,
      ),
      domainRef
        ? this.catalog.getEntityByRef(domainRef, options)
        : Promise.resolve(undefined),
    ]);
    const areaLeadRefs = domain
      ? relationTargets(domain, RELATION_OWNED_BY)
      : [];
    const areaLeads = await this.byRefs(areaLeadRefs, credentials);
    if (domain && domainSet && areaLeadRefs.length > 0) {
      named.push({
        role: 'area-lead',
        refs: areaLeadRefs,
        from: {
          entityRef: domainSet.from,
          via: 'domain',
          detail: domainRef,
          inherited: domainSet.inherited,
        },
      });
    }
    const known = new Map<string, Entity>();
    for (const e of [
      ...platformGroups,
      ...namedEntities.values(),
      ...areaLeads.values(),
    ]) {
      known.set(stringifyEntityRef(e), e);
    }

    // Platform-wide groups: the support tiers and the stakeholder roles.
    const platform = (
      role: ContactRole,
      via: ContactSource['via'],
      test: (g: Entity) => boolean,
    ) => {
      for (const group of platformGroups.filter(test)) {
        const groupRef = stringifyEntityRef(group);
        named.push({
          role,
          refs: [groupRef],
          from: {
            entityRef: groupRef,
            via,
            inherited: false,
          },
        });
      }
    };
    for (const [role, tier] of TIERS) {
      platform(
        role,
        'support-tier',
        g => annotation(g, ANNOTATION_SUPPORT_TIER)?.toUpperCase() === tier,
      );
    }
    for (const role of STAKEHOLDER_ROLES) {
      platform(
        role,
        'stakeholder-role',
        g => annotation(g, ANNOTATION_STAKEHOLDER_ROLE) === role,
      );
    }

    const members = await this.membersOf(
      [...known.values()].filter(e => e.kind.toLowerCase() === 'group'),
      credentials,
    );
    const contactOf = (r: string): Contact => {
      const e = known.get(r);
      return e
        ? compact(toContact(e, members.get(r)))
        : compact(missingPerson(r));
    };

    // The vendor hotline of the entity (a cluster's), unless a vendor group has that number;
    // the vendor whose number it is comes first.
    const hotline = nearest(ANNOTATION_VENDOR_HOTLINE);
    const levels = CONTACT_LEVELS.map(({ level, title, roles }) => {
      const entries: ContactEntry[] = [];
      const byRef = new Map<string, ContactEntry>();
      for (const role of roles) {
        for (const n of named.filter(x => x.role === role)) {
          for (const r of n.refs) {
            const seen = byRef.get(r);
            if (seen) {
              if (!seen.roles.includes(role)) seen.roles.push(role);
              continue;
            }
            const entry = {
              roles: [role],
              contact: contactOf(r),
              from: n.from,
            };
            byRef.set(r, entry);
            entries.push(entry);
          }
        }
      }
      if (level === 'vendor' && hotline) {
        const vendors = entries.filter(e => e.roles.includes('vendor'));
        const match = vendors.find(e => e.contact.phone === hotline.value);
        if (match) {
          entries.splice(entries.indexOf(match), 1);
          entries.splice(entries.indexOf(vendors[0]), 0, match);
        } else {
          entries.push({
            roles: ['vendor'],
            contact: {
              kind: 'hotline',
              name: 'Vendor hotline',
              phone: hotline.value,
            },
            from: {
              entityRef: hotline.from,
              via: 'annotation',
              detail: ANNOTATION_VENDOR_HOTLINE,
              inherited: hotline.inherited,
            },
          });
        }
      }
      return { level, title, contacts: entries };
    });

    // A role is a gap when nobody in the catalog holds it.
    const gaps = CONTACT_LEVELS.flatMap(l => l.roles).filter(
      role =>
        !levels.some(l =>
          l.contacts.some(c => c.roles.includes(role) && !c.contact.missing),
        ),
    );

    const slack = nearest(ANNOTATION_SLACK_CHANNEL);
    const teams = nearest(ANNOTATION_TEAMS_CHANNEL);
    return {
      entityRef: self,
      chain: chain.map(link =>
        compact({
          entityRef: link.ref,
          kind: link.entity.kind,
          type: typeOf(link.entity),
          title: link.entity.metadata.title,
        }),
      ),
      ...(domainRef && domainSet
        ? {
            domain: compact({
              entityRef: domainRef,
              title: domain?.metadata.title,
              from: domainSet.from,
            }),
          }
        : {}),
      channels: compact({ slack, teams }),
      levels,
      gaps,
    };
  }

  /**
   * The contacts holding any of `roles` for an entity (inheritance applied), each once with
   * the roles it holds; for notifications. Groups carry their members, so each member can be
   * reached by email or phone.
   */
  async recipientsFor(
    entityRef: string,
    roles: readonly ContactRole[],
    credentials: BackstageCredentials,
  ): Promise<Recipient[]> {
    const tree = await this.contactTree(entityRef, credentials);
    const wanted = new Set(roles);
    const byKey = new Map<string, Recipient>();
    for (const level of tree.levels) {
      for (const entry of level.contacts) {
        const matching = entry.roles.filter(r => wanted.has(r));
        if (matching.length === 0 || entry.contact.missing) continue;
        const key = entry.contact.entityRef ?? `hotline:${entry.contact.phone}`;
        const seen = byKey.get(key);
        if (seen) {
          seen.roles.push(...matching.filter(r => !seen.roles.includes(r)));
        } else {
          byKey.set(key, { ...entry.contact, roles: matching });
        }
      }
    }
    return [...byKey.values()];
  }

  /**
   * The role accountability matrix: every cluster and namespace (one paginated catalog query,
   * whatever their number) × the five roles, inherited from the cluster where a namespace sets
   * none, and the holders' names (one more query for all of them).
   */
  async ownershipMatrix(
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
      const page = await this.catalog.queryEntities(
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
    const found = await this.byRefs(
      [...holderRefs, ...domainNames.flatMap(n => toDomainRef(n) ?? [])],
      credentials,
    );
    const people = holderRefs.map(r => {
      const e = found.get(r);
      return compact(e ? toPerson(e) : missingPerson(r));
    });
    const missing = new Set(
      people.filter(p => p.missing).map(p => p.entityRef),
    );

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

  /**
   * The entity, then what it inherits from: the namespace or cluster it depends on, and that
   * namespace's cluster.
   */
  private async inheritanceChain(
    entity: Entity,
    credentials: BackstageCredentials,
  ) {
    const chain = [{ ref: stringifyEntityRef(entity), entity }];
    for (;;) {
      const current = chain[chain.length - 1].entity;
      if (typeOf(current) === ENTITY_TYPE_CLUSTER) break;
      const parentTypes =
        typeOf(current) === ENTITY_TYPE_NAMESPACE
          ? [ENTITY_TYPE_CLUSTER]
          : [ENTITY_TYPE_NAMESPACE, ENTITY_TYPE_CLUSTER];
      const deps = relationTargets(current, RELATION_DEPENDS_ON).filter(r =>
        r.startsWith('resource:'),
      );
      const found = [...(await this.byRefs(deps, credentials)).values()];
      const parent = parentTypes
        .map(t => found.find(e => typeOf(e) === t))
        .find(Boolean);
      if (!parent || chain.some(l => l.entity === parent)) break;
      chain.push({ ref: stringifyEntityRef(parent), entity: parent });
    }
    return chain;
  }

  /** The entities of some refs, by ref; one catalog call. */
  private async byRefs(refs: string[], credentials: BackstageCredentials) {
    const unique = [...new Set(refs)];
    const result = new Map<string, Entity>();
    if (unique.length === 0) return result;
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: unique },
      { credentials },
    );
    items.forEach((e, i) => {
      if (e) result.set(unique[i], e);
    });
    return result;
  }

  /** The direct members (users) of some groups, by group ref; one catalog call. */
  private async membersOf(groups: Entity[], credentials: BackstageCredentials) {
    const result = new Map<string, ContactPerson[]>();
    if (groups.length === 0) return result;
    const refs = groups.map(g => stringifyEntityRef(g));
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: 'user', [`relations.${RELATION_MEMBER_OF}`]: refs },
        fields: PERSON_FIELDS,
      },
      { credentials },
    );
    for (const user of items) {
      for (const group of relationTargets(user, RELATION_MEMBER_OF)) {
        if (!refs.includes(group)) continue;
        const list = result.get(group) ?? [];
        list.push(compact(toPerson(user)));
        result.set(group, list);
      }
    }
    return result;
  }
}
