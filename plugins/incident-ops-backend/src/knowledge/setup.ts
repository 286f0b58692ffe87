import type { ClassificationRule } from '@acme/plugin-incident-ops-common';
import type { IncidentOpsEnv } from '../env';
import type { KnowledgeStore } from '../database/DatabaseKnowledgeStore';
import { ArrivalSuggestions } from './arrivalSuggestions';
import { KnowledgeService } from './KnowledgeService';
import {
  REPOSITORY_SOURCE,
  loadKnowledgeDirectory,
  resolveKnowledgeDirectory,
} from './loadKnowledgeDirectory';

/** The knowledge base: its records and the suggestions. */
export interface KnowledgeServices {
  store: KnowledgeStore;
  service: KnowledgeService;
  /**
   * Suggestions when a ticket arrives (recorded as shown, and a work note for the source);
   * absent when `incidentOps.knowledge.suggestOnArrival` is false.
   */
  arrival?: ArrivalSuggestions;
}

/**
 * Loads the repository's knowledge folder into the article store (one store with the synced
 * articles; an invalid article stops the start-up) and builds the suggestion index.
 */
export async function setupKnowledge(
  env: IncidentOpsEnv,
  deps: { rules: readonly ClassificationRule[] },
): Promise<KnowledgeServices> {
  const { config, logger, stores, tasks } = env;
  const store = stores.knowledge;
  const directory = resolveKnowledgeDirectory(config);
  if (directory) {
    const articles = await loadKnowledgeDirectory(directory);
    const { written, retired } = await store.replaceSourceArticles(
      REPOSITORY_SOURCE,
      articles,
      new Date(),
    );
    logger.info(
      `Knowledge folder ${directory}: ${articles.length} articles (${written} written, ${retired} retired)`,
    );
  } else {
    logger.warn(
      'No knowledge folder: set incidentOps.knowledge.directory to load Markdown articles',
    );
  }
  const service = new KnowledgeService({ store, rules: deps.rules, logger });
  // built in the background: the first suggestion waits for it, the start-up does not
  service
    .refresh()
    .catch(e => logger.error(`Knowledge index could not be built: ${e}`));

  const suggestOnArrival =
    config.getOptionalBoolean('incidentOps.knowledge.suggestOnArrival') ?? true;
  const arrival = suggestOnArrival
    ? new ArrivalSuggestions({
        knowledge: { store, service },
        writeBacks: stores.writeBacks,
        logger,
        // the work notes go out now, not at the outbox's next tick
        onQueued: () => tasks.runSoon('outbox'),
      })
    : undefined;
  return { store, service, arrival };
}
