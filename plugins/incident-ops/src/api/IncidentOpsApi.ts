import {
  DiscoveryApi,
  FetchApi,
  createApiRef,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ClockReading,
  CommunicationObligation,
  PlaybookFieldValue,
  PlaybookStepStatus,
  PlaybookStepView,
  ContactTree,
  EntityIncidentsResponse,
  Incident,
  IncidentStatus,
  IncidentSurvey,
  IncidentSurveyView,
  KnowledgeArticle,
  OwnershipMatrix,
  Playbook,
  ReportKind,
  ReportResponse,
  Priority,
  QueueResponse,
  QueueSort,
  SurveyFigures,
  Tier,
} from '@acme/plugin-incident-ops-common';

/** One sync run of an incident source, as reported by `GET /sync/status`. @public */
export interface SyncRun {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Records read from the source. */
  fetched: number;
  /** Records written to the incident store. */
  stored: number;
  /** Records that could not be mapped and went to quarantine. */
  quarantined: number;
  /** Why the run failed, when it did. */
  error?: string;
}

/** The sync state of one incident source (provider), e.g. `servicenow`. @public */
export interface ProviderSyncStatus {
  provider: string;
  cursor?: string;
  /** Records waiting in quarantine. */
  quarantined?: number;
  /** How far behind now the last complete window ends, in seconds. */
  lagSeconds?: number;
  /** The last pass that removed incidents deleted at the source. */
  lastReconciliation?: { at: string; removed: number };
  lastRun?: SyncRun;
}

/** Response of `GET /sync/status`. @public */
export interface SyncStatusResponse {
  providers: ProviderSyncStatus[];
  /** Write-backs to the sources by state (pending, running, done, conflict). */
  outbox?: Record<string, number>;
}

/** One write-back to a source, as `GET /sync/outbox` lists it. @public */
export interface OutboxItem {
  id: number;
  source: string;
  number?: string;
  key: string;
  status: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
  nextAttemptAt?: string;
  doneAt?: string;
}

/** What happened to an incident, or what the policy decided about it and why. @public */
export interface TimelineEntry {
  at: string;
  /** transition, status-change, escalation, write-back, alert-management, sla-breach, … */
  type: string;
  from?: string;
  to?: string;
  actor?: string;
  /** A sentence a person can read; for a decision, its explanation. */
  summary: string;
  /** For decisions and escalations: the rule, the tiers, the clocks it fired on. */
  details?: {
    rule?: string;
    from?: string;
    to?: string;
    clocks?: {
      atTier?: number;
      open?: number;
      paused?: number;
      limit?: number;
    };
    [key: string]: unknown;
  };
}

/** `GET /incidents/{number}`: the incident, what happened to it and its clocks now. @public */
export interface IncidentDetail extends Incident {
  respondedAt?: string;
  timeline?: {
    events: TimelineEntry[];
    clocks?: {
      tier?: ClockReading & { tier: Tier };
      respond: ClockReading;
      resolve: ClockReading;
    };
    /** The escalation policy its tier stay runs on, and whether it is the current one. */
    policy?: { id: string; current: boolean };
  };
}

/** Filters of the Ops queue; empty lists and absent values mean any. @public */
export interface QueueQuery {
  priority?: Priority[];
  tier?: Tier[];
  /** Absent: every open status. */
  status?: IncidentStatus[];
  ticketType?: string[];
  /** A cluster's entity ref or name. */
  cluster?: string;
  /** An entity's scope, as on the Incidents card. */
  entityRef?: string;
  sort?: QueueSort;
  limit?: number;
  offset?: number;
}

/** Triggers a person can escalate with (operational model, III.2 and IV). @public */
export type EscalationTrigger =
  | 'stakeholder-request'
  | 'architectural-impact'
  | 'complexity'
  | 'kb-exhausted';

/** Response of `POST /incidents/{number}/escalations`. @public */
export interface EscalateResponse {
  decision: {
    rule: string;
    from: Tier;
    to: Tier;
    explanation: string;
    key: string;
  };
}

/** Response of `POST /incidents/{number}/transitions`. @public */
export interface TransitionResponse {
  event: {
    id: number;
    number: string;
    type: string;
    from?: string;
    to?: string;
  };
  writeBack: { key: string; status: 'pending' };
}

/** A source record that could not be mapped to an incident. @public */
export interface QuarantinedRecord {
  provider: string;
  key: string;
  number?: string;
  reason: string;
  /** The record as the source sent it. */
  payload?: unknown;
  firstSeenAt: string;
  lastSeenAt: string;
  occurrences: number;
}

/** Response of `GET /sync/quarantine`. @public */
export interface QuarantineResponse {
  items: QuarantinedRecord[];
}

/** Response of `POST /sync`. @public */
export interface TriggerSyncResponse {
  /** The providers that started a sync. */
  triggered: string[];
}

/** One knowledge article suggested for an incident, with why it was chosen. @public */
export interface KnowledgeSuggestion {
  /** The article's number (KB0010001) or repository id; what feedback names. */
  articleId: string;
  title: string;
  source: string;
  url?: string;
  playbook?: string;
  rank: number;
  score: number;
  reasons: {
    matchedTerms: Array<{ term: string; typed?: string; fields: string[] }>;
    ticketType?: { type: string; via: 'article' | 'classification' };
  };
  explanation: string;
  /** The latest feedback on it for the incident. */
  feedback?: { helpful: boolean; note?: string; actor: string; at: string };
}

/** Response of `GET /kb/suggestions?incident=`. @public */
export interface KnowledgeSuggestions {
  incident?: string;
  ticketType?: string;
  /** The suggestions shown on the incident so far and the feedback on them. */
  kb?: { shown: number; notHelpful: number; exhausted: boolean };
  items: KnowledgeSuggestion[];
}

/** Response of `POST /incidents/{number}/kb-feedback`. @public */
export interface KnowledgeFeedbackResponse {
  feedback: {
    id: number;
    articleId: string;
    helpful: boolean;
    note?: string;
    actor: string;
    at: string;
  };
  kb: { shown: number; notHelpful: number; exhausted: boolean };
}

/** An incident's playbook, filled from it, with each step's state (`GET .../playbook`). @public */
export interface PlaybookRunView {
  number: string;
  ticketType?: string;
  mappedPlaybookId?: string;
  playbook?: { id: string; title: string; summary: string; file?: string };
  run?: {
    id: number;
    status: 'active' | 'completed' | 'abandoned';
    startedBy: string;
    startedAt: string;
    updatedAt: string;
    completedAt?: string;
  };
  fields: PlaybookFieldValue[];
  missing: string[];
  steps: PlaybookStepView[];
  /** Verification steps not verified: resolving needs an override reason. */
  unverified: string[];
  /** Playbooks that could be run instead. */
  available: Array<{ id: string; title: string }>;
}

/** `GET /incidents/{number}/communications`: the cadence and what was sent. @public */
export interface CommunicationsView {
  number: string;
  priority: Priority;
  status: IncidentStatus;
  at: string;
  obligations: CommunicationObligation[];
  next?: CommunicationObligation & { dueInMs?: number };
  /** Every change goes to the stakeholders at once (P1). */
  realTime: boolean;
  updates: Array<{
    id: number;
    number: string;
    kind: 'update' | 'post-mortem';
    message: string;
    link?: string;
    actor: string;
    createdAt: string;
  }>;
  notifications: Array<{
    id: number;
    key: string;
    kind: 'event' | 'delivery';
    event: string;
    channel?: string;
    to?: string[];
    title?: string;
    status: 'pending' | 'running' | 'done' | 'failed';
    attempts: number;
    lastError?: string;
    createdAt: string;
    doneAt?: string;
  }>;
}

/** One communication an incident owes next (`GET /communications/due`). @public */
export interface CommunicationDue {
  number: string;
  priority: Priority;
  status: IncidentStatus;
  shortDescription: string;
  kind: 'hourly-update' | 'post-mortem';
  slot: number | string;
  dueAt: string;
  state: 'upcoming' | 'overdue';
  dueInMs: number;
}

/** A case opened with Tanzu or AWS, with its response clock. @public */
export interface VendorEngagementView {
  id: number;
  number: string;
  priority: Priority;
  vendor: 'tanzu' | 'aws';
  caseId: string;
  openedAt: string;
  /** The vendor's response SLA, ms. */
  responseSla: number;
  respondBy: string;
  respondedAt?: string;
  timeToResponseMs: number;
  leftMs?: number;
  responded: boolean;
  breached: boolean;
  note?: string;
  responseNote?: string;
  openedBy?: string;
}

/**
 * How often support engineers found an article useful: on how many tickets it was
 * suggested, and on how many it was marked helpful or not (the latest mark per ticket).
 * @public
 */
export interface ArticleFeedbackFigures {
  suggestedOn: number;
  helpful: number;
  notHelpful: number;
}

/** `GET /kb/articles/{id}`: one knowledge article, repository Markdown or synced. @public */
export interface KnowledgeArticleView extends KnowledgeArticle {
  feedback?: ArticleFeedbackFigures;
  /** What requestors said on the tickets it was marked on. */
  surveys?: SurveyFigures;
}

/** `GET /playbooks`: the playbooks loaded, and which ticket type runs which. @public */
export interface PlaybookList {
  items: Array<{ id: string; title: string; summary: string; file?: string }>;
  /** Ticket type → playbook id (operational model, Appendix A; config). */
  mapping: Record<string, string>;
}

/** `GET /playbooks/{id}`: a playbook as defined in its file. @public */
export interface PlaybookDefinition extends Playbook {
  /** The file it was loaded from, relative to the playbooks folder. */
  file?: string;
  /** The ticket types that run it. */
  ticketTypes?: string[];
  /** What requestors said on the tickets it was run on. */
  surveys?: SurveyFigures;
}

/** The Incident Ops backend, as the frontend sees it. @public */
export interface IncidentOpsApi {
  getEntityIncidents(
    entityRef: string,
    options?: { status?: 'open' | 'all' },
  ): Promise<EntityIncidentsResponse>;
  /** One incident with its timeline and clocks. */
  getIncident(number: string): Promise<IncidentDetail>;
  /** The Ops queue: one page of incidents with their SLA clocks and legal transitions. */
  getQueue(query?: QueueQuery): Promise<QueueResponse>;
  /**
   * Moves an incident through the workflow (permission incident-ops.incident.transition);
   * 409 when the move is not allowed now, 400 when resolving without a note.
   */
  transition(
    number: string,
    body: {
      to: IncidentStatus;
      note?: string;
      closeCode?: string;
      /** Resolve although a playbook verification step is not verified. */
      overrideReason?: string;
    },
  ): Promise<TransitionResponse>;
  /** Escalates one tier up (permission incident-ops.incident.escalate). */
  escalate(
    number: string,
    body: { trigger: EscalationTrigger; note: string },
  ): Promise<EscalateResponse>;
  /** Write-backs to the sources, newest first. */
  getOutbox(options?: {
    status?: string;
    failing?: boolean;
    limit?: number;
  }): Promise<{ items: OutboxItem[] }>;
  /** Knowledge articles for an incident, best first (recorded as shown on it). */
  getKbSuggestions(number: string): Promise<KnowledgeSuggestions>;
  /** Marks a suggested article helpful or not (permission incident-ops.kb.feedback). */
  sendKbFeedback(
    number: string,
    body: { articleId: string; helpful: boolean; note?: string },
  ): Promise<KnowledgeFeedbackResponse>;
  /** The incident's playbook, filled from it, with each step's state. */
  getPlaybook(number: string): Promise<PlaybookRunView>;
  /** Starts a playbook run (permission incident-ops.playbook.run). */
  startPlaybook(
    number: string,
    body?: {
      playbookId?: string;
      values?: Record<string, string>;
      replace?: boolean;
    },
  ): Promise<PlaybookRunView>;
  /** Records a step's outcome (permission incident-ops.playbook.run). */
  recordPlaybookStep(
    number: string,
    stepId: string,
    body: {
      status: PlaybookStepStatus;
      note?: string;
      values?: Record<string, string>;
    },
  ): Promise<PlaybookRunView>;
  /** The incident's communication cadence, updates and notifications. */
  getCommunications(number: string): Promise<CommunicationsView>;
  /** Records and sends an update or the post-mortem (permission incident-ops.incident.communicate). */
  postUpdate(
    number: string,
    body: { kind?: 'update' | 'post-mortem'; message: string; link?: string },
  ): Promise<unknown>;
  /** Across incidents, the next communication each owes, soonest first. */
  getCommunicationsDue(options?: {
    limit?: number;
  }): Promise<{ at: string; overdue: number; items: CommunicationDue[] }>;
  /** Vendor cases on an incident, newest first. */
  getVendorEngagements(
    number: string,
  ): Promise<{ items: VendorEngagementView[] }>;
  /** Records a case opened with a vendor (permission incident-ops.vendor-engagement.manage). */
  openVendorEngagement(
    number: string,
    body: {
      vendor: 'tanzu' | 'aws';
      caseId: string;
      responseSlaMinutes?: number;
      note?: string;
    },
  ): Promise<{ engagement: VendorEngagementView }>;
  /** Records the vendor's first response (permission incident-ops.vendor-engagement.manage). */
  recordVendorResponse(
    number: string,
    id: number,
    body: { note?: string },
  ): Promise<{ engagement: VendorEngagementView }>;
  /** The state of each incident source's sync. */
  getSyncStatus(): Promise<SyncStatusResponse>;
  /** Source records that could not be mapped, newest first. */
  getQuarantine(options?: {
    provider?: string;
    limit?: number;
  }): Promise<QuarantineResponse>;
  /**
   * Starts a sync now, with one provider or all that can sync on demand. Needs the
   * `incident-ops.sync.run` permission (403 otherwise); 409 when a sync is already running.
   */
  triggerSync(provider?: string): Promise<TriggerSyncResponse>;
  /** Who is reached about an entity, level by level, inherited service → namespace → cluster. */
  getContacts(entityRef: string): Promise<ContactTree>;
  /** Every cluster and namespace × the five accountable roles, with the gaps. */
  getOwnershipMatrix(): Promise<OwnershipMatrix>;
  /**
   * A weekly, monthly or quarterly report (`period` like 2026-W47, 2026-11, 2026-Q4; the
   * last complete one without it). 400 for a period that does not exist.
   */
  getReport(kind: ReportKind, period?: string): Promise<ReportResponse>;
  /** The same report as CSV. */
  getReportCsv(kind: ReportKind, period: string): Promise<string>;
  /** One knowledge article by its number or repository id; 404 when there is none. */
  getKnowledgeArticle(id: string): Promise<KnowledgeArticleView>;
  /** The playbooks and the ticket type → playbook mapping. */
  listPlaybooks(): Promise<PlaybookList>;
  /** One playbook as defined in its file; 404 when there is none. */
  getPlaybookDefinition(id: string): Promise<PlaybookDefinition>;
  /**
   * The requestor's post-resolution survey on an incident, whether the signed-in user is its
   * requestor, and whether it can be answered or changed now.
   */
  getSurvey(number: string): Promise<IncidentSurveyView>;
  /**
   * Answers the survey, or changes the answer within a week of the first one (the
   * requestor, or someone with `incident-ops.survey.record` on their behalf); 409 when the
   * incident is not resolved or the answer is final.
   */
  submitSurvey(
    number: string,
    body: { rating: number; comment?: string },
  ): Promise<{ survey: IncidentSurvey }>;
}

/** @public */
export const incidentOpsApiRef = createApiRef<IncidentOpsApi>({
  id: 'plugin.incident-ops.service',
});

const REPORT_PARAM: Record<ReportKind, string> = {
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
};

function reportPath(kind: ReportKind, period?: string) {
  const query = period
    ? `?${new URLSearchParams({ [REPORT_PARAM[kind]]: period })}`
    : '';
  return `/reports/${kind}${query}`;
}

/** Talks to /api/incident-ops with the signed-in user's credentials. @public */
export class IncidentOpsClient implements IncidentOpsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async getEntityIncidents(
    entityRef: string,
    options?: { status?: 'open' | 'all' },
  ) {
    const query = new URLSearchParams({ entityRef });
    if (options?.status) query.set('status', options.status);
    return this.get<EntityIncidentsResponse>(`/incidents?${query}`);
  }

  async getIncident(number: string) {
    return this.get<IncidentDetail>(`/incidents/${encodeURIComponent(number)}`);
  }

  async getQueue(query: QueueQuery = {}) {
    const params = new URLSearchParams();
    for (const key of ['priority', 'tier', 'status', 'ticketType'] as const) {
      for (const v of query[key] ?? []) params.append(key, v);
    }
    for (const key of [
      'cluster',
      'entityRef',
      'sort',
      'limit',
      'offset',
    ] as const) {
      const v = query[key];
      if (v !== undefined && v !== '') params.set(key, String(v));
    }
    const qs = params.toString();
    return this.get<QueueResponse>(`/queue${qs ? `?${qs}` : ''}`);
  }

  async transition(
    number: string,
    body: {
      to: IncidentStatus;
      note?: string;
      closeCode?: string;
      overrideReason?: string;
    },
  ) {
    return this.post<TransitionResponse>(
      `/incidents/${encodeURIComponent(number)}/transitions`,
      body,
    );
  }

  async escalate(
    number: string,
    body: { trigger: EscalationTrigger; note: string },
  ) {
    return this.post<EscalateResponse>(
      `/incidents/${encodeURIComponent(number)}/escalations`,
      body,
    );
  }

  async getOutbox(
    options: { status?: string; failing?: boolean; limit?: number } = {},
  ) {
    const params = new URLSearchParams();
    if (options.status) params.set('status', options.status);
    if (options.failing !== undefined) {
      params.set('failing', String(options.failing));
    }
    if (options.limit !== undefined) params.set('limit', String(options.limit));
    const qs = params.toString();
    return this.get<{ items: OutboxItem[] }>(
      `/sync/outbox${qs ? `?${qs}` : ''}`,
    );
  }
  async getKbSuggestions(number: string) {
    return this.get<KnowledgeSuggestions>(
      `/kb/suggestions?${new URLSearchParams({ incident: number })}`,
    );
  }

  async sendKbFeedback(
    number: string,
    body: { articleId: string; helpful: boolean; note?: string },
  ) {
    return this.post<KnowledgeFeedbackResponse>(
      `${this.incidentPath(number)}/kb-feedback`,
      body,
    );
  }

  async getPlaybook(number: string) {
    return this.get<PlaybookRunView>(`${this.incidentPath(number)}/playbook`);
  }

  async startPlaybook(
    number: string,
    body: {
      playbookId?: string;
      values?: Record<string, string>;
      replace?: boolean;
    } = {},
  ) {
    return this.post<PlaybookRunView>(
      `${this.incidentPath(number)}/playbook`,
      body,
    );
  }

  async recordPlaybookStep(
    number: string,
    stepId: string,
    body: {
      status: PlaybookStepStatus;
      note?: string;
      values?: Record<string, string>;
    },
  ) {
    return this.post<PlaybookRunView>(
      `${this.incidentPath(number)}/playbook/steps/${encodeURIComponent(
        stepId,
      )}`,
      body,
    );
  }

  async getCommunications(number: string) {
    return this.get<CommunicationsView>(
      `${this.incidentPath(number)}/communications`,
    );
  }

  async postUpdate(
    number: string,
    body: { kind?: 'update' | 'post-mortem'; message: string; link?: string },
  ) {
    return this.post<unknown>(`${this.incidentPath(number)}/updates`, body);
  }

  async getCommunicationsDue(options: { limit?: number } = {}) {
    const qs =
      options.limit !== undefined ? `?limit=${Number(options.limit)}` : '';
    return this.get<{ at: string; overdue: number; items: CommunicationDue[] }>(
      `/communications/due${qs}`,
    );
  }

  async getVendorEngagements(number: string) {
    return this.get<{ items: VendorEngagementView[] }>(
      `${this.incidentPath(number)}/vendor-engagements`,
    );
  }

  async openVendorEngagement(
    number: string,
    body: {
      vendor: 'tanzu' | 'aws';
      caseId: string;
      responseSlaMinutes?: number;
      note?: string;
    },
  ) {
    return this.post<{ engagement: VendorEngagementView }>(
      `${this.incidentPath(number)}/vendor-engagements`,
      body,
    );
  }

  async recordVendorResponse(
    number: string,
    id: number,
    body: { note?: string },
  ) {
    return this.request<{ engagement: VendorEngagementView }>(
      `${this.incidentPath(number)}/vendor-engagements/${id}`,
      {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
  }

  private incidentPath(number: string) {
    return `/incidents/${encodeURIComponent(number)}`;
  }

  async getSyncStatus() {
    return this.get<SyncStatusResponse>('/sync/status');
  }

  async getQuarantine(options?: { provider?: string; limit?: number }) {
    const query = new URLSearchParams();
    if (options?.provider) query.set('provider', options.provider);
    if (options?.limit !== undefined) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.get<QuarantineResponse>(
      `/sync/quarantine${qs ? `?${qs}` : ''}`,
    );
  }

  async triggerSync(provider?: string) {
    const query = provider
      ? `?${new URLSearchParams({ provider }).toString()}`
      : '';
    return this.request<TriggerSyncResponse>(`/sync${query}`, {
      method: 'POST',
    });
  }

  async getContacts(entityRef: string) {
    return this.get<ContactTree>(
      `/contacts?${new URLSearchParams({ entityRef })}`,
    );
  }

  async getOwnershipMatrix() {
    return this.get<OwnershipMatrix>('/ownership-matrix');
  }

  async getReport(kind: ReportKind, period?: string) {
    return this.get<ReportResponse>(reportPath(kind, period));
  }

  async getReportCsv(kind: ReportKind, period: string) {
    const base = await this.deps.discoveryApi.getBaseUrl('incident-ops');
    const res = await this.deps.fetchApi.fetch(
      `${base}${reportPath(kind, period)}&format=csv`,
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res.text();
  }

  async getKnowledgeArticle(id: string) {
    return this.get<KnowledgeArticleView>(
      `/kb/articles/${encodeURIComponent(id)}`,
    );
  }

  async listPlaybooks() {
    return this.get<PlaybookList>('/playbooks');
  }

  async getPlaybookDefinition(id: string) {
    return this.get<PlaybookDefinition>(`/playbooks/${encodeURIComponent(id)}`);
  }

  async getSurvey(number: string) {
    return this.get<IncidentSurveyView>(
      `/incidents/${encodeURIComponent(number)}/survey`,
    );
  }

  async submitSurvey(
    number: string,
    body: { rating: number; comment?: string },
  ) {
    return this.post<{ survey: IncidentSurvey }>(
      `/incidents/${encodeURIComponent(number)}/survey`,
      body,
    );
  }

  private async get<T>(path: string): Promise<T> {
    return this.request<T>(path);
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('incident-ops');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, init);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
