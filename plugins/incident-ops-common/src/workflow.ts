/** The ticket workflow of the operational model (section III.3). @public */
export type IncidentStatus =
  | 'unassigned'
  | 'work-in-progress'
  | 'awaiting-customer'
  | 'escalated'
  | 'resolved'
  | 'closed';

/** @public */
export const INCIDENT_STATUSES: readonly IncidentStatus[] = [
  'unassigned',
  'work-in-progress',
  'awaiting-customer',
  'escalated',
  'resolved',
  'closed',
];

/**
 * The legal transitions. `escalated` is left only by the receiving tier starting work; a
 * resolved ticket can be reopened; closed is final.
 */
const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  unassigned: ['work-in-progress', 'escalated'],
  'work-in-progress': ['awaiting-customer', 'escalated', 'resolved'],
  'awaiting-customer': ['work-in-progress', 'escalated', 'resolved'],
  escalated: ['work-in-progress'],
  resolved: ['work-in-progress', 'closed'],
  closed: [],
};

/** @public */
export function isIncidentStatus(value: unknown): value is IncidentStatus {
  return (
    typeof value === 'string' &&
    (INCIDENT_STATUSES as readonly string[]).includes(value)
  );
}

/** The statuses a ticket in `from` may move to. @public */
export function allowedTransitions(
  from: IncidentStatus,
): readonly IncidentStatus[] {
  return TRANSITIONS[from];
}

/** @public */
export function canTransition(from: IncidentStatus, to: IncidentStatus) {
  return TRANSITIONS[from].includes(to);
}

/** Open means someone still has work to do on it. @public */
export function isOpenStatus(status: IncidentStatus): boolean {
  return status !== 'resolved' && status !== 'closed';
}

/** ServiceNow incident `state` codes. @public */
export const SERVICENOW_STATE = {
  new: '1',
  inProgress: '2',
  onHold: '3',
  resolved: '6',
  closed: '7',
  canceled: '8',
} as const;

/** ServiceNow incident `hold_reason` codes (there is no 2). @public */
export const SERVICENOW_HOLD_REASON = {
  awaitingCaller: '1',
  awaitingProblem: '3',
  awaitingVendor: '4',
  awaitingChange: '5',
} as const;

/**
 * The workflow status for a ServiceNow state and hold reason. On Hold awaiting the caller is
 * `awaiting-customer`; on hold for a problem, vendor or change the ticket is still being
 * worked (`work-in-progress`). Canceled counts as closed. Returns undefined for an unknown
 * state code.
 * @public
 */
export function statusFromServiceNow(
  state: string,
  holdReason?: string,
): IncidentStatus | undefined {
  switch (String(state).trim()) {
    case SERVICENOW_STATE.new:
      return 'unassigned';
    case SERVICENOW_STATE.inProgress:
      return 'work-in-progress';
    case SERVICENOW_STATE.onHold:
      return holdReason === SERVICENOW_HOLD_REASON.awaitingCaller
        ? 'awaiting-customer'
        : 'work-in-progress';
    case SERVICENOW_STATE.resolved:
      return 'resolved';
    case SERVICENOW_STATE.closed:
    case SERVICENOW_STATE.canceled:
      return 'closed';
    default:
      return undefined;
  }
}

/**
 * The ServiceNow `state` and `hold_reason` to write for a status. `escalated` is In Progress
 * at the receiving group (ServiceNow has no escalated state); leaving hold clears the reason.
 * @public
 */
export function serviceNowStateFor(status: IncidentStatus): {
  state: string;
  hold_reason: string;
} {
  switch (status) {
    case 'unassigned':
      return { state: SERVICENOW_STATE.new, hold_reason: '' };
    case 'work-in-progress':
    case 'escalated':
      return { state: SERVICENOW_STATE.inProgress, hold_reason: '' };
    case 'awaiting-customer':
      return {
        state: SERVICENOW_STATE.onHold,
        hold_reason: SERVICENOW_HOLD_REASON.awaitingCaller,
      };
    case 'resolved':
      return { state: SERVICENOW_STATE.resolved, hold_reason: '' };
    case 'closed':
      return { state: SERVICENOW_STATE.closed, hold_reason: '' };
    default:
      throw new Error(`Unknown incident status '${status}'`);
  }
}
