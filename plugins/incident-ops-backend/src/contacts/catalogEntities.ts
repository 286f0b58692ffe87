import {
  ANNOTATION_PHONE,
  ANNOTATION_SLACK_CHANNEL,
  ANNOTATION_TEAMS_CHANNEL,
  ANNOTATION_VENDOR_HOTLINE,
  Contact,
  ContactPerson,
} from '@acme/plugin-incident-ops-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

// Reading contacts off catalog entities: annotations, relations, people and groups.

/** The fields of users and groups a contact is made of. */
export const PERSON_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.annotations',
  'spec.profile',
  'relations',
];

export const TIERS: Array<['l1' | 'l2' | 'l3', string]> = [
  ['l1', 'L1'],
  ['l2', 'L2'],
  ['l3', 'L3'],
];

export const annotation = (entity: Entity, key: string) => {
  const value = entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
};

export const typeOf = (entity: Entity) =>
  typeof entity.spec?.type === 'string' ? entity.spec.type : undefined;

export const relationTargets = (entity: Entity, type: string) =>
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
export function toDomainRef(value: string): string | undefined {
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

export function toPerson(entity: Entity): ContactPerson {
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

export const missingPerson = (ref: string): ContactPerson => ({
  entityRef: ref,
  kind: ref.startsWith('group:') ? 'group' : 'user',
  name: ref,
  missing: true,
});

export function toContact(entity: Entity, members?: ContactPerson[]): Contact {
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
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/** The entities of some refs, by ref; one catalog call. */
export async function entitiesByRefs(
  catalog: CatalogService,
  refs: string[],
  credentials: BackstageCredentials,
) {
  const unique = [...new Set(refs)];
  const result = new Map<string, Entity>();
  if (unique.length === 0) return result;
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: unique },
    { credentials },
  );
  items.forEach((e, i) => {
    if (e) result.set(unique[i], e);
  });
  return result;
}
