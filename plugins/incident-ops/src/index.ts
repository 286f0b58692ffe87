/**
 * Incident Ops for Backstage: incidents, escalations and knowledge on catalog entities.
 *
 * @packageDocumentation
 */
export {
  incidentOpsPlugin,
  EntityIncidentsCard,
  EntityContactsCard,
  IncidentOpsOwnershipMatrixPage,
  IncidentOpsSyncAdminPage,
} from './plugin';
export { ownershipMatrixRouteRef, syncAdminRouteRef } from './routes';
export {
  incidentOpsApiRef,
  IncidentOpsClient,
  type IncidentOpsApi,
  type ProviderSyncStatus,
  type QuarantineResponse,
  type QuarantinedRecord,
  type SyncRun,
  type SyncStatusResponse,
  type TriggerSyncResponse,
} from './api/IncidentOpsApi';
export { isIncidentOpsAvailable } from '@acme/plugin-incident-ops-common';
