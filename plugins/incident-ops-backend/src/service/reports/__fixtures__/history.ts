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
      d.action ??
      (d.rule.startsWith('sla-') ? 'sla-breach' : 'escalate');
    return {
      source: 'servicenow',
      source_id: idOf(d.n),
      number: numberOf(d.n),
      decision_key:
        action === 'escalate' ? `${d.rule}:${d.from}@${d.at}:${i}` : `${d.rule}:incident`,
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
}

/** A post-resolution survey. */
export interface HistorySurvey {
  n: number;
  rating: number;
  comment?: string;
  at: string;
  kbArticle?: string;
  playbook?: string;
}

export async function insertSurveys(db: Knex, list: HistorySurvey[]) {
  if (list.length === 0) return;
  await db('incident_surveys').insert(
    list.map(s => ({
      source: 'servicenow',
      source_id: idOf(s.n),
      number: numberOf(s.n),
      requestor: `caller-${s.n}`,
      submitted_by: 'user:default/requestor',
      rating: s.rating,
      comment: s.comment ?? null,
      kb_article: s.kbArticle ?? null,
      playbook: s.playbook ?? null,
      created_at: new Date(s.at),
      updated_at: new Date(s.at),
    })),
  );
}
