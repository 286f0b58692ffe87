import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';

/** How long after its first submission a survey can still be changed. */
export const SURVEY_EDIT_WINDOW_MS = 7 * 24 * 3_600_000;

/** A post-resolution survey as stored. */
export interface Survey {
  number: string;
  requestor: string;
  submittedBy: string;
  rating: number;
  comment?: string;
  kbArticle?: string;
  playbook?: string;
  createdAt: string;
  updatedAt: string;
  editableUntil: string;
}

/** The incident a survey is about, as the survey rules need it. */
export interface SurveyedIncident {
  source: string;
  sourceId: string;
  number: string;
  status: string;
  callerId?: string;
  callerName?: string;
}

const toDate = (v: unknown) => new Date(v as string | number);

function fromRow(r: Record<string, any>): Survey {
  const createdAt = toDate(r.created_at);
  return {
    number: r.number,
    requestor: r.requestor,
    submittedBy: r.submitted_by,
    rating: Number(r.rating),
    comment: r.comment ?? undefined,
    kbArticle: r.kb_article ?? undefined,
    playbook: r.playbook ?? undefined,
    createdAt: createdAt.toISOString(),
    updatedAt: toDate(r.updated_at).toISOString(),
    editableUntil: new Date(
      createdAt.getTime() + SURVEY_EDIT_WINDOW_MS,
    ).toISOString(),
  };
}

/** Post-resolution surveys: one per incident and requestor, editable for a week. */
export class DatabaseSurveyStore {
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
   * What was used on the incident, which its survey is linked to: the KB article last marked
   * helpful on it, and the playbook last run on it.
   */
  async usedOn(
    incident: SurveyedIncident,
  ): Promise<{ kbArticle?: string; playbook?: string }> {
    const [article, run] = await Promise.all([
      this.db('kb_feedback')
        .where({
          incident_source: incident.source,
          incident_source_id: incident.sourceId,
          helpful: true,
        })
        .orderBy('id', 'desc')
        .first('article_id'),
      this.db('playbook_runs')
        .where({ source: incident.source, source_id: incident.sourceId })
        .orderBy('id', 'desc')
        .first('playbook_id'),
    ]);
    return {
      kbArticle: article?.article_id ?? undefined,
      playbook: run?.playbook_id ?? undefined,
    };
  }

  /**
   * Records the requestor's survey, or changes it within a week of its first submission
   * (ConflictError after). Only on a resolved or closed incident (ConflictError otherwise).
   */
  async submit(options: {
    number: string;
    requestor: string;
    submittedBy: string;
    rating: number;
    comment?: string;
    kbArticle?: string;
    playbook?: string;
    now: Date;
  }): Promise<{ survey: Survey; created: boolean }> {
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
        rating: options.rating,
        comment: options.comment ?? null,
        kb_article: options.kbArticle ?? null,
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
        const createdAt = toDate(existing.created_at).getTime();
        if (now.getTime() - createdAt > SURVEY_EDIT_WINDOW_MS) {
          throw new ConflictError(
            `The survey on ${options.number} was submitted on ${new Date(
              createdAt,
            ).toISOString()} and could be changed for a week after; it is final now`,
          );
        }
        await tx('incident_surveys').where(key).update(values);
      }
      const row = await tx('incident_surveys').where(key).first();
      return { survey: fromRow(row), created: inserted.length > 0 };
    });
  }
}
