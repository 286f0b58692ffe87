import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  KnowledgeArticle,
  SourceKnowledgeArticle,
} from '@acme/plugin-incident-ops-common';
import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';
import type { IncidentStore } from './IncidentStore';
import { knowledgeArticleFromRow } from './knowledgeRows';
import { isPostgres, isoOf, toDate } from './rows';

/** A repository article, before the store gives it a version. */
export type RepositoryArticle = Omit<
  SourceKnowledgeArticle,
  'sourceUpdatedAt' | 'sourceVersion'
> & { file: string };

/** An incident as the knowledge records refer to it. */
export interface IncidentKey {
  source: string;
  sourceId: string;
  number: string;
}

/** An article as the knowledge records refer to it: its source and public id (number). */
export interface ArticleKey {
  source: string;
  id: string;
}

/** One suggestion shown for an incident. */
export interface SuggestionView {
  article: ArticleKey;
  rank: number;
  score: number;
  ticketType?: string;
  reasons: unknown;
}

/** The latest feedback on one article for one incident. */
export interface ArticleFeedback {
  article: ArticleKey;
  helpful: boolean;
  note?: string;
  actor: string;
  at: string;
}

/** The suggestions shown for an incident and the feedback on them. */
export interface KnowledgeState {
  /** Distinct articles ever shown for the incident. */
  shown: number;
  /** Of those, how many are marked not helpful (latest feedback). */
  notHelpful: number;
  /** Every article shown is marked not helpful. */
  exhausted: boolean;
}

/** On how many tickets an article was suggested, and marked helpful or not (latest mark). */
export interface ArticleFeedbackFigures {
  suggestedOn: number;
  helpful: number;
  notHelpful: number;
}

/** What recording a piece of feedback did. */
export interface FeedbackOutcome extends KnowledgeState {
  id: number;
  /** The articles shown for the incident (public ids). */
  articles: string[];
  /** This feedback made it so (it was not before). */
  becameExhausted: boolean;
}

const articleKey = (r: Record<string, any>) =>
  `${r.article_source}\u0000${r.article_id}`;

/** What `recordFeedback` is given. */
export interface RecordFeedbackOptions {
  incident: IncidentKey;
  article: ArticleKey;
  helpful: boolean;
  note?: string;
  actor: string;
  now: Date;
}

/** Knowledge articles from the repository, the suggestions shown on incidents and the feedback on them. */
export interface KnowledgeStore {
  /**
   * Makes the stored articles of `source` those of the folder: new and changed ones are
   * written with the next version, ones no longer in the folder are retired. Unchanged ones
   * are not touched, so replicas starting with the same folder change nothing.
   */
  replaceSourceArticles(
    source: string,
    articles: RepositoryArticle[],
    now: Date,
  ): Promise<{
    written: number;
    retired: number;
  }>;
  /**
   * What changes whenever an article is written (every write sets synced_at): the index is
   * rebuilt when it differs.
   */
  articlesStamp(): Promise<string>;
  /** Published articles that are still valid on `today` (YYYY-MM-DD). */
  listSuggestable(today: string): Promise<KnowledgeArticle[]>;
  /** One article by its public id (number), preferring a published one. */
  getArticle(id: string): Promise<KnowledgeArticle | undefined>;
  recordViews(
    incident: IncidentKey,
    views: SuggestionView[],
    actor: string,
    now: Date,
  ): Promise<void>;
  /**
   * Records what a user was shown on an incident unless they were shown suggestions on it
   * before; says whether it recorded them.
   */
  recordViewsOnce(
    incident: IncidentKey,
    views: SuggestionView[],
    actor: string,
    now: Date,
  ): Promise<boolean>;
  /** The suggestions shown on several incidents at once (those made on arrival). */
  recordViewsOf(
    shown: Array<{
      incident: IncidentKey;
      views: SuggestionView[];
    }>,
    actor: string,
    now: Date,
  ): Promise<void>;
  /** The latest feedback per article for an incident. */
  latestFeedback(incident: IncidentKey): Promise<ArticleFeedback[]>;
  /**
   * Records feedback on an article shown for the incident and says whether every article
   * shown is now marked not helpful, and whether this feedback made it so. In one
   * transaction (with the incident row locked on PostgreSQL), so two people's feedback at the
   * same moment make it exhausted once. Throws InputError, changing nothing, for an article
   * that was never shown for the incident.
   */
  recordFeedback(options: RecordFeedbackOptions): Promise<FeedbackOutcome>;
  /**
   * How an article has fared: on how many tickets it was suggested, and on how many the
   * latest mark says helpful or not helpful.
   */
  articleFeedback(article: ArticleKey): Promise<ArticleFeedbackFigures>;
  /** The suggestions shown for an incident so far and the feedback on them. */
  state(incident: IncidentKey): Promise<KnowledgeState>;
}

/**
 * The knowledge tables: the repository's articles kept in step with its folder (in the same
 * `kb_articles` table as the synced ones), the suggestions shown on incidents, and the
 * feedback given on them.
 */
export class DatabaseKnowledgeStore implements KnowledgeStore {
  static async create(options: {
    database: DatabaseService;
    incidents: IncidentStore;
  }) {
    return new DatabaseKnowledgeStore(
      await options.database.getClient(),
      options.incidents,
    );
  }

  private constructor(
    private readonly db: Knex,
    private readonly incidents: IncidentStore,
  ) {}

  /**
   * Makes the stored articles of `source` those of the folder: new and changed ones are
   * written with the next version, ones no longer in the folder are retired. Unchanged ones
   * are not touched, so replicas starting with the same folder change nothing.
   */
  async replaceSourceArticles(
    source: string,
    articles: RepositoryArticle[],
    now: Date,
  ): Promise<{ written: number; retired: number }> {
    const stored = new Map(
      (await this.db('kb_articles').where({ source })).map(r => {
        const a = knowledgeArticleFromRow(r);
        return [a.id, a];
      }),
    );
    const syncedAt = now.toISOString();
    const changed: KnowledgeArticle[] = [];
    for (const { file: _file, ...article } of articles) {
      const before = stored.get(article.id);
      stored.delete(article.id);
      const next: KnowledgeArticle = {
        ...article,
        source,
        sourceUpdatedAt: syncedAt,
        sourceVersion: (before?.sourceVersion ?? 0) + 1,
        syncedAt,
      };
      if (before && sameContent(before, next)) continue;
      changed.push(next);
    }
    const retired = [...stored.values()]
      .filter(a => a.workflowState !== 'retired')
      .map(a => ({
        ...a,
        workflowState: 'retired',
        sourceUpdatedAt: syncedAt,
        sourceVersion: a.sourceVersion + 1,
        syncedAt,
      }));
    await this.incidents.upsertKnowledgeArticles([...changed, ...retired]);
    return { written: changed.length, retired: retired.length };
  }

  /**
   * What changes whenever an article is written (every write sets synced_at): the index is
   * rebuilt when it differs.
   */
  async articlesStamp(): Promise<string> {
    const [row] = await this.db('kb_articles')
      .count({ n: '*' })
      .max({ at: 'synced_at' });
    return `${Number(row.n)}:${row.at ? toDate(row.at)!.getTime() : 0}`;
  }

  /** Published articles that are still valid on `today` (YYYY-MM-DD). */
  async listSuggestable(today: string): Promise<KnowledgeArticle[]> {
    const rows = await this.db('kb_articles')
      .where('workflow_state', 'published')
      .andWhere(q => q.whereNull('valid_to').orWhere('valid_to', '>=', today));
    return rows.map(knowledgeArticleFromRow);
  }

  /** One article by its public id (number), preferring a published one. */
  async getArticle(id: string): Promise<KnowledgeArticle | undefined> {
    const rows = await this.db('kb_articles').where({ number: id });
    const row = rows.find(r => r.workflow_state === 'published') ?? rows[0];
    return row ? knowledgeArticleFromRow(row) : undefined;
  }

  async recordViews(
    incident: IncidentKey,
    views: SuggestionView[],
    actor: string,
    now: Date,
  ) {
    await this.recordViewsOf([{ incident, views }], actor, now);
  }

  async recordViewsOnce(
    incident: IncidentKey,
    views: SuggestionView[],
    actor: string,
    now: Date,
  ) {
    const seen = await this.db('kb_suggestion_views')
      .where({
        incident_source: incident.source,
        incident_source_id: incident.sourceId,
        actor,
      })
      .first('id');
    if (seen) return false;
    await this.recordViewsOf([{ incident, views }], actor, now);
    return true;
  }

  /** The suggestions shown on several incidents at once (those made on arrival). */
  async recordViewsOf(
    shown: Array<{ incident: IncidentKey; views: SuggestionView[] }>,
    actor: string,
    now: Date,
  ) {
    const rows = shown.flatMap(({ incident, views }) =>
      views.map(v => ({
        incident_source: incident.source,
        incident_source_id: incident.sourceId,
        number: incident.number,
        article_source: v.article.source,
        article_id: v.article.id,
        rank: v.rank,
        score: v.score,
        ticket_type: v.ticketType ?? null,
        reasons: JSON.stringify(v.reasons),
        actor,
        shown_at: now,
      })),
    );
    for (let i = 0; i < rows.length; i += 200) {
      await this.db('kb_suggestion_views').insert(rows.slice(i, i + 200));
    }
  }

  /** The latest feedback per article for an incident. */
  async latestFeedback(incident: IncidentKey): Promise<ArticleFeedback[]> {
    return latest(await this.feedbackRows(this.db, incident)).map(r => ({
      article: { source: r.article_source, id: r.article_id },
      helpful: Boolean(r.helpful),
      note: r.note ?? undefined,
      actor: r.actor,
      at: isoOf(r.created_at)!,
    }));
  }

  /**
   * Records feedback on an article shown for the incident and says whether every article
   * shown is now marked not helpful, and whether this feedback made it so. In one
   * transaction (with the incident row locked on PostgreSQL), so two people's feedback at the
   * same moment make it exhausted once. Throws InputError, changing nothing, for an article
   * that was never shown for the incident.
   */
  async recordFeedback(
    options: RecordFeedbackOptions,
  ): Promise<FeedbackOutcome> {
    const { incident, article, now } = options;
    return this.db.transaction(async tx => {
      if (isPostgres(tx)) {
        await tx('incidents')
          .where({ source: incident.source, source_id: incident.sourceId })
          .forUpdate()
          .first();
      }
      const shown = await this.shownArticles(tx, incident);
      const key = `${article.source}\u0000${article.id}`;
      if (!shown.has(key)) {
        throw new InputError(
          `Article ${article.id} was never suggested for ${incident.number}: feedback is for the suggestions shown on it`,
        );
      }
      const rejectedBefore = rejected(
        latest(await this.feedbackRows(tx, incident)),
      );
      const [inserted] = await tx('kb_feedback')
        .insert({
          incident_source: incident.source,
          incident_source_id: incident.sourceId,
          number: incident.number,
          article_source: article.source,
          article_id: article.id,
          helpful: options.helpful,
          note: options.note ?? null,
          actor: options.actor,
          created_at: now,
        })
        .returning('id');
      const rejectedAfter = rejected(
        latest(await this.feedbackRows(tx, incident)),
      );
      const exhaustedBefore = [...shown.keys()].every(k =>
        rejectedBefore.has(k),
      );
      const exhausted = [...shown.keys()].every(k => rejectedAfter.has(k));
      return {
        id: Number(typeof inserted === 'object' ? inserted.id : inserted),
        articles: [...shown.values()],
        shown: shown.size,
        notHelpful: [...shown.keys()].filter(k => rejectedAfter.has(k)).length,
        exhausted,
        becameExhausted: exhausted && !exhaustedBefore,
      };
    });
  }

  /**
   * How an article has fared: on how many tickets it was suggested, and on how many the
   * latest mark says helpful or not helpful.
   */
  async articleFeedback(article: ArticleKey): Promise<ArticleFeedbackFigures> {
    const where = { article_source: article.source, article_id: article.id };
    const [suggested, marks] = await Promise.all([
      this.db
        .from(
          this.db('kb_suggestion_views')
            .where(where)
            .distinct('incident_source', 'incident_source_id')
            .as('tickets'),
        )
        .count({ n: '*' }),
      // the latest mark per ticket: no later row for the same ticket and article
      this.db('kb_feedback as f')
        .where({
          'f.article_source': article.source,
          'f.article_id': article.id,
        })
        .whereNotExists(
          this.db('kb_feedback as g')
            .whereRaw('g.article_source = f.article_source')
            .whereRaw('g.article_id = f.article_id')
            .whereRaw('g.incident_source = f.incident_source')
            .whereRaw('g.incident_source_id = f.incident_source_id')
            .whereRaw('g.id > f.id'),
        )
        .select('f.helpful'),
    ]);
    const helpful = marks.filter(m => Boolean(m.helpful)).length;
    return {
      suggestedOn: Number(suggested[0]?.n ?? 0),
      helpful,
      notHelpful: marks.length - helpful,
    };
  }

  /** The suggestions shown for an incident so far and the feedback on them. */
  async state(incident: IncidentKey): Promise<KnowledgeState> {
    const shown = await this.shownArticles(this.db, incident);
    const notHelpful = rejected(
      latest(await this.feedbackRows(this.db, incident)),
    );
    const n = [...shown.keys()].filter(k => notHelpful.has(k)).length;
    return {
      shown: shown.size,
      notHelpful: n,
      exhausted: shown.size > 0 && n === shown.size,
    };
  }

  /** Articles shown for an incident: key (source and id) → public id. */
  private async shownArticles(db: Knex, incident: IncidentKey) {
    const rows = await db('kb_suggestion_views')
      .where({
        incident_source: incident.source,
        incident_source_id: incident.sourceId,
      })
      .distinct('article_source', 'article_id');
    return new Map<string, string>(
      rows.map(r => [articleKey(r), r.article_id as string]),
    );
  }

  private feedbackRows(db: Knex, incident: IncidentKey) {
    return db('kb_feedback')
      .where({
        incident_source: incident.source,
        incident_source_id: incident.sourceId,
      })
      .orderBy('id');
  }
}

/** The last row per article (rows oldest first). */
function latest(rows: Array<Record<string, any>>) {
  const byArticle = new Map<string, Record<string, any>>();
  for (const r of rows) byArticle.set(articleKey(r), r);
  return [...byArticle.values()];
}

/** Articles whose latest feedback says not helpful. */
function rejected(latestRows: Array<Record<string, any>>) {
  return new Set(latestRows.filter(r => !Boolean(r.helpful)).map(articleKey));
}

function sameContent(a: KnowledgeArticle, b: KnowledgeArticle) {
  const content = (x: KnowledgeArticle) =>
    JSON.stringify([
      x.number,
      x.title,
      x.text,
      x.format,
      x.ticketTypes ?? [],
      x.tags ?? [],
      x.replaces ?? [],
      x.playbook,
      x.owner,
      x.tiers ?? [],
      x.knowledgeBase,
      x.workflowState,
      x.category,
      x.url,
    ]);
  return content(a) === content(b);
}
