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

/** @public */
export const incidentOpsPermissions = [
  incidentOpsIncidentReadPermission,
  incidentOpsIncidentTransitionPermission,
  incidentOpsIncidentEscalatePermission,
  incidentOpsSyncRunPermission,
  incidentOpsSurveyRecordPermission,
  incidentOpsPlaybookRunPermission,
  incidentOpsLessonsWritePermission,
];
