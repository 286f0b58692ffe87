import type { VendorEngagementView } from '../../api/IncidentOpsApi';
import { formatDuration } from '../common/format';

export const VENDOR_LABEL = { tanzu: 'Tanzu (VMware)', aws: 'AWS' } as const;

/** Where a vendor case stands against its response SLA. */
export function engagementState(e: VendorEngagementView): string {
  if (e.responded) {
    return `responded after ${formatDuration(e.timeToResponseMs)}${
      e.breached ? ', later than its SLA' : ''
    }`;
  }
  return e.breached
    ? `no response for ${formatDuration(e.timeToResponseMs)}: SLA breached`
    : `waiting ${formatDuration(e.timeToResponseMs)}, ${formatDuration(
        e.leftMs ?? 0,
      )} left of ${formatDuration(e.responseSla)}`;
}
