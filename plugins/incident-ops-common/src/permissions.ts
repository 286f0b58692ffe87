import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of an incident: permissions of this type are checked per incident (with
 * its number as the resource ref), and lists apply their conditional decisions as filters.
 * @public
 */
export const INCIDENT_OPS_INCIDENT_RESOURCE_TYPE = 'incident-ops-incident';

const perIncident = {
  resourceType: INCIDENT_OPS_INCIDENT_RESOURCE_TYPE,
} as const;

/** Read incidents and their history (lists are filtered by it). @public */
export const incidentOpsIncidentReadPermission = createPermission({
  name: 'incident-ops.incident.read',
  attributes: { action: 'read' },
  ...perIncident,
});

/** Move an incident through the workflow. @public */
export const incidentOpsIncidentTransitionPermission = createPermission({
  name: 'incident-ops.incident.transition',
  attributes: { action: 'update' },
  ...perIncident,
});

/** Escalate an incident by hand. @public */
export const incidentOpsIncidentEscalatePermission = createPermission({
  name: 'incident-ops.incident.escalate',
  attributes: { action: 'update' },
  ...perIncident,
});

/** Record an update to stakeholders or a post-mortem (and notify them). @public */
export const incidentOpsIncidentCommunicatePermission = createPermission({
  name: 'incident-ops.incident.communicate',
  attributes: { action: 'update' },
  ...perIncident,
});

/** Open a vendor case on an incident and record the vendor's response. @public */
export const incidentOpsVendorEngagementManagePermission = createPermission({
  name: 'incident-ops.vendor-engagement.manage',
  attributes: { action: 'update' },
  ...perIncident,
});

/**
 * Record the post-resolution survey of an incident on its requestor's behalf; the answer is
 * kept as recorded on behalf, with who recorded it. The requestor needs no permission for
 * their own. @public
 */
export const incidentOpsSurveyRecordPermission = createPermission({
  name: 'incident-ops.survey.record',
  attributes: { action: 'create' },
  ...perIncident,
});

/** Start a playbook run on an incident and record its steps' outcomes. @public */
export const incidentOpsPlaybookRunPermission = createPermission({
  name: 'incident-ops.playbook.run',
  attributes: { action: 'update' },
  ...perIncident,
});

/** Resolve an incident whose playbook run has required steps left, with a reason. @public */
export const incidentOpsPlaybookOverridePermission = createPermission({
  name: 'incident-ops.playbook.override',
  attributes: { action: 'update' },
  ...perIncident,
});

/** Mark a knowledge article suggested for an incident helpful or not. @public */
export const incidentOpsKbFeedbackPermission = createPermission({
  name: 'incident-ops.kb.feedback',
  attributes: { action: 'create' },
  ...perIncident,
});

/** Report a new incident from Backstage (it is filed in the incident source). @public */
export const incidentOpsIncidentCreatePermission = createPermission({
  name: 'incident-ops.incident.create',
  attributes: { action: 'create' },
});

/** Start a sync with the incident sources now. @public */
export const incidentOpsSyncRunPermission = createPermission({
  name: 'incident-ops.sync.run',
  attributes: { action: 'update' },
});

/**
 * Administer the suite: re-queue or discard refused write-backs and notifications, read
 * quarantined source records and recipients' contact details. @public
 */
export const incidentOpsSyncAdminPermission = createPermission({
  name: 'incident-ops.sync.admin',
  attributes: { action: 'update' },
});

/** Read the weekly, monthly and quarterly reports. @public */
export const incidentOpsReportsReadPermission = createPermission({
  name: 'incident-ops.reports.read',
  attributes: { action: 'read' },
});

/** Create and edit lessons-learned records. @public */
export const incidentOpsLessonsWritePermission = createPermission({
  name: 'incident-ops.lessons.write',
  attributes: { action: 'update' },
});

/** Every permission the suite defines. @public */
export const incidentOpsPermissions = [
  incidentOpsIncidentReadPermission,
  incidentOpsIncidentTransitionPermission,
  incidentOpsIncidentEscalatePermission,
  incidentOpsIncidentCommunicatePermission,
  incidentOpsVendorEngagementManagePermission,
  incidentOpsSurveyRecordPermission,
  incidentOpsPlaybookRunPermission,
  incidentOpsPlaybookOverridePermission,
  incidentOpsKbFeedbackPermission,
  incidentOpsIncidentCreatePermission,
  incidentOpsSyncRunPermission,
  incidentOpsSyncAdminPermission,
  incidentOpsReportsReadPermission,
  incidentOpsLessonsWritePermission,
];
