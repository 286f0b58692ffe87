/** The channel the backend signals incident changes on (see @backstage/plugin-signals-react). */
export const INCIDENT_SIGNAL_CHANNEL = 'incident-ops:incident';

/** What a signal on the channel says: which incident changed, and how. */
export type IncidentChangedSignal = {
  number: string;
  change: string;
  at: string;
};
