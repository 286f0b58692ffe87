import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { IncidentOpsEnv } from '../env';
import type { ActionDeps } from './deps';
import { registerListEntityIncidents } from './listEntityIncidents';
import { registerExplainIncident } from './explainIncident';
import { registerSuggestKnowledge } from './suggestKnowledge';
import { registerReportIncident } from './reportIncident';
import { registerEscalateIncident } from './escalateIncident';

/**
 * The suite's actions for assistants and automation, in Backstage's actions registry (MCP
 * clients reach them through the mcp-actions plugin). Each checks the same permission as
 * its REST route, through the same IncidentAccess, and writes are audited like the routes.
 */
export function setupActions(
  env: IncidentOpsEnv,
  services: Omit<ActionDeps, 'store' | 'escalations' | 'queue' | 'tasks'> & {
    actionsRegistry: ActionsRegistryService;
  },
) {
  const { actionsRegistry: registry } = services;
  const { stores, tasks } = env;
  const deps: ActionDeps = {
    ...services,
    store: stores.incidents,
    escalations: stores.escalations,
    queue: stores.queue,
    tasks,
  };
  registerListEntityIncidents(registry, deps);
  registerExplainIncident(registry, deps);
  registerSuggestKnowledge(registry, deps);
  registerReportIncident(registry, deps);
  registerEscalateIncident(registry, deps);
}
