import {
  ANNOTATION_DOMAIN,
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
  OwnershipMatrix,
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

import {
  PERSON_FIELDS,
  TIERS,
  annotation,
  compact,
  entitiesByRefs,
  missingPerson,
  parseRoleRefs,
  relationTargets,
  toContact,
  toDomainRef,
  toPerson,
  typeOf,
} from './catalogEntities';
import { readOwnershipMatrix } from './ownershipMatrix';

export { parseRoleRefs } from './catalogEntities';

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
   * The role accountability matrix of every cluster and namespace; see readOwnershipMatrix.
   */
  ownershipMatrix(credentials: BackstageCredentials): Promise<OwnershipMatrix> {
    return readOwnershipMatrix(this.catalog, credentials);
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
  private byRefs(refs: string[], credentials: BackstageCredentials) {
    return entitiesByRefs(this.catalog, refs, credentials);
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
