import {
  INCIDENT_OPS_INCIDENT_RESOURCE_TYPE,
  type AccountableRole,
  type Tier,
} from '@acme/plugin-incident-ops-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * An incident as the permission rules see it: who works it, who asked for it, and who is
 * accountable for what it affects. The backend loads it for a per-incident check.
 * @public
 */
export interface IncidentOpsIncidentResource {
  number: string;
  /** The tier it is at (open tickets with no tier group are at L1 for triage). */
  tier?: Tier;
  /** Entity refs of the groups of its tier, and of each tier above it. */
  tierGroups: { own: string[]; above: string[] };
  /** Entity refs of the catalog users who are its requestor (never matched by name). */
  requestors: string[];
  /** The entities it sits on (by CMDB CI or namespace mention) and what they belong to. */
  entityRefs: string[];
  /** Owners (spec.owner) of those entities. */
  owners: string[];
  /** Holders of each accountable role on its cluster and namespace. */
  roles: Array<{ role: AccountableRole; holder: string }>;
}

/**
 * What a rule asks of a list, for the backend to turn into a database filter. Claims are
 * the user's ownership entity refs (user and groups).
 * @public
 */
export type IncidentOpsIncidentQuery =
  | { tierGroup: { claims: string[]; includeHigherTiers: boolean } }
  | { requestor: { claims: string[] } }
  | { owner: { claims: string[] } }
  | { role: { claims: string[]; roles?: AccountableRole[] } };

/** The incident resource of the incident-ops plugin. @public */
export const incidentOpsIncidentResourceRef = createPermissionResourceRef<
  IncidentOpsIncidentResource,
  IncidentOpsIncidentQuery
>().with({
  pluginId: 'incident-ops',
  resourceType: INCIDENT_OPS_INCIDENT_RESOURCE_TYPE,
});

const claims = z
  .array(z.string())
  .describe(
    "The user's ownership entity refs (the user and their groups): user.info.ownershipEntityRefs",
  );
const roleNames = [
  'support-engineer',
  'evangelist',
  'team-lead',
  'kube-admin',
  'vendor-liaison',
] as const satisfies readonly AccountableRole[];
const meets = (have: string[], claimed: string[]) =>
  have.some(ref => claimed.includes(ref));

const isTierGroupMember = createPermissionRule({
  name: 'IS_TIER_GROUP_MEMBER',
  description:
    "The user is in the assignment group of the incident's tier (or, with includeHigherTiers, of a tier above it)",
  resourceRef: incidentOpsIncidentResourceRef,
  paramsSchema: z.object({
    claims,
    includeHigherTiers: z
      .boolean()
      .optional()
      .describe('Groups of the tiers above the incident also pass'),
  }),
  apply: (incident, { claims: claimed, includeHigherTiers }) =>
    meets(incident.tierGroups.own, claimed) ||
    (!!includeHigherTiers && meets(incident.tierGroups.above, claimed)),
  toQuery: ({ claims: claimed, includeHigherTiers }) => ({
    tierGroup: { claims: claimed, includeHigherTiers: !!includeHigherTiers },
  }),
});

const hasAccountableRole = createPermissionRule({
  name: 'HAS_ACCOUNTABLE_ROLE',
  description:
    "The user holds a role of the ownership matrix on the incident's cluster or namespace",
  resourceRef: incidentOpsIncidentResourceRef,
  paramsSchema: z.object({
    claims,
    roles: z
      .array(z.enum(roleNames))
      .optional()
      .describe('Only these roles (default: any)'),
  }),
  apply: (incident, { claims: claimed, roles }) =>
    incident.roles.some(
      r => claimed.includes(r.holder) && (!roles || roles.includes(r.role)),
    ),
  toQuery: ({ claims: claimed, roles }) => ({
    role: { claims: claimed, ...(roles ? { roles: [...roles] } : {}) },
  }),
});

const isRequestor = createPermissionRule({
  name: 'IS_REQUESTOR',
  description:
    "The user is the incident's requestor (matched by ServiceNow user or email, never by name)",
  resourceRef: incidentOpsIncidentResourceRef,
  paramsSchema: z.object({ claims }),
  apply: (incident, { claims: claimed }) => meets(incident.requestors, claimed),
  toQuery: ({ claims: claimed }) => ({ requestor: { claims: claimed } }),
});

const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description: 'The user owns an entity the incident affects',
  resourceRef: incidentOpsIncidentResourceRef,
  paramsSchema: z.object({ claims }),
  apply: (incident, { claims: claimed }) => meets(incident.owners, claimed),
  toQuery: ({ claims: claimed }) => ({ owner: { claims: claimed } }),
});

/** The rules of the incident resource, for the backend to register. @public */
export const incidentOpsIncidentRules = {
  isTierGroupMember,
  hasAccountableRole,
  isRequestor,
  isEntityOwner,
};

const exported = createConditionExports({
  resourceRef: incidentOpsIncidentResourceRef,
  rules: incidentOpsIncidentRules,
});

/**
 * Conditions on incidents for permission policies, e.g.
 * `incidentOpsIncidentConditions.isTierGroupMember({ claims, includeHigherTiers: true })`.
 * @public
 */
export const incidentOpsIncidentConditions = exported.conditions;

/** Wraps incident conditions into a conditional policy decision. @public */
export const createIncidentOpsIncidentConditionalDecision =
  exported.createConditionalDecision;
