import type { IncidentOpsSearchSource } from './IncidentOpsCollatorFactory';
import { knowledgeSearchSource } from './knowledgeSource';
import { playbookSearchSource } from './playbookSource';

/**
 * What incident-ops puts into Backstage search, one collator (index type) each. To add a
 * document type (playbooks), write an IncidentOpsSearchSource next to knowledgeSource.ts and
 * list it here.
 * @public
 */
export const incidentOpsSearchSources: IncidentOpsSearchSource[] = [
  knowledgeSearchSource,
  playbookSearchSource,
];
