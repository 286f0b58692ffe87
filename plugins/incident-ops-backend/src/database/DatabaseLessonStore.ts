import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  Lesson,
  LessonInput,
  LessonStatus,
} from '@acme/plugin-incident-ops-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import { isPostgres, isoOf } from './rows';

type LinkKind = 'incident' | 'kb-article' | 'playbook';

const LINKS: Array<{
  key: 'incidents' | 'kbArticles' | 'playbooks';
  kind: LinkKind;
}> = [
  { key: 'incidents', kind: 'incident' },
  { key: 'kbArticles', kind: 'kb-article' },
  { key: 'playbooks', kind: 'playbook' },
];

/** What `list` is given. */
export interface ListLessonsOptions {
  status?: LessonStatus;
  ticketType?: string;
  incident?: string;
  playbook?: string;
  kbArticle?: string;
  limit: number;
  offset: number;
}

/** What `create` is given. */
export interface CreateLessonOptions {
  input: LessonInput & {
    id: string;
    title: string;
    summary: string;
  };
  source: string;
  actor: string;
  now: Date;
}

/** What `update` is given. */
export interface UpdateLessonOptions {
  id: string;
  input: LessonInput;
  actor: string;
  now: Date;
}

/** Lessons-learned records and their links. */
export interface LessonStore {
  /** Lessons, most recently updated first, optionally only those linked to something. */
  list(options: ListLessonsOptions): Promise<{
    items: Lesson[];
    total: number;
  }>;
  get(id: string, db?: Knex): Promise<Lesson | undefined>;
  /** Creates a lesson; a lesson with the same id already there is a conflict. */
  create(options: CreateLessonOptions): Promise<Lesson>;
  /** Changes the keys given; a list given replaces that list. */
  update(options: UpdateLessonOptions): Promise<Lesson>;
  /** The article refs (number, or the source's id) among `refs` that no stored article has. */
  unknownArticles(refs: string[]): Promise<string[]>;
  /** The incident numbers among `numbers` that the store does not hold. */
  unknownIncidents(numbers: string[]): Promise<string[]>;
}

/** Lessons-learned records and their links, in the plugin's database. */
export class DatabaseLessonStore implements LessonStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseLessonStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  private async withLinks(
    rows: Record<string, any>[],
    db: Knex = this.db,
  ): Promise<Lesson[]> {
    const ids = rows.map(r => r.id);
    const links = ids.length
      ? await db('lessons_learned_links')
          .whereIn('lesson_id', ids)
          .orderBy(['lesson_id', 'kind', 'ref'])
      : [];
    return rows.map(r => {
      const mine = links.filter(l => l.lesson_id === r.id);
      const refs = (kind: LinkKind) =>
        mine.filter(l => l.kind === kind).map(l => l.ref as string);
      const lesson: Lesson = {
        id: r.id,
        title: r.title,
        summary: r.summary,
        actions: JSON.parse(r.actions),
        status: r.status,
        incidents: refs('incident'),
        kbArticles: refs('kb-article'),
        playbooks: refs('playbook'),
        source: r.source,
        createdBy: r.created_by,
        createdAt: isoOf(r.created_at)!,
        updatedBy: r.updated_by,
        updatedAt: isoOf(r.updated_at)!,
      };
      if (r.root_cause) lesson.rootCause = r.root_cause;
      if (r.ticket_type) lesson.ticketType = r.ticket_type;
      return lesson;
    });
  }

  /** Lessons, most recently updated first, optionally only those linked to something. */
  async list(
    options: ListLessonsOptions,
  ): Promise<{ items: Lesson[]; total: number }> {
    const query = this.db('lessons_learned');
    if (options.status) query.where('status', options.status);
    if (options.ticketType) query.where('ticket_type', options.ticketType);
    const linked: Array<[LinkKind, string | undefined]> = [
      ['incident', options.incident],
      ['playbook', options.playbook],
      ['kb-article', options.kbArticle],
    ];
    for (const [kind, ref] of linked) {
      if (ref) {
        query.whereIn(
          'id',
          this.db('lessons_learned_links')
            .where({ kind, ref })
            .select('lesson_id'),
        );
      }
    }
    const [{ n }] = await query.clone().count({ n: '*' });
    const rows = await query
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit)
      .offset(options.offset);
    return { items: await this.withLinks(rows), total: Number(n) };
  }

  async get(id: string, db: Knex = this.db): Promise<Lesson | undefined> {
    const row = await db('lessons_learned').where({ id }).first();
    return row ? (await this.withLinks([row], db))[0] : undefined;
  }

  private async replaceLinks(tx: Knex, id: string, input: LessonInput) {
    for (const { key, kind } of LINKS) {
      const refs = input[key];
      if (refs === undefined) continue;
      await tx('lessons_learned_links').where({ lesson_id: id, kind }).delete();
      if (refs.length) {
        await tx('lessons_learned_links').insert(
          refs.map(ref => ({ lesson_id: id, kind, ref })),
        );
      }
    }
  }

  /** Creates a lesson; a lesson with the same id already there is a conflict. */
  async create(options: CreateLessonOptions): Promise<Lesson> {
    const { input, source, actor, now } = options;
    return this.db.transaction(async tx => {
      const inserted = await tx('lessons_learned')
        .insert({
          id: input.id,
          title: input.title,
          summary: input.summary,
          root_cause: input.rootCause ?? null,
          actions: JSON.stringify(input.actions ?? []),
          status: input.status ?? 'open',
          ticket_type: input.ticketType ?? null,
          source,
          created_by: actor,
          created_at: now,
          updated_by: actor,
          updated_at: now,
        })
        .onConflict('id')
        .ignore()
        .returning('id');
      if (inserted.length === 0) {
        throw new ConflictError(
          `A lesson with id '${input.id}' already exists: change it with PATCH /lessons/${input.id}, or choose another id`,
        );
      }
      await this.replaceLinks(tx, input.id, input);
      return (await this.get(input.id, tx))!;
    });
  }

  /** Changes the keys given; a list given replaces that list. */
  async update(options: UpdateLessonOptions): Promise<Lesson> {
    const { id, input, actor, now } = options;
    return this.db.transaction(async tx => {
      const query = tx('lessons_learned').where({ id });
      if (isPostgres(tx)) query.forUpdate();
      if (!(await query.first())) {
        throw new NotFoundError(`No lesson '${id}'`);
      }
      const changes: Record<string, unknown> = {
        updated_by: actor,
        updated_at: now,
      };
      if (input.title !== undefined) changes.title = input.title;
      if (input.summary !== undefined) changes.summary = input.summary;
      if (input.rootCause !== undefined) changes.root_cause = input.rootCause;
      if (input.actions !== undefined) {
        changes.actions = JSON.stringify(input.actions);
      }
      if (input.status !== undefined) changes.status = input.status;
      if (input.ticketType !== undefined) {
        changes.ticket_type = input.ticketType;
      }
      await tx('lessons_learned').where({ id }).update(changes);
      await this.replaceLinks(tx, id, input);
      return (await this.get(id, tx))!;
    });
  }

  /** The article refs (number, or the source's id) among `refs` that no stored article has. */
  async unknownArticles(refs: string[]): Promise<string[]> {
    const known = new Set<string>();
    for (let i = 0; i < refs.length; i += 200) {
      const chunk = refs.slice(i, i + 200);
      const rows = await this.db('kb_articles')
        .whereIn('number', chunk)
        .orWhereIn('source_id', chunk)
        .select('number', 'source_id');
      for (const r of rows) {
        known.add(r.number);
        known.add(r.source_id);
      }
    }
    return refs.filter(r => !known.has(r));
  }

  /** The incident numbers among `numbers` that the store does not hold. */
  async unknownIncidents(numbers: string[]): Promise<string[]> {
    const known = new Set<string>();
    for (let i = 0; i < numbers.length; i += 200) {
      const found = await this.db('incidents')
        .whereIn('number', numbers.slice(i, i + 200))
        .pluck('number');
      found.forEach(n => known.add(n));
    }
    return numbers.filter(n => !known.has(n));
  }
}
