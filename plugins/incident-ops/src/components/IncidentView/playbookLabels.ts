import type {
  PlaybookStepStatus,
  PlaybookStepView,
} from '@acme/plugin-incident-ops-common';

/** What a playbook step's state reads as. */
export const STEP_STATUS_LABEL: Record<PlaybookStepView['status'], string> = {
  pending: 'To do',
  done: 'Done',
  verified: 'Verified',
  skipped: 'Skipped',
  failed: 'Failed',
};

/** What the button that records a step's outcome says. */
export const STEP_ACTION_LABEL: Record<PlaybookStepStatus, string> = {
  done: 'Mark done',
  verified: 'Mark verified',
  skipped: 'Skip',
  failed: 'Mark failed',
};
