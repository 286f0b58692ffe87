import type { Tier } from '@acme/plugin-incident-ops-common';
import type { IncidentOpsEnv } from '../env';
import type { PlaybookService } from '../playbooks/PlaybookService';
import { IncidentWorkflow } from './IncidentWorkflow';

/** The workflow people drive from the API: transitions (with the playbook gate) and manual escalations. */
export async function setupWorkflow(
  env: IncidentOpsEnv,
  deps: {
    groupOf: (tier: Tier) => string | undefined;
    playbooks?: PlaybookService;
  },
) {
  return new IncidentWorkflow({
    workflow: env.stores.workflow,
    escalations: env.stores.escalations,
    ...deps,
  });
}
