import type { Knex } from 'knex';

/** An incident of a test history; times are ISO 8601. */
export interface HistoryIncident {
  n: number;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  tier?: 'L1' | 'L2' | 'L3';
  type?: string;
  ci?: string;
  opened: string;
  responded?: string;
  resolved?: string;
  removed?: boolean;
  callerId?: string;
  callerName?: string;
}

export const numberOf = (n: number) => `INC${String(13_100_000 + n)}`;
const idOf = (n: number) => n.toString(16).padStart(32, '0');

/** Inserts incidents as the sync would have stored them. */
export async function insertIncidents(db: Knex, list: HistoryIncident[]) {
  const rows = list.map(i => ({
    source: 'servicenow',
    source_id: idOf(i.n),
    number: numberOf(i.n),
    short_description: `Ticket ${i.n}`,
    priority: i.priority,
    status: i.resolved ? 'resolved' : 'work-in-progress',
    is_open: !i.resolved,
    source_state: i.resolved ? '6' : '2',
    tier: i.tier ?? null,
    ticket_type: i.type ?? null,
    ci_name: i.ci ?? null,
    caller_id: i.callerId ?? null,
    caller_name: i.callerName ?? null,
    opened_at: new Date(i.opened),
    tier_entered_at: new Date(i.opened),
    responded_at: i.responded ? new Date(i.responded) : null,
    resolved_at: i.resolved ? new Date(i.resolved) : null,
    source_updated_at: new Date(i.resolved ?? i.opened),
    source_version: 1,
    synced_at: new Date(i.resolved ?? i.opened),
    removed_at: i.removed ? new Date(i.resolved ?? i.opened) : null,
  }));
  for (let i = 0; i < rows.length; i += 100) {
    await db('incidents').insert(rows.slice(i, i + 100));
  }
}

/** A decision of the escalation engine (or a person's escalation). */
export interface HistoryDecision {
  n: number;
  at: string;
  rule: string;
  action?: 'escalate' | 'alert-management' | 'sla-breach' | 'flag-recurring';
  from?: string;
  to?: string;
}

/** Inserts decisions with the keys the engine gives them. */
export async function insertDecisions(db: Knex, list: HistoryDecision[]) {
  if (list.length === 0) return;
  const rows = list.map((d, i) => {
    const action =
      d.action ?? (d.rule.startsWith('sla-') ? 'sla-breach' : 'escalate');
    return {
      source: 'servicenow',
      source_id: idOf(d.n),
      number: numberOf(d.n),
      decision_key:
        action === 'escalate'
          ? `${d.rule}:${d.from}@${d.at}:${i}`
          : `${d.rule}:incident`,
      action,
      rule: d.rule,
      from_tier: d.from ?? null,
      to_tier: d.to ?? null,
      explanation: `${d.rule} on ${numberOf(d.n)}`,
      clocks: '{}',
      created_at: new Date(d.at),
    };
  });
  for (let i = 0; i < rows.length; i += 100) {
    await db('incident_escalations').insert(rows.slice(i, i + 100));
  }
  // the engine records the incident's priority and ticket type with each decision
  for (const column of ['priority', 'ticket_type']) {
    await db('incident_escalations')
      .whereNull('priority')
      .orWhereNull('ticket_type')
      .update({
        [column]: db('incidents')
          .select(column)
          .where('incidents.source', db.ref('incident_escalations.source'))
          .andWhere(
            'incidents.source_id',
            db.ref('incident_escalations.source_id'),
          ),
      });
  }
}

/** A post-resolution survey. */
export interface HistorySurvey {
  n: number;
  rating: number;
  comment?: string;
  at: string;
  /** A KB article from ServiceNow marked helpful on the ticket. */
  kbArticle?: string;
  /** The KB articles marked on the ticket (instead of `kbArticle`). */
  kbArticles?: Array<{ source?: string; id: string; helpful: boolean }>;
  playbook?: string;
}

/** Inserts surveys with the KB articles they are linked to, as the survey API records them. */
export async function insertSurveys(db: Knex, list: HistorySurvey[]) {
  for (const s of list) {
    const articles =
      s.kbArticles ?? (s.kbArticle ? [{ id: s.kbArticle, helpful: true }] : []);
    const [inserted] = await db('incident_surveys')
      .insert({
        source: 'servicenow',
        source_id: idOf(s.n),
        number: numberOf(s.n),
        requestor: `caller-${s.n}`,
        submitted_by: 'user:default/requestor',
        rating: s.rating,
        comment: s.comment ?? null,
        kb_article: articles[0]?.id ?? null,
        playbook: s.playbook ?? null,
        created_at: new Date(s.at),
        updated_at: new Date(s.at),
      })
      .returning('id');
    const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
    if (articles.length > 0) {
      await db('incident_survey_articles').insert(
        articles.map((a, position) => ({
          survey_id: id,
          article_source: a.source ?? 'servicenow',
          article_id: a.id,
          helpful: a.helpful,
          position,
        })),
      );
    }
  }
}

const incidentKey = (n: number) => ({
  incident_source: 'servicenow',
  incident_source_id: idOf(n),
  number: numberOf(n),
});

/** KB articles as the sync stores them. */
export async function insertArticles(
  db: Knex,
  list: Array<{ number: string; title: string }>,
) {
  await db('kb_articles').insert(
    list.map((a, i) => ({
      source: 'servicenow',
      source_id: `kb${i}`.padStart(32, '0'),
      number: a.number,
      title: a.title,
      text: a.title,
      workflow_state: 'published',
      source_updated_at: new Date('2026-01-01T00:00:00Z'),
      source_version: 1,
      synced_at: new Date('2026-01-01T00:00:00Z'),
    })),
  );
}

/** Suggestions shown, feedback given, and KB-exhausted events on incidents. */
export async function insertKnowledgeUse(
  db: Knex,
  use: {
    shown?: Array<{
      n: number;
      article: string;
      source?: string;
      at: string;
      type?: string;
    }>;
    feedback?: Array<{
      n: number;
      article: string;
      source?: string;
      helpful: boolean;
      at: string;
    }>;
    exhausted?: Array<{ n: number; at: string }>;
  },
) {
  if (use.shown?.length) {
    await db('kb_suggestion_views').insert(
      use.shown.map((v, i) => ({
        ...incidentKey(v.n),
        article_source: v.source ?? 'servicenow',
        article_id: v.article,
        rank: i + 1,
        score: 1,
        ticket_type: v.type ?? null,
        actor: 'user:default/engineer',
        shown_at: new Date(v.at),
      })),
    );
  }
  if (use.feedback?.length) {
    await db('kb_feedback').insert(
      use.feedback.map(f => ({
        ...incidentKey(f.n),
        article_source: f.source ?? 'servicenow',
        article_id: f.article,
        helpful: f.helpful,
        actor: 'user:default/engineer',
        created_at: new Date(f.at),
      })),
    );
  }
  if (use.exhausted?.length) {
    await db('incident_events').insert(
      use.exhausted.map(e => ({
        source: 'servicenow',
        source_id: idOf(e.n),
        number: numberOf(e.n),
        type: 'kb-exhausted',
        actor: 'incident-ops',
        created_at: new Date(e.at),
      })),
    );
  }
}

/** Vendor cases, each answered or not. */
export async function insertVendorCases(
  db: Knex,
  list: Array<{
    n: number;
    vendor: string;
    caseId: string;
    opened: string;
    slaMinutes: number;
    responded?: string;
  }>,
) {
  await db('vendor_engagements').insert(
    list.map(v => ({
      source: 'servicenow',
      source_id: idOf(v.n),
      number: numberOf(v.n),
      vendor: v.vendor,
      case_id: v.caseId,
      opened_at: new Date(v.opened),
      response_sla_ms: v.slaMinutes * 60_000,
      respond_by: new Date(Date.parse(v.opened) + v.slaMinutes * 60_000),
      responded_at: v.responded ? new Date(v.responded) : null,
      opened_by: 'user:default/liaison',
      created_at: new Date(v.opened),
    })),
  );
}

/** Post-mortems recorded. */
export async function insertPostMortems(
  db: Knex,
  list: Array<{ n: number; at: string }>,
) {
  await db('incident_updates').insert(
    list.map(u => ({
      source: 'servicenow',
      source_id: idOf(u.n),
      number: numberOf(u.n),
      kind: 'post-mortem',
      message: 'Post-mortem',
      actor: 'user:default/evangelist',
      created_at: new Date(u.at),
    })),
  );
}

/** A playbook run on an incident with its step outcomes. */
export async function insertPlaybookRun(
  db: Knex,
  run: {
    n: number;
    playbook: {
      id: string;
      title: string;
      steps: Array<{ id: string; title: string }>;
    };
    at: string;
    steps: Array<{
      id: string;
      status: 'done' | 'verified' | 'skipped' | 'failed';
    }>;
  },
) {
  const [inserted] = await db('playbook_runs')
    .insert({
      source: 'servicenow',
      source_id: idOf(run.n),
      number: numberOf(run.n),
      playbook_id: run.playbook.id,
      playbook_title: run.playbook.title,
      definition: JSON.stringify(run.playbook),
      status: 'completed',
      field_values: '{}',
      started_by: 'user:default/engineer',
      started_at: new Date(run.at),
      updated_at: new Date(run.at),
    })
    .returning('id');
  const runId = Number(typeof inserted === 'object' ? inserted.id : inserted);
  await db('playbook_step_results').insert(
    run.steps.map(st => ({
      run_id: runId,
      playbook_id: run.playbook.id,
      step_id: st.id,
      step_kind: 'task',
      status: st.status,
      actor: 'user:default/engineer',
      created_at: new Date(run.at),
    })),
  );
}

/** A lessons-learned record linked to incidents. */
export async function insertLesson(
  db: Knex,
  lesson: { id: string; title: string; incidents: number[] },
) {
  const at = new Date('2026-11-01T00:00:00Z');
  await db('lessons_learned').insert({
    id: lesson.id,
    title: lesson.title,
    summary: lesson.title,
    actions: '[]',
    status: 'open',
    source: 'api',
    created_by: 'user:default/lead',
    created_at: at,
    updated_by: 'user:default/lead',
    updated_at: at,
  });
  await db('lessons_learned_links').insert(
    lesson.incidents.map(n => ({
      lesson_id: lesson.id,
      kind: 'incident',
      ref: numberOf(n),
    })),
  );
}
