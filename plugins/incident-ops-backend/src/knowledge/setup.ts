import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { ClassificationRule } from '@acme/plugin-incident-ops-common';
import { DatabaseKnowledgeStore } from '../database/DatabaseKnowledgeStore';
import type { IncidentStore } from '../database/IncidentStore';
import { KnowledgeService } from './KnowledgeService';
import {
  REPOSITORY_SOURCE,
  loadKnowledgeDirectory,
  resolveKnowledgeDirectory,
} from './loadKnowledgeDirectory';

/** The knowledge base: its records and the suggestions. */
export interface KnowledgeServices {
  store: DatabaseKnowledgeStore;
  service: KnowledgeService;
}

/**
 * Loads the repository's knowledge folder into the article store (one store with the synced
 * articles; an invalid article stops the start-up) and builds the suggestion index.
 */
export async function setupKnowledge(options: {
  config: Config;
  database: DatabaseService;
  incidents: IncidentStore;
  rules?: readonly ClassificationRule[];
  logger: LoggerService;
}): Promise<KnowledgeServices> {
  const { config, database, incidents, rules, logger } = options;
  const store = await DatabaseKnowledgeStore.create({ database, incidents });
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
  const service = new KnowledgeService({ store, rules, logger });
  // built in the background: the first suggestion waits for it, the start-up does not
  service
    .refresh()
    .catch(e => logger.error(`Knowledge index could not be built: ${e}`));
  return { store, service };
}
