import type { Knex } from 'knex';
import { type Range, aggregateRows, isoOf, num, timestampParam } from './rows';

// The reports' figures of what people said and used: surveys, knowledge suggestions and
// feedback, playbook steps and lessons learned (aggregate queries, as the report store's).

type Row = Record<string, any>;

const raw = async (db: Knex, sql: string, bindings: unknown[]) => ({
  rows: await aggregateRows(db, sql, bindings),
});

/** Survey responses submitted in the range: count, average, distribution, low scores. */
export async function surveySummary(
  db: Knex,
  range: Range,
  lowAtMost: number,
  limit: number,
) {
  const base = () =>
    db('incident_surveys as s')
      .where('s.updated_at', '>=', range.start)
      .andWhere('s.updated_at', '<', range.end);
  const dist = await base()
    .select('s.rating')
    .count({ n: '*' })
    .groupBy('s.rating');
  const low = await base()
    .leftJoin('incidents as i', q =>
      q.on('i.source', 's.source').andOn('i.source_id', 's.source_id'),
    )
    .where('s.rating', '<=', lowAtMost)
    .orderBy([{ column: 's.rating' }, { column: 's.updated_at' }])
    .limit(limit)
    .select(
      's.number',
      's.rating',
      's.comment',
      's.kb_article',
      's.playbook',
      's.updated_at',
      'i.ticket_type',
    );
  const distribution = [0, 0, 0, 0, 0];
  let total = 0;
  let sum = 0;
  for (const r of dist as Row[]) {
    const rating = Number(r.rating);
    distribution[rating - 1] = Number(r.n);
    total += Number(r.n);
    sum += rating * Number(r.n);
  }
  return {
    responses: total,
    averageRating: total ? Math.round((sum / total) * 100) / 100 : null,
    distribution,
    low: low.map((r: Row) => ({
      number: r.number,
      rating: Number(r.rating),
      comment: r.comment ?? undefined,
      ticketType: r.ticket_type ?? undefined,
      kbArticle: r.kb_article ?? undefined,
      playbook: r.playbook ?? undefined,
      submittedAt: isoOf(r.updated_at)!,
    })),
  };
}

/**
 * Survey ratings per KB article, playbook and ticket type used, with the comments of the
 * low ones: the lowest first, the latest first among equal ratings, `perSubject` at most
 * (numbered in the database, so only those reach Node). A survey counts for every KB
 * article it is linked to.
 */
export async function surveySubjects(
  db: Knex,
  range: Range,
  lowAtMost: number,
  perSubject = 5,
) {
  const ts = timestampParam(db);
  const subject = (
    kind: 'kb-article' | 'playbook' | 'ticket-type',
    column: string,
    join = '',
  ) => `SELECT DISTINCT '${kind}' AS kind, ${column} AS subject, s.id, s.rating,
               s.comment, s.updated_at AS at
          FROM incident_surveys s
          JOIN incidents i ON i.source = s.source AND i.source_id = s.source_id
          ${join}
         WHERE s.updated_at >= ${ts} AND s.updated_at < ${ts} AND ${column} IS NOT NULL`;
  const union = [
    subject(
      'kb-article',
      'a.article_id',
      'JOIN incident_survey_articles a ON a.survey_id = s.id',
    ),
    subject('playbook', 's.playbook'),
    subject('ticket-type', 'i.ticket_type'),
  ].join(' UNION ALL ');
  const periods = [
    range.start,
    range.end,
    range.start,
    range.end,
    range.start,
    range.end,
  ];
  const [{ rows }, { rows: comments }] = await Promise.all([
    raw(
      db,
      `SELECT kind, subject, COUNT(*) AS n, AVG(rating) AS average
         FROM (${union}) x GROUP BY kind, subject ORDER BY kind, subject`,
      periods,
    ),
    raw(
      db,
      `SELECT kind, subject, comment FROM (
         SELECT kind, subject, comment,
                ROW_NUMBER() OVER (PARTITION BY kind, subject
                                   ORDER BY rating, at DESC, id DESC) AS rn
           FROM (${union}) x
          WHERE (rating * 1.0) <= ? AND comment IS NOT NULL AND comment <> '') c
        WHERE rn <= ${Number(perSubject)}
        ORDER BY kind, subject, rn`,
      [...periods, lowAtMost],
    ),
  ]);
  const commentsOf = new Map<string, string[]>();
  for (const c of comments) {
    const key = `${c.kind}\u0000${c.subject}`;
    commentsOf.set(key, [...(commentsOf.get(key) ?? []), String(c.comment)]);
  }
  return rows.map((r: Row) => ({
    subjectKind: r.kind as 'kb-article' | 'playbook' | 'ticket-type',
    subject: String(r.subject),
    responses: Number(r.n),
    averageRating: Number(r.average),
    comments: commentsOf.get(`${r.kind}\u0000${r.subject}`) ?? [],
  }));
}

/** Knowledge suggestions shown and feedback given in the range, and per article. */
export async function kbUsage(db: Knex, range: Range) {
  const ts = timestampParam(db);
  const r = [range.start, range.end];
  const [shown, feedback, exhausted, perArticleShown, perArticle, deflected] =
    await Promise.all([
      raw(
        db,
        `SELECT COUNT(*) AS n, COUNT(DISTINCT v.number) AS tickets
           FROM kb_suggestion_views v
          WHERE v.shown_at >= ${ts} AND v.shown_at < ${ts}`,
        r,
      ),
      raw(
        db,
        `SELECT SUM(CASE WHEN f.helpful THEN 1 ELSE 0 END) AS helpful,
                SUM(CASE WHEN f.helpful THEN 0 ELSE 1 END) AS not_helpful
           FROM kb_feedback f
          WHERE f.created_at >= ${ts} AND f.created_at < ${ts}`,
        r,
      ),
      raw(
        db,
        `SELECT COUNT(DISTINCT e.number) AS n FROM incident_events e
          WHERE e.type = 'kb-exhausted' AND e.created_at >= ${ts} AND e.created_at < ${ts}`,
        r,
      ),
      raw(
        db,
        `SELECT v.article_source, v.article_id, COUNT(*) AS shown
           FROM kb_suggestion_views v
          WHERE v.shown_at >= ${ts} AND v.shown_at < ${ts}
          GROUP BY v.article_source, v.article_id`,
        r,
      ),
      raw(
        db,
        `SELECT f.article_source, f.article_id, a.title,
                SUM(CASE WHEN f.helpful THEN 1 ELSE 0 END) AS helpful,
                SUM(CASE WHEN f.helpful THEN 0 ELSE 1 END) AS not_helpful
           FROM kb_feedback f
           LEFT JOIN kb_articles a ON a.source = f.article_source AND a.number = f.article_id
          WHERE f.created_at >= ${ts} AND f.created_at < ${ts}
          GROUP BY f.article_source, f.article_id, a.title`,
        r,
      ),
      // "This solved it": an article solved the problem before it was reported
      raw(
        db,
        `SELECT COUNT(*) AS n FROM kb_deflections d
          WHERE d.created_at >= ${ts} AND d.created_at < ${ts}`,
        r,
      ),
    ]);
  const shownOf = new Map<string, number>(
    perArticleShown.rows.map((a: Row) => [
      `${a.article_source}\u0000${a.article_id}`,
      Number(a.shown),
    ]),
  );
  const articles = perArticle.rows.map((a: Row) => ({
    source: String(a.article_source),
    article: String(a.article_id),
    title: a.title ?? undefined,
    shown: shownOf.get(`${a.article_source}\u0000${a.article_id}`) ?? 0,
    helpful: num(a.helpful),
    notHelpful: num(a.not_helpful),
  }));
  return {
    suggestionsShown: num(shown.rows[0]?.n),
    ticketsWithSuggestions: num(shown.rows[0]?.tickets),
    markedHelpful: num(feedback.rows[0]?.helpful),
    markedNotHelpful: num(feedback.rows[0]?.not_helpful),
    kbExhaustedTickets: num(exhausted.rows[0]?.n),
    deflections: num(deflected.rows[0]?.n),
    articles,
  };
}

/** Per ticket type: KB suggestions shown, and feedback given on its tickets, in the range. */
export async function kbByTicketType(db: Knex, range: Range) {
  const ts = timestampParam(db);
  const r = [range.start, range.end];
  const [shown, feedback] = await Promise.all([
    raw(
      db,
      `SELECT COALESCE(v.ticket_type, 'unclassified') AS t, COUNT(*) AS n
         FROM kb_suggestion_views v
        WHERE v.shown_at >= ${ts} AND v.shown_at < ${ts}
        GROUP BY COALESCE(v.ticket_type, 'unclassified')`,
      r,
    ),
    raw(
      db,
      `SELECT COALESCE(i.ticket_type, 'unclassified') AS t,
              SUM(CASE WHEN f.helpful THEN 1 ELSE 0 END) AS helpful,
              SUM(CASE WHEN f.helpful THEN 0 ELSE 1 END) AS not_helpful
         FROM kb_feedback f
         JOIN incidents i ON i.source = f.incident_source AND i.source_id = f.incident_source_id
        WHERE f.created_at >= ${ts} AND f.created_at < ${ts}
        GROUP BY COALESCE(i.ticket_type, 'unclassified')`,
      r,
    ),
  ]);
  const out = new Map<
    string,
    { suggested: number; helpful: number; notHelpful: number }
  >();
  const of = (t: string) => {
    const v = out.get(t) ?? { suggested: 0, helpful: 0, notHelpful: 0 };
    out.set(t, v);
    return v;
  };
  for (const row of shown.rows) of(row.t).suggested = num(row.n);
  for (const row of feedback.rows) {
    of(row.t).helpful = num(row.helpful);
    of(row.t).notHelpful = num(row.not_helpful);
  }
  return out;
}

/**
 * Per playbook step with outcomes recorded in the range: the runs that recorded one, and
 * how many of them skipped it or failed it; with the step titles of the latest definition.
 */
export async function playbookSteps(db: Knex, range: Range) {
  const ts = timestampParam(db);
  const { rows } = await raw(
    db,
    `SELECT r.playbook_id, s.step_id,
            COUNT(DISTINCT s.run_id) AS runs,
            COUNT(DISTINCT CASE WHEN s.status = 'skipped' THEN s.run_id END) AS skipped,
            COUNT(DISTINCT CASE WHEN s.status = 'failed' THEN s.run_id END) AS failed
       FROM playbook_step_results s
       JOIN playbook_runs r ON r.id = s.run_id
      WHERE s.created_at >= ${ts} AND s.created_at < ${ts}
      GROUP BY r.playbook_id, s.step_id`,
    [range.start, range.end],
  );
  const ids = [...new Set(rows.map((r: Row) => String(r.playbook_id)))];
  const definitions = ids.length
    ? await db('playbook_runs')
        .whereIn(
          'id',
          db('playbook_runs')
            .whereIn('playbook_id', ids)
            .groupBy('playbook_id')
            .max('id'),
        )
        .select('playbook_id', 'playbook_title', 'definition')
    : [];
  const titles = new Map<
    string,
    { title: string; steps: Map<string, string> }
  >();
  for (const d of definitions) {
    let steps: Array<{ id: string; title?: string }> = [];
    try {
      steps = JSON.parse(d.definition).steps ?? [];
    } catch {
      // an unreadable definition: the ids are shown
    }
    titles.set(String(d.playbook_id), {
      title: d.playbook_title,
      steps: new Map(steps.map(st => [st.id, st.title || st.id])),
    });
  }
  return rows.map((r: Row) => {
    const t = titles.get(String(r.playbook_id));
    return {
      playbook: t?.title ?? String(r.playbook_id),
      step: t?.steps.get(String(r.step_id)) ?? String(r.step_id),
      runs: num(r.runs),
      skipped: num(r.skipped),
      failed: num(r.failed),
    };
  });
}

/** The (CMDB CI, ticket type) pairs some lessons-learned record covers by a linked incident. */
export async function lessonsCoverage(db: Knex): Promise<Set<string>> {
  const rows = await db('lessons_learned_links as l')
    .join('incidents as i', 'i.number', 'l.ref')
    .where('l.kind', 'incident')
    .distinct('i.ci_name', 'i.ticket_type');
  return new Set(
    rows.map((r: Row) => `${r.ci_name ?? ''}\u0000${r.ticket_type ?? ''}`),
  );
}
