import type { IncidentOpsEnv } from '../env';
import { LessonService, readLessonFiles } from './LessonService';
import { readPlaybookLibrary } from './playbookLibrary';
import { PlaybookService } from './PlaybookService';

/**
 * Loads and checks the playbooks, their ticket-type mapping and the lesson files (any
 * problem stops start-up), and loads lesson files not stored yet.
 */
export async function setupPlaybooks(env: IncidentOpsEnv) {
  const { config, logger, stores, catalog } = env;
  const library = await readPlaybookLibrary(config);
  const lessonFiles = await readLessonFiles(config, library);
  const playbooks = new PlaybookService({
    library,
    store: stores.playbooks,
    incidents: stores.incidents,
    catalog,
  });
  const lessons = new LessonService({ store: stores.lessons, library });
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
