import {
  priorityFromServiceNow,
  type Priority,
} from '@acme/plugin-incident-ops-common';
import type { IncidentDraft } from '../../api/IncidentOpsApi';

/** ServiceNow's impact and urgency codes: 1 High, 2 Medium, 3 Low. */
export type Level = IncidentDraft['impact'];

export const LEVELS: readonly Level[] = ['1', '2', '3'];

/** What each impact means for the person reporting. */
export const IMPACT_LABEL: Record<Level, string> = {
  '1': '1 High: a cluster, or many teams or users',
  '2': '2 Medium: one namespace, service or team',
  '3': '3 Low: one person, or there is a workaround',
};

/** What each urgency means for the person reporting. */
export const URGENCY_LABEL: Record<Level, string> = {
  '1': '1 High: work is stopped now',
  '2': '2 Medium: needed today',
  '3': '3 Low: can wait a few days',
};

/** The suite's priority for an impact and urgency (ServiceNow's matrix, P1–P4). */
export function priorityOf(impact: Level, urgency: Level): Priority {
  return priorityFromServiceNow({ impact, urgency })!;
}
