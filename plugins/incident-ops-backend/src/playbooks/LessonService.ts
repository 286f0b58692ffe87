import {
  Lesson,
  LessonInput,
  lessonIdFromTitle,
  validateLessonInput,
} from '@acme/plugin-incident-ops-common';
import type { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import fs from 'fs';
import path from 'path';
import type { LessonStore } from '../database/DatabaseLessonStore';
import type { PlaybookLibrary } from './playbookLibrary';
import { readYamlFiles, resolveContentDirectory } from './playbookLibrary';

const KEY = 'incidentOps.lessons';

/** A lesson from a file, checked. */
export interface LessonFile {
  file: string;
  input: LessonInput & { id: string; title: string; summary: string };
}

/**
 * Reads the lesson files of `incidentOps.lessons.directory` (default: the repository's
 * `lessons/` folder, skipped when it does not exist). A file that is not a valid lesson, whose
 * id is not its file name or that links an unknown playbook stops start-up, naming the file
 * and the key.
 */
export async function readLessonFiles(
  config: Config,
  library: PlaybookLibrary,
): Promise<LessonFile[]> {
  const configured = config.getOptionalString(`${KEY}.directory`);
  const directory = resolveContentDirectory(configured, 'lessons');
  if (!configured && !fs.existsSync(directory)) return [];
  const out: LessonFile[] = [];
  for (const { file, data } of await readYamlFiles(
    directory,
    `${KEY}.directory`,
  )) {
    const { input, problems } = validateLessonInput(data, { partial: false });
    const base = file.replace(/\.ya?ml$/, '');
    if (input && (input.id ?? base) !== base) {
      problems.push(`id: '${input.id}' must be the file name without .yaml`);
    }
    for (const id of input?.playbooks ?? []) {
      if (!library.get(id)) problems.push(`playbooks: no playbook '${id}'`);
    }
    if (!input || problems.length > 0) {
      throw new Error(
        `Invalid lesson file ${path.join(directory, file)}: ${problems.join(
          '; ',
        )}`,
      );
    }
    out.push({
      file: `lessons/${file}`,
      input: {
        ...input,
        id: base,
        title: input.title!,
        summary: input.summary!,
      },
    });
  }
  return out;
}

/** Lessons learned: checks what is written against the playbooks and incidents known. */
export class LessonService {
  constructor(
    private readonly options: {
      store: LessonStore;
      library: PlaybookLibrary;
    },
  ) {}

  get store() {
    return this.options.store;
  }

  /** Loads the lesson files whose ids are not stored yet; returns the ids loaded. */
  async seed(files: LessonFile[], now: Date): Promise<string[]> {
    const { store } = this.options;
    const loaded: string[] = [];
    for (const { file, input } of files) {
      if (await store.get(input.id)) continue;
      await store.create({ input, source: file, actor: 'incident-ops', now });
      loaded.push(input.id);
    }
    return loaded;
  }

  /**
   * The links of a lesson to playbooks, incidents (unless `incidents` is false) and knowledge
   * articles that are not known, one problem per key.
   */
  async linkProblems(
    input: LessonInput,
    options: { incidents?: boolean } = {},
  ): Promise<string[]> {
    const problems: string[] = [];
    const unknownPlaybooks = (input.playbooks ?? []).filter(
      id => !this.options.library.get(id),
    );
    if (unknownPlaybooks.length) {
      problems.push(`playbooks: no playbook ${unknownPlaybooks.join(', ')}`);
    }
    if (options.incidents !== false) {
      const unknownIncidents = await this.options.store.unknownIncidents(
        input.incidents ?? [],
      );
      if (unknownIncidents.length) {
        problems.push(`incidents: no incident ${unknownIncidents.join(', ')}`);
      }
    }
    const unknownArticles = await this.options.store.unknownArticles(
      input.kbArticles ?? [],
    );
    if (unknownArticles.length) {
      problems.push(`kbArticles: no article ${unknownArticles.join(', ')}`);
    }
    return problems;
  }

  private async checkLinks(input: LessonInput) {
    const problems = await this.linkProblems(input);
    if (problems.length) throw new InputError(problems.join('; '));
  }

  /**
   * The lesson files' links checked as the API checks a lesson's, but for incidents (sync
   * brings them, usually after start-up): one warning per file that links an unknown
   * playbook or article, naming the file and the links. Start-up goes on.
   */
  async checkFiles(files: LessonFile[]): Promise<string[]> {
    const warnings: string[] = [];
    for (const { file, input } of files) {
      const problems = await this.linkProblems(input, { incidents: false });
      if (problems.length) {
        warnings.push(
          `Lesson file ${file} links what is not known: ${problems.join(
            '; ',
          )} (a ServiceNow article is known once sync has brought it)`,
        );
      }
    }
    return warnings;
  }

  async create(body: unknown, actor: string): Promise<Lesson> {
    const { input, problems } = validateLessonInput(body, { partial: false });
    if (!input) throw new InputError(problems.join('; '));
    const id = input.id ?? lessonIdFromTitle(input.title!);
    if (!id) {
      throw new InputError(
        'id: the title has no letters or digits to make an id of: give an id',
      );
    }
    await this.checkLinks(input);
    return this.options.store.create({
      input: { ...input, id, title: input.title!, summary: input.summary! },
      source: 'api',
      actor,
      now: new Date(),
    });
  }

  async update(id: string, body: unknown, actor: string): Promise<Lesson> {
    if (!(await this.options.store.get(id))) {
      throw new NotFoundError(`No lesson '${id}'`);
    }
    const { input, problems } = validateLessonInput(body, { partial: true });
    if (!input) throw new InputError(problems.join('; '));
    if (input.id !== undefined && input.id !== id) {
      throw new InputError(`id: a lesson's id cannot change (${id})`);
    }
    if (Object.keys(input).filter(k => k !== 'id').length === 0) {
      throw new InputError('Nothing to change: give at least one key');
    }
    await this.checkLinks(input);
    return this.options.store.update({ id, input, actor, now: new Date() });
  }
}
