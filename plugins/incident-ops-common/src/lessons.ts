import { TICKET_TYPES, TicketType } from './classification';

/**
 * Lessons learned (operational model, section VII.1): one record per recurring issue, with
 * its root cause and the actions taken, linked to the incidents, KB articles and playbooks
 * it concerns.
 */

/**
 * `open`: actions outstanding; `monitoring`: actions done, watching for a recurrence;
 * `closed`: it has not come back.
 * @public
 */
export type LessonStatus = 'open' | 'monitoring' | 'closed';

/** @public */
export const LESSON_STATUSES: readonly LessonStatus[] = [
  'open',
  'monitoring',
  'closed',
];

/** @public */
export interface LessonAction {
  description: string;
  /** Who carries it out: an entity ref or a name. */
  owner?: string;
  status: 'open' | 'done';
}

/** What a lesson says; every key of a lesson file or a POST body. @public */
export interface LessonInput {
  id?: string;
  title?: string;
  summary?: string;
  rootCause?: string;
  actions?: LessonAction[];
  status?: LessonStatus;
  /** The ticket type it recurs as. */
  ticketType?: TicketType;
  /** Incident numbers. */
  incidents?: string[];
  /** Knowledge article ids or numbers. */
  kbArticles?: string[];
  /** Playbook ids. */
  playbooks?: string[];
}

/** A stored lesson. @public */
export interface Lesson {
  id: string;
  title: string;
  summary: string;
  rootCause?: string;
  actions: LessonAction[];
  status: LessonStatus;
  ticketType?: TicketType;
  incidents: string[];
  kbArticles: string[];
  playbooks: string[];
  /** `api`, or the file it was first loaded from (`lessons/<id>.yaml`). */
  source: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

const LESSON_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const INCIDENT_NUMBER = /^[A-Za-z]+[0-9]+$/;
const ARTICLE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const KEYS = [
  'id',
  'title',
  'summary',
  'rootCause',
  'actions',
  'status',
  'ticketType',
  'incidents',
  'kbArticles',
  'playbooks',
];

/** A lesson id made from a title: `GitLab runner verdict drops` → `gitlab-runner-verdict-drops`. @public */
export function lessonIdFromTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
}

/**
 * Checks a lesson as written in a file or sent to the API. With `partial`, only the keys
 * present are checked (a PATCH); otherwise title and summary are required. Problems name the
 * key (`actions[1].status: …`).
 * @public
 */
export function validateLessonInput(
  raw: unknown,
  options: { partial: boolean },
): { input?: LessonInput; problems: string[] } {
  const problems: string[] = [];
  const problem = (key: string, message: string) =>
    problems.push(`${key}: ${message}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: ['(root): must be a mapping'] };
  }
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!KEYS.includes(k)) {
      problem(k, `is not a known key (known: ${KEYS.join(', ')})`);
    }
  }
  const input: LessonInput = {};
  const str = (key: 'title' | 'summary' | 'rootCause', max: number) => {
    const v = obj[key];
    if (v === undefined) {
      if (!options.partial && key !== 'rootCause') problem(key, 'is required');
      return;
    }
    if (typeof v !== 'string' || !v.trim() || v.length > max) {
      problem(key, `must be a non-empty string of at most ${max} characters`);
      return;
    }
    input[key] = v.trim();
  };
  if (obj.id !== undefined) {
    if (typeof obj.id !== 'string' || !LESSON_ID.test(obj.id)) {
      problem(
        'id',
        'must be lowercase letters, digits and dashes (at most 64)',
      );
    } else {
      input.id = obj.id;
    }
  }
  str('title', 200);
  str('summary', 8000);
  str('rootCause', 8000);
  if (obj.status !== undefined) {
    if (!LESSON_STATUSES.includes(obj.status as LessonStatus)) {
      problem('status', `must be one of ${LESSON_STATUSES.join(', ')}`);
    } else {
      input.status = obj.status as LessonStatus;
    }
  }
  if (obj.ticketType !== undefined) {
    if (!TICKET_TYPES.includes(obj.ticketType as TicketType)) {
      problem('ticketType', `must be one of ${TICKET_TYPES.join(', ')}`);
    } else {
      input.ticketType = obj.ticketType as TicketType;
    }
  }
  if (obj.actions !== undefined) {
    if (!Array.isArray(obj.actions) || obj.actions.length > 50) {
      problem('actions', 'must be a list of at most 50 actions');
    } else {
      input.actions = [];
      obj.actions.forEach((a, i) => {
        const at = `actions[${i}]`;
        if (typeof a !== 'object' || a === null || Array.isArray(a)) {
          problem(at, 'must be a mapping with a description');
          return;
        }
        const {
          description,
          owner,
          status = 'open',
          ...rest
        } = a as Record<string, unknown>;
        for (const k of Object.keys(rest)) {
          problem(
            `${at}.${k}`,
            'is not a known key (description, owner, status)',
          );
        }
        if (
          typeof description !== 'string' ||
          !description.trim() ||
          description.length > 2000
        ) {
          problem(`${at}.description`, 'must be a non-empty string');
          return;
        }
        if (
          owner !== undefined &&
          (typeof owner !== 'string' || !owner.trim() || owner.length > 200)
        ) {
          problem(`${at}.owner`, 'must be a non-empty string');
          return;
        }
        if (status !== 'open' && status !== 'done') {
          problem(`${at}.status`, 'must be open or done');
          return;
        }
        input.actions!.push({
          description: description.trim(),
          ...(owner ? { owner: (owner as string).trim() } : {}),
          status,
        });
      });
    }
  }
  const list = (
    key: 'incidents' | 'kbArticles' | 'playbooks',
    pattern: RegExp,
    what: string,
  ) => {
    const v = obj[key];
    if (v === undefined) return;
    if (!Array.isArray(v) || v.length > 500) {
      problem(key, `must be a list of ${what}`);
      return;
    }
    const bad = v.filter(x => typeof x !== 'string' || !pattern.test(x));
    if (bad.length > 0) {
      problem(key, `${bad.map(b => JSON.stringify(b)).join(', ')} not ${what}`);
      return;
    }
    input[key] = [...new Set(v as string[])];
  };
  list('incidents', INCIDENT_NUMBER, 'incident numbers (e.g. INC13076950)');
  list('kbArticles', ARTICLE_ID, 'article ids or numbers (e.g. KB0010002)');
  list('playbooks', LESSON_ID, 'playbook ids (e.g. gitlab-ci-access)');
  if (problems.length > 0) return { problems };
  return { input, problems };
}
