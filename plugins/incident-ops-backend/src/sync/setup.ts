import type {
  ClassificationRule,
  Tier,
} from '@acme/plugin-incident-ops-common';
import type { IncidentProvider } from '@acme/plugin-incident-ops-node';
import type { IncidentOpsEnv } from '../env';
import type { KnowledgeServices } from '../knowledge/setup';
import { createProviderConnection } from './connection';
import { OutboxProcessor } from './OutboxProcessor';

/**
 * Connects each incident provider (added by modules such as the ServiceNow one) to the store,
 * and schedules the write-back outbox that carries changes made here back to their source.
 */
export async function setupSync(
  env: IncidentOpsEnv,
  deps: {
    providers: IncidentProvider[];
    tierOf: (group?: { id: string; name?: string }) => Tier | undefined;
    rules: readonly ClassificationRule[];
    knowledge: KnowledgeServices;
  },
) {
  const { logger, stores, tasks } = env;
  const { providers, knowledge } = deps;
  const names = new Set<string>();
  for (const provider of providers) {
    const source = provider.getProviderName();
    if (names.has(source)) {
      throw new Error(
        `Incident provider '${source}' is already registered. Each provider name can only be added once.`,
      );
    }
    names.add(source);
    await provider.connect(
      createProviderConnection({
        store: stores.incidents,
        source,
        tierOf: deps.tierOf,
        rules: deps.rules,
        onArticlesChanged: () => knowledge.service.invalidate(),
        // what sync brings is evaluated at once, not at the next tick
        onIncidentsChanged: () => tasks.runSoon('escalation'),
        onNewOpenIncidents:
          knowledge.arrival && (list => knowledge.arrival!.suggest(list)),
        // a reported incident synced before its report was marked filed: one row, not two
        onReportedIncidents: keys => stores.reported.dropProvisional(keys),
        logger,
      }),
    );
  }
  if (providers.length === 0) {
    logger.warn(
      'No incident provider is installed; add a module such as @acme/plugin-incident-ops-backend-module-servicenow',
    );
  }

  // Write-backs: claims that are conditional updates under a renewed lease, and state changes
  // conditional on the claim's token, so each change is delivered by one worker.
  const outbox = new OutboxProcessor({
    store: stores.writeBacks,
    workflow: stores.workflow,
    providers,
    logger,
    maxAttempts: env.config.getOptionalNumber(
      'incidentOps.writeBack.maxAttempts',
    ),
  });
  await tasks.schedule('outbox', () => outbox.runOnce());
  return { providers, outbox };
}
