import type { AccountableRole } from '@acme/plugin-incident-ops-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';

/** What the policy reads from `incidentOps.permissionPolicy`. @public */
export interface IncidentOpsPolicyOptions {
  /** Group entity refs, lower case. */
  adminGroups: string[];
  reportGroups: string[];
  surveyRecorders: string[];
  workRoles: AccountableRole[];
  vendorRoles: AccountableRole[];
  overrideRoles: AccountableRole[];
  otherPermissions: 'allow' | 'deny';
}

const KEY = 'incidentOps.permissionPolicy';
const ROLES: AccountableRole[] = [
  'support-engineer',
  'evangelist',
  'team-lead',
  'kube-admin',
  'vendor-liaison',
];

/** A group ref as ownership entity refs spell it: `group:default/name`, lower case. */
export function normalizeGroupRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  ).toLocaleLowerCase('en-US');
}

function groups(config: Config, key: string): string[] {
  const refs = config.getOptionalStringArray(`${KEY}.${key}`) ?? [];
  return refs.map(ref => {
    try {
      return normalizeGroupRef(ref);
    } catch (e) {
      throw new Error(
        `Invalid config at ${KEY}.${key}: '${ref}' is not an entity ref (${e})`,
      );
    }
  });
}

/** Reads `incidentOps.permissionPolicy`; errors name the key. @public */
export function readIncidentOpsPolicyOptions(
  config: Config,
): IncidentOpsPolicyOptions {
  const roles = (key: string, fallback: AccountableRole[]) => {
    const values = config.getOptionalStringArray(`${KEY}.${key}`) ?? fallback;
    for (const role of values) {
      if (!ROLES.includes(role as AccountableRole)) {
        throw new Error(
          `Invalid config at ${KEY}.${key}: '${role}' is not one of ${ROLES.join(
            ', ',
          )}`,
        );
      }
    }
    return values as AccountableRole[];
  };
  const other = config.getOptionalString(`${KEY}.otherPermissions`) ?? 'allow';
  if (other !== 'allow' && other !== 'deny') {
    throw new Error(
      `Invalid config at ${KEY}.otherPermissions: '${other}' is not allow or deny`,
    );
  }
  return {
    adminGroups: groups(config, 'adminGroups'),
    reportGroups: groups(config, 'reportGroups'),
    surveyRecorders: groups(config, 'surveyRecorders'),
    workRoles: roles('workRoles', ['evangelist', 'team-lead', 'kube-admin']),
    vendorRoles: roles('vendorRoles', ['vendor-liaison']),
    overrideRoles: roles('overrideRoles', ['team-lead', 'kube-admin']),
    otherPermissions: other,
  };
}
