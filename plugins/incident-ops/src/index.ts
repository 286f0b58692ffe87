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
  EntityOpsContent,
  IncidentOpsQueuePage,
  IncidentOpsReportsPage,
  IncidentOpsKnowledgeArticlePage,
  IncidentOpsPlaybooksPage,
  IncidentOpsPlaybookPage,
} from './plugin';
export {
  entityPageRouteRef,
  kbArticleRouteRef,
  opsQueueRouteRef,
  ownershipMatrixRouteRef,
  playbookRouteRef,
  playbooksRouteRef,
  reportsRouteRef,
  searchPageRouteRef,
  syncAdminRouteRef,
} from './routes';
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
  type EscalateResponse,
  type EscalationTrigger,
  type IncidentDetail,
  type OutboxItem,
  type QueueQuery,
  type TimelineEntry,
  type TransitionResponse,
  type ArticleFeedbackFigures,
  type KnowledgeArticleView,
  type PlaybookDefinition,
  type PlaybookList,
} from './api/IncidentOpsApi';
export { OpsQueue, type OpsQueueProps } from './components/OpsQueue';
export { IncidentView } from './components/IncidentView';
export { ReportIncidentButton } from './components/ReportIncident';
export { isIncidentOpsAvailable } from '@acme/plugin-incident-ops-common';
