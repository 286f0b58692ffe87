import type {
  IncidentSurvey,
  SurveyArticle,
  SurveyFigures,
} from '@acme/plugin-incident-ops-common';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import { isoOf, toDate } from './rows';

/** How long after its first submission a survey can still be changed. */
export const SURVEY_EDIT_WINDOW_MS = 7 * 24 * 3_600_000;

/** Ratings at or below this are low scores. */
export const LOW_SURVEY_RATING = 2;

/** A post-resolution survey as stored. */
export type Survey = IncidentSurvey;

/** What survey figures are asked for: a KB article (by source and id) or a playbook. */
export type SurveySubject =
  | { kind: 'kb-article'; source: string; id: string }
  | { kind: 'playbook'; id: string };

/** The incident a survey is about, as the survey rules need it. */
export interface SurveyedIncident {
  source: string;
  sourceId: string;
  number: string;
  status: string;
  callerId?: string;
  callerName?: string;
}

function fromRow(r: Record<string, any>, kbArticles: SurveyArticle[]): Survey {
  const createdAt = toDate(r.created_at)!;
  return {
    number: r.number,
    requestor: r.requestor,
    submittedBy: r.submitted_by,
    onBehalf: Boolean(r.on_behalf),
    rating: Number(r.rating),
    comment: r.comment ?? undefined,
    kbArticle: r.kb_article ?? undefined,
    kbArticles,
    playbook: r.playbook ?? undefined,
    createdAt: createdAt.toISOString(),
    updatedAt: isoOf(r.updated_at)!,
    editableUntil: new Date(
      createdAt.getTime() + SURVEY_EDIT_WINDOW_MS,
    ).toISOString(),
  };
}

/** What `submit` is given. */
export interface SubmitSurveyOptions {
  number: string;
  requestor: string;
  submittedBy: string;
  /** Recorded by someone other than the requestor, on their behalf. */
  onBehalf: boolean;
  rating: number;
  comment?: string;
  /** The KB articles marked on the incident (see usedOn); the first is `kbArticle`. */
  kbArticles?: SurveyArticle[];
  playbook?: string;
  now: Date;
}

/** Post-resolution surveys. */
export interface SurveyStore {
  getIncident(number: string): Promise<SurveyedIncident | undefined>;
  /**
   * What was used on the incident, which its survey is linked to: the KB articles marked on
   * it (by their latest mark) — the ones marked helpful, or when none was, the ones marked not
   * helpful — latest first; and the playbook last run on it.
   */
  usedOn(incident: SurveyedIncident): Promise<{
    kbArticles: SurveyArticle[];
    playbook?: string;
  }>;
  /** The requestor's survey on the incident, if they answered it. */
  getSurvey(
    incident: SurveyedIncident,
    requestor: string,
  ): Promise<Survey | undefined>;
  /**
   * What requestors said on the tickets a KB article or a playbook was used on: how many
   * surveys, their average, how many were low, and the latest low scores with a comment.
   */
  figures(subject: SurveySubject, limit?: number): Promise<SurveyFigures>;
  /**
   * Records the requestor's survey, or changes it within a week of its first submission
   * (ConflictError after). Only on a resolved or closed incident (ConflictError otherwise).
   */
  submit(options: SubmitSurveyOptions): Promise<{
    survey: Survey;
    created: boolean;
  }>;
}

/** Post-resolution surveys: one per incident and requestor, editable for a week. */
export class DatabaseSurveyStore implements SurveyStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseSurveyStore(await options.database.getClient());
  }

  constructor(private readonly db: Knex) {}

  async getIncident(number: string): Promise<SurveyedIncident | undefined> {
    const row = await this.db('incidents')
      .where({ number })
      .whereNull('removed_at')
      .first(
        'source',
        'source_id',
        'number',
        'status',
        'caller_id',
        'caller_name',
      );
    return (
      row && {
        source: row.source,
        sourceId: row.source_id,
        number: row.number,
        status: row.status,
        callerId: row.caller_id ?? undefined,
        callerName: row.caller_name ?? undefined,
      }
    );
  }

  /**
   * What was used on the incident, which its survey is linked to: the KB articles marked on
   * it (by their latest mark) — the ones marked helpful, or when none was, the ones marked not
   * helpful — latest first; and the playbook last run on it.
   */
  async usedOn(
    incident: SurveyedIncident,
  ): Promise<{ kbArticles: SurveyArticle[]; playbook?: string }> {
    const [marks, run] = await Promise.all([
      this.db('kb_feedback')
        .where({
          incident_source: incident.source,
          incident_source_id: incident.sourceId,
        })
        .orderBy('id', 'desc')
        .select('article_source', 'article_id', 'helpful'),
      this.db('playbook_runs')
        .where({ source: incident.source, source_id: incident.sourceId })
        .orderBy('id', 'desc')
        .first('playbook_id'),
    ]);
    const latest = new Map<string, SurveyArticle>();
    for (const m of marks) {
      const key = `${m.article_source}\u0000${m.article_id}`;
      if (!latest.has(key)) {
        latest.set(key, {
          source: String(m.article_source),
          id: String(m.article_id),
          helpful: Boolean(m.helpful),
        });
      }
    }
    const all = [...latest.values()];
    const helpful = all.filter(a => a.helpful);
    return {
      kbArticles: helpful.length > 0 ? helpful : all,
      playbook: run?.playbook_id ?? undefined,
    };
  }

  /** The requestor's survey on the incident, if they answered it. */
  async getSurvey(
    incident: SurveyedIncident,
    requestor: string,
  ): Promise<Survey | undefined> {
    const row = await this.db('incident_surveys')
      .where({
        source: incident.source,
        source_id: incident.sourceId,
        requestor,
      })
      .first();
    return row && fromRow(row, await this.articlesOf(this.db, row.id));
  }

  /**
   * What requestors said on the tickets a KB article or a playbook was used on: how many
   * surveys, their average, how many were low, and the latest low scores with a comment.
   */
  async figures(subject: SurveySubject, limit = 5): Promise<SurveyFigures> {
    const base = () => {
      const q = this.db('incident_surveys as s');
      if (subject.kind === 'playbook') {
        return q.where('s.playbook', subject.id);
      }
      return q
        .join('incident_survey_articles as a', 'a.survey_id', 's.id')
        .where({
          'a.article_source': subject.source,
          'a.article_id': subject.id,
        });
    };
    const [totals, comments]: [
      Record<string, any> | undefined,
      Record<string, any>[],
    ] = await Promise.all([
      base()
        .count({ n: '*' })
        .avg({ average: 's.rating' })
        .select(
          this.db.raw('SUM(CASE WHEN s.rating <= ? THEN 1 ELSE 0 END) AS low', [
            LOW_SURVEY_RATING,
          ]),
        )
        .first(),
      base()
        .where('s.rating', '<=', LOW_SURVEY_RATING)
        .whereNotNull('s.comment')
        .andWhere('s.comment', '<>', '')
        .orderBy([
          { column: 's.updated_at', order: 'desc' },
          { column: 's.id', order: 'desc' },
        ])
        .limit(limit)
        .select('s.number', 's.rating', 's.comment', 's.updated_at'),
    ]);
    const responses = Number(totals?.n ?? 0);
    return {
      responses,
      averageRating: responses
        ? Math.round(Number(totals!.average) * 100) / 100
        : null,
      low: Number(totals?.low ?? 0),
      comments: comments.map(c => ({
        number: String(c.number),
        rating: Number(c.rating),
        comment: String(c.comment),
        submittedAt: isoOf(c.updated_at)!,
      })),
    };
  }

  /** The KB articles a survey is linked to, latest mark first. */
  private async articlesOf(db: Knex, surveyId: unknown) {
    const rows = await db('incident_survey_articles')
      .where({ survey_id: surveyId })
      .orderBy('position')
      .select('article_source', 'article_id', 'helpful');
    return rows.map(
      (r): SurveyArticle => ({
        source: String(r.article_source),
        id: String(r.article_id),
        helpful: Boolean(r.helpful),
      }),
    );
  }

  /**
   * Records the requestor's survey, or changes it within a week of its first submission
   * (ConflictError after). Only on a resolved or closed incident (ConflictError otherwise).
   */
  async submit(
    options: SubmitSurveyOptions,
  ): Promise<{ survey: Survey; created: boolean }> {
    const kbArticles = options.kbArticles ?? [];
    const { now } = options;
    return this.db.transaction(async tx => {
      const incident = await tx('incidents')
        .where({ number: options.number })
        .whereNull('removed_at')
        .first('source', 'source_id', 'status');
      if (!incident) throw new NotFoundError(`No incident ${options.number}`);
      if (!['resolved', 'closed'].includes(incident.status)) {
        throw new ConflictError(
          `${options.number} is ${incident.status}: the survey opens once it is resolved`,
        );
      }
      const key = {
        source: incident.source,
        source_id: incident.source_id,
        requestor: options.requestor,
      };
      const values = {
        submitted_by: options.submittedBy,
        on_behalf: options.onBehalf,
        rating: options.rating,
        comment: options.comment ?? null,
        kb_article: kbArticles[0]?.id ?? null,
        playbook: options.playbook ?? null,
        updated_at: now,
      };
      const inserted = await tx('incident_surveys')
        .insert({ ...key, number: options.number, ...values, created_at: now })
        .onConflict(['source', 'source_id', 'requestor'])
        .ignore()
        .returning('id');
      if (inserted.length === 0) {
        const existing = await tx('incident_surveys').where(key).first();
        const createdAt = toDate(existing.created_at)!.getTime();
        if (options.onBehalf && !existing.on_behalf) {
          throw new ConflictError(
            `The requestor of ${options.number} answered its survey; an answer on their behalf cannot replace it`,
          );
        }
        if (!options.onBehalf && existing.on_behalf) {
          // the requestor's own answer replaces one recorded for them, and is theirs to
          // change for a week
          await tx('incident_surveys')
            .where(key)
            .update({ ...values, created_at: now });
        } else if (now.getTime() - createdAt > SURVEY_EDIT_WINDOW_MS) {
          throw new ConflictError(
            `The survey on ${options.number} was submitted on ${new Date(
              createdAt,
            ).toISOString()} and could be changed for a week after; it is final now`,
          );
        } else {
          await tx('incident_surveys').where(key).update(values);
        }
      }
      const row = await tx('incident_surveys').where(key).first();
      // linked to what was used when it was last sent
      await tx('incident_survey_articles')
        .where({ survey_id: row.id })
        .delete();
      if (kbArticles.length > 0) {
        await tx('incident_survey_articles').insert(
          kbArticles.map((a, position) => ({
            survey_id: row.id,
            article_source: a.source,
            article_id: a.id,
            helpful: a.helpful,
            position,
          })),
        );
      }
      return {
        survey: fromRow(row, await this.articlesOf(tx, row.id)),
        created: inserted.length > 0,
      };
    });
  }
}
