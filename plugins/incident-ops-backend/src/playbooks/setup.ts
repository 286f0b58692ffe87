import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { DatabaseLessonStore } from '../database/DatabaseLessonStore';
import { DatabasePlaybookStore } from '../database/DatabasePlaybookStore';
import type { IncidentStore } from '../database/IncidentStore';
import { LessonService, readLessonFiles } from './LessonService';
import { readPlaybookLibrary } from './playbookLibrary';
import { PlaybookService } from './PlaybookService';

/**
 * Loads and checks the playbooks, their ticket-type mapping and the lesson files (any
 * problem stops start-up), and loads lesson files not stored yet. Call after the incident
 * store was created (it runs the migrations).
 */
export async function setupPlaybooks(options: {
  config: Config;
  database: DatabaseService;
  incidents: IncidentStore;
  catalog: CatalogService;
  logger: LoggerService;
}) {
  const { config, database, incidents, catalog, logger } = options;
  const library = await readPlaybookLibrary(config);
  const lessonFiles = await readLessonFiles(config, library);
  const playbooks = new PlaybookService({
    library,
    store: await DatabasePlaybookStore.create({ database }),
    incidents,
    catalog,
  });
  const lessons = new LessonService({
    store: await DatabaseLessonStore.create({ database }),
    library,
  });
  const seeded = await lessons.seed(lessonFiles, new Date());
  // the files' links to articles are checked as the API's are, with the articles loaded so far
  for (const warning of await lessons.checkFiles(lessonFiles)) {
    logger.warn(warning);
  }
  logger.info(
    `Loaded ${library.list().length} playbooks from ${library.directory}${
      seeded.length ? `; new lessons learned: ${seeded.join(', ')}` : ''
    }`,
  );
  return { playbooks, lessons };
}
