import {
  INCIDENT_OPS_INCIDENT_RESOURCE_TYPE,
  incidentOpsIncidentCommunicatePermission,
  incidentOpsIncidentCreatePermission,
  incidentOpsIncidentEscalatePermission,
  incidentOpsIncidentReadPermission,
  incidentOpsIncidentTransitionPermission,
  incidentOpsKbFeedbackPermission,
  incidentOpsLessonsWritePermission,
  incidentOpsPermissions,
  incidentOpsPlaybookOverridePermission,
  incidentOpsPlaybookRunPermission,
  incidentOpsReportsReadPermission,
  incidentOpsSurveyRecordPermission,
  incidentOpsSyncAdminPermission,
  incidentOpsSyncRunPermission,
  incidentOpsVendorEngagementManagePermission,
} from '@acme/plugin-incident-ops-common';
import {
  createIncidentOpsIncidentConditionalDecision,
  incidentOpsIncidentConditions as conditions,
} from '@acme/plugin-incident-ops-node';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import type { IncidentOpsPolicyOptions } from './options';
import type { TierGroupsLookup } from './tierGroups';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };
const decide = (allowed: boolean) => (allowed ? ALLOW : DENY);

/** Working a ticket: the tier's group and the tiers above it, or a role on its cluster. */
const WORK = new Set(
  [
    incidentOpsIncidentTransitionPermission,
    incidentOpsIncidentEscalatePermission,
    incidentOpsPlaybookRunPermission,
    incidentOpsKbFeedbackPermission,
    incidentOpsIncidentCommunicatePermission,
    incidentOpsVendorEngagementManagePermission,
  ].map(p => p.name),
);
const OURS = new Set(incidentOpsPermissions.map(p => p.name));

/**
 * The Incident Ops permission policy (docs/security.md):
 * - any signed-in user reads incidents (the backend keeps catalog visibility) and reports one;
 * - the incident's tier group and the tiers above, or a holder of one of `workRoles`
 *   (evangelist, team lead, kube-admin) on its cluster or namespace, work it; holders of
 *   `vendorRoles` (vendor liaison) also manage its vendor engagements;
 * - holders of the override roles (team lead, kube-admin) and admins override playbooks;
 * - survey recorders and admins record a survey on a requestor's behalf;
 * - admins run the sync and its admin pages; report groups and admins read reports; tier
 *   groups and admins write lessons;
 * - other plugins' permissions get `otherPermissions` (allow by default).
 * Nothing is allowed to a request without a user.
 * @public
 */
export class IncidentOpsPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: IncidentOpsPolicyOptions,
    private readonly tierGroups: TierGroupsLookup,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!OURS.has(permission.name)) {
      return decide(this.options.otherPermissions === 'allow');
    }
    if (!user) return DENY;
    const claims = user.info.ownershipEntityRefs.map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    const inAny = (groups: string[]) => claims.some(c => groups.includes(c));
    const admin = inAny(this.options.adminGroups);

    if (isResourcePermission(permission, INCIDENT_OPS_INCIDENT_RESOURCE_TYPE)) {
      if (permission.name === incidentOpsIncidentReadPermission.name) {
        return ALLOW;
      }
      if (WORK.has(permission.name)) {
        return createIncidentOpsIncidentConditionalDecision(permission, {
          anyOf: [
            conditions.isTierGroupMember({ claims, includeHigherTiers: true }),
            conditions.hasAccountableRole({
              claims,
              roles:
                permission.name ===
                incidentOpsVendorEngagementManagePermission.name
                  ? [...this.options.workRoles, ...this.options.vendorRoles]
                  : this.options.workRoles,
            }),
          ],
        });
      }
      if (permission.name === incidentOpsPlaybookOverridePermission.name) {
        return admin
          ? ALLOW
          : createIncidentOpsIncidentConditionalDecision(
              permission,
              conditions.hasAccountableRole({
                claims,
                roles: this.options.overrideRoles,
              }),
            );
      }
      if (permission.name === incidentOpsSurveyRecordPermission.name) {
        return decide(admin || inAny(this.options.surveyRecorders));
      }
      return DENY;
    }

    switch (permission.name) {
      case incidentOpsIncidentCreatePermission.name:
        return ALLOW;
      case incidentOpsSyncRunPermission.name:
      case incidentOpsSyncAdminPermission.name:
        return decide(admin);
      case incidentOpsReportsReadPermission.name:
        return decide(admin || inAny(this.options.reportGroups));
      case incidentOpsLessonsWritePermission.name:
        return decide(admin || inAny(await this.tierGroups()));
      default:
        return DENY;
    }
  }
}
