import type { Entity } from '@backstage/catalog-model';

const prefix = 'incident-ops.acme.com';

/**
 * The ServiceNow CMDB CI (name or sys_id) an entity stands for. Incidents whose `cmdb_ci`
 * matches are attached to the entity.
 * @public
 */
export const ANNOTATION_SERVICENOW_CMDB_CI = `${prefix}/servicenow-cmdb-ci`;
/** The ServiceNow assignment group a support group works as. @public */
export const ANNOTATION_SERVICENOW_ASSIGNMENT_GROUP = `${prefix}/servicenow-assignment-group`;
/** `L1`, `L2` or `L3` on a support group. @public */
export const ANNOTATION_SUPPORT_TIER = `${prefix}/support-tier`;
/** The management domain of a cluster; area leads are per domain. @public */
export const ANNOTATION_DOMAIN = `${prefix}/domain`;
/** @public */
export const ANNOTATION_SLACK_CHANNEL = `${prefix}/slack-channel`;
/** @public */
export const ANNOTATION_TEAMS_CHANNEL = `${prefix}/teams-channel`;
/** @public */
export const ANNOTATION_VENDOR_HOTLINE = `${prefix}/vendor-hotline`;
/** @public */
export const ANNOTATION_PHONE = `${prefix}/phone`;
/**
 * On users: their ServiceNow sys_user sys_id, so the suite knows which incidents they
 * requested (without it, the profile's display name is compared with the caller's name).
 * @public
 */
export const ANNOTATION_SERVICENOW_USER = `${prefix}/servicenow-user`;
/**
 * On groups: the stakeholder role the group plays for the whole platform (`architect`,
 * `vendor-manager`, `it-leadership` or `vendor`); see `StakeholderRole`.
 * @public
 */
export const ANNOTATION_STAKEHOLDER_ROLE = `${prefix}/stakeholder-role`;
/**
 * On clusters: the egress (SNAT) range, one IPv4 CIDR, that firewalls see as the source of
 * the cluster's outbound traffic. Playbook fields with `from: egressCidr` read it.
 * @public
 */
export const ANNOTATION_EGRESS_CIDR = `${prefix}/egress-cidr`;
/**
 * On service components: the value of the `app` label of the service's pods, when it is not
 * the component's name. Playbook fields with `from: appLabel` read it.
 * @public
 */
export const ANNOTATION_APP_LABEL = `${prefix}/app-label`;

/** The roles of the accountability matrix, with the annotation that names each. @public */
export const ROLE_ANNOTATIONS = {
  'support-engineer': `${prefix}/support-engineer`,
  evangelist: `${prefix}/evangelist`,
  'team-lead': `${prefix}/team-lead`,
  'kube-admin': `${prefix}/kube-admin`,
  'vendor-liaison': `${prefix}/vendor-liaison`,
} as const;

/** @public */
export type AccountableRole = keyof typeof ROLE_ANNOTATIONS;

/** `spec.type` of cluster and namespace Resources. @public */
export const ENTITY_TYPE_CLUSTER = 'kubernetes-cluster';
/** @public */
export const ENTITY_TYPE_NAMESPACE = 'kubernetes-namespace';

/**
 * Whether Incident Ops has anything to show for an entity: it names a CMDB CI, or it is a
 * cluster, namespace or a component that depends on one.
 * @public
 */
export function isIncidentOpsAvailable(entity: Entity): boolean {
  if (entity.metadata.annotations?.[ANNOTATION_SERVICENOW_CMDB_CI]) {
    return true;
  }
  const type = (entity.spec as { type?: unknown } | undefined)?.type;
  if (
    entity.kind === 'Resource' &&
    (type === ENTITY_TYPE_CLUSTER || type === ENTITY_TYPE_NAMESPACE)
  ) {
    return true;
  }
  return (entity.relations ?? []).some(
    r => r.type === 'dependsOn' && r.targetRef.startsWith('resource:'),
  );
}
