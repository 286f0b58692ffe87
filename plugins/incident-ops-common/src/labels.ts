import type { Priority } from './priority';
import type { IncidentStatus } from './workflow';

/** The workflow statuses as people read them, on pages and in notifications. @public */
export const STATUS_LABEL: Record<IncidentStatus, string> = {
  unassigned: 'Unassigned',
  'work-in-progress': 'Work in progress',
  'awaiting-customer': 'Awaiting customer',
  escalated: 'Escalated',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** The priorities named in full ("P1 Critical"), for screen readers and tooltips. @public */
export const PRIORITY_LABEL: Record<Priority, string> = {
  P1: 'P1 Critical',
  P2: 'P2 High',
  P3: 'P3 Medium',
  P4: 'P4 Low',
};
