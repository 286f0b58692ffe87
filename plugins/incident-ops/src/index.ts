/**
 * Incident Ops for Backstage: incidents, escalations and knowledge on catalog entities.
 *
 * @packageDocumentation
 */
export { incidentOpsPlugin, EntityIncidentsCard } from './plugin';
export {
  incidentOpsApiRef,
  IncidentOpsClient,
  type IncidentOpsApi,
} from './api/IncidentOpsApi';
export { isIncidentOpsAvailable } from '@acme/plugin-incident-ops-common';
