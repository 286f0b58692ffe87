/**
 * Incident Ops in Backstage search: collators for knowledge articles and playbooks, read
 * from the incident-ops API.
 *
 * @packageDocumentation
 */
export { incidentOpsSearchModule as default } from './module';
export { incidentOpsSearchModule } from './module';
export {
  IncidentOpsCollatorFactory,
  type IncidentOpsApiRead,
  type IncidentOpsSearchSource,
} from './IncidentOpsCollatorFactory';
export {
  knowledgeSearchSource,
  type KnowledgeSearchDocument,
} from './knowledgeSource';
export {
  playbookSearchSource,
  type PlaybookSearchDocument,
} from './playbookSource';
export { incidentOpsSearchSources } from './sources';
