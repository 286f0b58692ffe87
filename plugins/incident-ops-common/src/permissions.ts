import { createPermission } from '@backstage/plugin-permission-common';

/** Read incidents and their history. @public */
export const incidentOpsIncidentReadPermission = createPermission({
  name: 'incident-ops.incident.read',
  attributes: { action: 'read' },
});

/** Move an incident through the workflow. @public */
export const incidentOpsIncidentTransitionPermission = createPermission({
  name: 'incident-ops.incident.transition',
  attributes: { action: 'update' },
});

/** Escalate an incident by hand. @public */
export const incidentOpsIncidentEscalatePermission = createPermission({
  name: 'incident-ops.incident.escalate',
  attributes: { action: 'update' },
});

/** Start a sync with the incident sources now. @public */
export const incidentOpsSyncRunPermission = createPermission({
  name: 'incident-ops.sync.run',
  attributes: { action: 'update' },
});

/**
 * Administer the outboxes: re-queue or discard a write-back or a notification that was
 * refused. @public
 */
export const incidentOpsSyncAdminPermission = createPermission({
  name: 'incident-ops.sync.admin',
  attributes: { action: 'update' },
});

/** Record an update to stakeholders or a post-mortem (and notify them). @public */
export const incidentOpsIncidentCommunicatePermission = createPermission({
  name: 'incident-ops.incident.communicate',
  attributes: { action: 'update' },
});

/** Open a vendor case on an incident and record the vendor's response. @public */
export const incidentOpsVendorEngagementManagePermission = createPermission({
  name: 'incident-ops.vendor-engagement.manage',
  attributes: { action: 'update' },
});

/**
 * Record or edit the post-resolution survey of an incident on its requestor's behalf (the
 * requestor needs no permission for their own). @public
 */
export const incidentOpsSurveyRecordPermission = createPermission({
  name: 'incident-ops.survey.record',
  attributes: { action: 'create' },
});

/** Start a playbook run on an incident and record its steps' outcomes. @public */
export const incidentOpsPlaybookRunPermission = createPermission({
  name: 'incident-ops.playbook.run',
  attributes: { action: 'update' },
});

/** Create and edit lessons-learned records. @public */
export const incidentOpsLessonsWritePermission = createPermission({
  name: 'incident-ops.lessons.write',
  attributes: { action: 'update' },
});

/** Mark a knowledge article suggested for an incident helpful or not. @public */
export const incidentOpsKbFeedbackPermission = createPermission({
  name: 'incident-ops.kb.feedback',
  attributes: { action: 'create' },
});

/** @public */
export const incidentOpsPermissions = [
  incidentOpsIncidentReadPermission,
  incidentOpsIncidentTransitionPermission,
  incidentOpsIncidentEscalatePermission,
  incidentOpsSyncRunPermission,
  incidentOpsSyncAdminPermission,
  incidentOpsKbFeedbackPermission,
  incidentOpsSurveyRecordPermission,
  incidentOpsIncidentCommunicatePermission,
  incidentOpsVendorEngagementManagePermission,
  incidentOpsPlaybookRunPermission,
  incidentOpsLessonsWritePermission,
];
