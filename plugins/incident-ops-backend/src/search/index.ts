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
