import {
  TICKET_TYPES,
  TIERS,
  TicketType,
  Tier,
} from '@acme/plugin-incident-ops-common';
import type { Config } from '@backstage/config';
import type { RepositoryArticle } from '../database/DatabaseKnowledgeStore';
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

/** The source name of articles from the repository's knowledge folder. */
export const REPOSITORY_SOURCE = 'repository';

export type { RepositoryArticle };

const ID = /^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$/;
const STATES = ['published', 'draft', 'retired'];

/** A YAML list of words (numbers such as ports count as words). */
function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    !Array.isArray(value) ||
    value.some(v => typeof v !== 'string' && typeof v !== 'number')
  ) {
    return undefined;
  }
  return value.map(v => String(v).trim()).filter(Boolean);
}

/**
 * Reads one article: YAML front matter between `---` lines, then the Markdown body. Returns
 * the article or the problems, each a sentence.
 */
export function parseArticle(
  file: string,
  content: string,
): { article?: RepositoryArticle; problems: string[] } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(content);
  if (!match) {
    return { problems: ['has no front matter (a --- block at the top)'] };
  }
  let meta: Record<string, unknown>;
  try {
    meta = parse(match[1]) ?? {};
  } catch (e) {
    return { problems: [`front matter is not YAML: ${(e as Error).message}`] };
  }
  if (typeof meta !== 'object' || Array.isArray(meta)) {
    return { problems: ['front matter is not a mapping'] };
  }
  const problems: string[] = [];
  const known = [
    'id',
    'title',
    'ticketTypes',
    'tags',
    'tiers',
    'playbook',
    'owner',
    'replaces',
    'state',
  ];
  for (const key of Object.keys(meta)) {
    if (!known.includes(key)) {
      problems.push(`unknown front matter field '${key}'`);
    }
  }
  const { id, title, playbook, owner, state = 'published' } = meta;
  if (typeof id !== 'string' || !ID.test(id)) {
    problems.push(
      "id must be 3-100 lowercase letters, digits and dashes (e.g. 'egress-access-livelink')",
    );
  }
  if (typeof title !== 'string' || !title.trim()) {
    problems.push('title is missing');
  }
  const ticketTypes = stringList(meta.ticketTypes);
  if (!ticketTypes || ticketTypes.length === 0) {
    problems.push(
      `ticketTypes must list at least one of ${TICKET_TYPES.join(', ')}`,
    );
  }
  for (const t of ticketTypes ?? []) {
    if (!(TICKET_TYPES as readonly string[]).includes(t)) {
      problems.push(
        `ticket type '${t}' is not one of ${TICKET_TYPES.join(', ')}`,
      );
    }
  }
  const tags = stringList(meta.tags ?? []);
  if (!tags) problems.push('tags must be a list of words');
  const tiers = stringList(meta.tiers ?? []);
  if (!tiers || tiers.some(t => !(TIERS as readonly string[]).includes(t))) {
    problems.push(`tiers must be a list of ${TIERS.join(', ')}`);
  }
  const replaces = stringList(meta.replaces ?? []);
  if (!replaces) problems.push('replaces must be a list of article numbers');
  for (const [name, value] of Object.entries({ playbook, owner })) {
    if (value !== undefined && (typeof value !== 'string' || !value.trim())) {
      problems.push(`${name} must be a string`);
    }
  }
  if (typeof state !== 'string' || !STATES.includes(state)) {
    problems.push(`state must be one of ${STATES.join(', ')}`);
  }
  const text = match[2].trim();
  if (!text) problems.push('the article has no body');
  if (problems.length > 0) return { problems };
  return {
    problems,
    article: {
      file,
      id: id as string,
      number: id as string,
      title: (title as string).trim(),
      text,
      format: 'markdown',
      ticketTypes: ticketTypes as TicketType[],
      tags,
      tiers: tiers as Tier[],
      replaces,
      playbook: playbook as string | undefined,
      owner: owner as string | undefined,
      knowledgeBase: 'Repository',
      workflowState: state as string,
    },
  };
}

/**
 * Every article in a folder (`*.md` but README.md, not recursive). Throws one error naming
 * each file's problems, and ids used twice, so a broken article stops the start-up rather
 * than disappearing.
 */
export async function loadKnowledgeDirectory(
  directory: string,
): Promise<RepositoryArticle[]> {
  const files = (await fs.promises.readdir(directory))
    .filter(f => f.toLowerCase().endsWith('.md') && f !== 'README.md')
    .sort();
  const articles: RepositoryArticle[] = [];
  const problems: string[] = [];
  const fileOf = new Map<string, string>();
  for (const file of files) {
    const content = await fs.promises.readFile(
      path.join(directory, file),
      'utf8',
    );
    const result = parseArticle(file, content);
    problems.push(...result.problems.map(p => `${file}: ${p}`));
    if (!result.article) continue;
    const other = fileOf.get(result.article.id);
    if (other) {
      problems.push(
        `${file}: id '${result.article.id}' is also used by ${other}`,
      );
      continue;
    }
    fileOf.set(result.article.id, file);
    articles.push(result.article);
  }
  if (problems.length > 0) {
    throw new Error(
      `Invalid knowledge articles in ${directory}:\n- ${problems.join('\n- ')}`,
    );
  }
  return articles;
}

/**
 * The knowledge folder: `incidentOps.knowledge.directory` resolved from the working directory
 * (as the catalog's file locations are), else the nearest `knowledge` folder in the working
 * directory or one of its parents. Undefined when none is configured or found; an error when
 * the configured one does not exist.
 */
export function resolveKnowledgeDirectory(
  config: Config,
  cwd: string = process.cwd(),
): string | undefined {
  const configured = config.getOptionalString(
    'incidentOps.knowledge.directory',
  );
  if (configured) {
    const dir = path.resolve(cwd, configured);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new Error(
        `incidentOps.knowledge.directory: ${dir} is not a directory (resolved from ${cwd})`,
      );
    }
    return dir;
  }
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'knowledge');
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) {
      return candidate;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
