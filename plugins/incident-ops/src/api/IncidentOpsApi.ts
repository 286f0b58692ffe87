// openapi-fetch names its methods after the HTTP verbs: api.GET(...), api.POST(...)
/* eslint-disable new-cap */
import {
  DiscoveryApi,
  FetchApi,
  createApiRef,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ContactTree,
  EntityIncidentsResponse,
  IncidentOpsApiPaths,
  IncidentSurvey,
  IncidentSurveyView,
  OwnershipMatrix,
  QueueResponse,
  ReportKind,
  ReportResponse,
} from '@acme/plugin-incident-ops-common';
import createClient, { type Client as OpenApiClient } from 'openapi-fetch';
import type {
  CommunicationDue,
  CommunicationsView,
  DeflectionRequest,
  DeflectionResponse,
  EscalateResponse,
  IncidentDetail,
  IncidentDraft,
  IncidentDraftPreview,
  KnowledgeArticleView,
  KnowledgeFeedbackResponse,
  KnowledgeSuggestions,
  NotificationRecord,
  OutboxItem,
  OutboxItemSettled,
  PlaybookDefinition,
  PlaybookList,
  PlaybookRunView,
  QuarantineResponse,
  QueryOf,
  QueueQuery,
  ReportIncidentRequest,
  IncidentReport,
  RequestOf,
  SyncStatusResponse,
  TransitionResponse,
  TriggerSyncResponse,
  UnmappedGroup,
  VendorEngagementView,
} from './types';

export type {
  ArticleFeedbackFigures,
  CommunicationDue,
  CommunicationsView,
  DeflectionRequest,
  DeflectionResponse,
  EscalateResponse,
  EscalationTrigger,
  IncidentDetail,
  IncidentDraft,
  IncidentDraftPreview,
  KnowledgeArticleView,
  KnowledgeFeedbackResponse,
  KnowledgeSuggestion,
  KnowledgeSuggestions,
  NotificationRecord,
  OutboxItem,
  OutboxItemSettled,
  PlaybookDefinition,
  PlaybookList,
  PlaybookRunView,
  ProviderSyncStatus,
  QuarantinedRecord,
  QuarantineResponse,
  QueryOf,
  QueueQuery,
  ReportIncidentRequest,
  IncidentReport,
  RequestOf,
  SyncRun,
  SyncStatusResponse,
  TimelineEntry,
  TransitionResponse,
  TriggerSyncResponse,
  UnmappedGroup,
  VendorEngagementView,
} from './types';

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
   * What a report being written would become: its priority, tier and cadence, the ticket
   * type the classifier sees, the knowledge articles and playbook for it. Nothing is saved.
   */
  previewIncidentDraft(draft: IncidentDraft): Promise<IncidentDraftPreview>;
  /**
   * Reports an incident (permission incident-ops.incident.create); it is queued and filed in
   * the incident source. Sending the same `clientKey` again is safe: it answers the first
   * report. 400 with what is wrong for bad input.
   */
  reportIncident(
    body: ReportIncidentRequest,
  ): Promise<{ incident: IncidentReport }>;
  /** A reported incident's state: queued, filed (with its number) or refused. */
  getIncidentReport(clientKey: string): Promise<{ incident: IncidentReport }>;
  /** Records that an article solved what was being reported, so no ticket was filed. */
  recordDeflection(body: DeflectionRequest): Promise<DeflectionResponse>;
  /**
   * Moves an incident through the workflow (permission incident-ops.incident.transition);
   * 409 when the move is not allowed now, 400 when resolving without a note. An
   * `overrideReason` resolves although a playbook verification step is not verified.
   */
  transition(
    number: string,
    body: RequestOf<'TransitionIncident'>,
  ): Promise<TransitionResponse>;
  /** Escalates one tier up (permission incident-ops.incident.escalate). */
  escalate(
    number: string,
    body: RequestOf<'EscalateIncident'>,
  ): Promise<EscalateResponse>;
  /** Write-backs to the sources, newest first. */
  getOutbox(options?: QueryOf<'GetOutbox'>): Promise<{ items: OutboxItem[] }>;
  /**
   * Re-queues a refused write-back, due now with its attempts reset (permission
   * incident-ops.sync.admin); 404 for an unknown id, 409 when it is not refused.
   */
  requeueOutboxItem(id: number): Promise<OutboxItemSettled>;
  /**
   * Gives a refused write-back up for good, so later ones to its incident go on (permission
   * incident-ops.sync.admin); 404 for an unknown id, 409 when it is not refused.
   */
  discardOutboxItem(id: number): Promise<OutboxItemSettled>;
  /** The notification outbox, newest first, or its rows in one state (e.g. `refused`). */
  getNotificationOutbox(
    options?: QueryOf<'GetNotificationOutbox'>,
  ): Promise<{ items: NotificationRecord[] }>;
  /** Re-queues a refused notification (as requeueOutboxItem). */
  requeueNotification(id: number): Promise<OutboxItemSettled>;
  /** Gives a refused notification up for good (as discardOutboxItem). */
  discardNotification(id: number): Promise<OutboxItemSettled>;
  /** Knowledge articles for an incident, best first (recorded as shown on it). */
  getKbSuggestions(number: string): Promise<KnowledgeSuggestions>;
  /** Records that the signed-in user was shown the incident's suggestions (once per user). */
  recordKbViews(number: string): Promise<void>;
  /** Marks a suggested article helpful or not (permission incident-ops.kb.feedback). */
  sendKbFeedback(
    number: string,
    body: RequestOf<'PostKnowledgeFeedback'>,
  ): Promise<KnowledgeFeedbackResponse>;
  /** The incident's playbook, filled from it, with each step's state. */
  getPlaybook(number: string): Promise<PlaybookRunView>;
  /** Starts a playbook run (permission incident-ops.playbook.run). */
  startPlaybook(
    number: string,
    body?: RequestOf<'StartIncidentPlaybook'>,
  ): Promise<PlaybookRunView>;
  /** Records a step's outcome (permission incident-ops.playbook.run). */
  recordPlaybookStep(
    number: string,
    stepId: string,
    body: RequestOf<'RecordPlaybookStep'>,
  ): Promise<PlaybookRunView>;
  /** The incident's communication cadence, updates and notifications. */
  getCommunications(number: string): Promise<CommunicationsView>;
  /** Records and sends an update or the post-mortem (permission incident-ops.incident.communicate). */
  postUpdate(
    number: string,
    body: RequestOf<'PostIncidentUpdate'>,
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
    body: RequestOf<'OpenVendorEngagement'>,
  ): Promise<{ engagement: VendorEngagementView }>;
  /** Records the vendor's first response (permission incident-ops.vendor-engagement.manage). */
  recordVendorResponse(
    number: string,
    id: number,
    body: RequestOf<'RecordVendorResponse'>,
  ): Promise<{ engagement: VendorEngagementView }>;
  /** The state of each incident source's sync. */
  getSyncStatus(): Promise<SyncStatusResponse>;
  /**
   * Assignment groups that map to no tier, and tickets with no group, with their open
   * tickets (at L1 for triage), most first.
   */
  getUnmappedGroups(): Promise<{ items: UnmappedGroup[] }>;
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
    body: RequestOf<'SubmitIncidentSurvey'>,
  ): Promise<{ survey: IncidentSurvey }>;
}

/** @public */
export const incidentOpsApiRef = createApiRef<IncidentOpsApi>({
  id: 'plugin.incident-ops.service',
});

/** The client openapi-fetch makes from the spec's paths, for JSON responses. */
type Client = OpenApiClient<IncidentOpsApiPaths, 'application/json'>;

/**
 * Query parameters as the backend reads them: a list repeats its name, and absent or empty
 * values are left out.
 */
function toQueryString(query: Record<string, unknown>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      for (const v of value) params.append(key, String(v));
    } else if (value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  return params.toString();
}

/**
 * Talks to /api/incident-ops with the signed-in user's credentials, through a client typed
 * by the OpenAPI spec (openapi-fetch). Error responses throw a ResponseError.
 * @public
 */
export class IncidentOpsClient implements IncidentOpsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  /**
   * The body of what `request` asks the typed client for, at the plugin's base URL now;
   * the client's fetch throws on error responses.
   */
  private async call<T>(
    request: (api: Client) => Promise<{ data?: T }>,
  ): Promise<T> {
    const { data } = await request(await this.client());
    return data as T;
  }

  private async client(): Promise<Client> {
    const { discoveryApi, fetchApi } = this.deps;
    return createClient<IncidentOpsApiPaths, 'application/json'>({
      baseUrl: await discoveryApi.getBaseUrl('incident-ops'),
      querySerializer: toQueryString,
      // Backstage's fetch middlewares each build a new Request from what they are given; a
      // Request whose body was read by the first cannot be copied again (browsers throw
      // "Cannot construct a Request with a Request object that has already been used"), so
      // they get its URL and a plain init with the body as text.
      fetch: async request => {
        const body =
          request.method === 'GET' || request.method === 'HEAD'
            ? undefined
            : await request.text();
        const response = await fetchApi.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: body || undefined,
          signal: request.signal,
        });
        if (!response.ok) {
          throw await ResponseError.fromResponse(response);
        }
        return response;
      },
    });
  }

  async getEntityIncidents(
    entityRef: string,
    options?: { status?: 'open' | 'all' },
  ) {
    return this.call(api =>
      api.GET('/incidents', {
        params: { query: { entityRef, status: options?.status } },
      }),
    );
  }

  async getIncident(number: string) {
    return this.call(api =>
      api.GET('/incidents/{number}', { params: { path: { number } } }),
    );
  }

  async getQueue(query: QueueQuery = {}) {
    const { priority, tier, status, ticketType, cluster, entityRef } = query;
    const { sort, limit, offset } = query;
    // the lists first, whatever order the query came in
    const ordered = { priority, tier, status, ticketType, cluster, entityRef };
    return this.call(api =>
      api.GET('/queue', {
        params: { query: { ...ordered, sort, limit, offset } },
      }),
    );
  }

  async previewIncidentDraft(draft: IncidentDraft) {
    return this.call(api => api.POST('/incidents/drafts', { body: draft }));
  }

  async reportIncident(body: ReportIncidentRequest) {
    return this.call(api => api.POST('/incidents', { body }));
  }

  async getIncidentReport(clientKey: string) {
    return this.call(api =>
      api.GET('/incidents/reports/{clientKey}', {
        params: { path: { clientKey } },
      }),
    );
  }

  async recordDeflection(body: DeflectionRequest) {
    return this.call(api => api.POST('/kb/deflections', { body }));
  }

  async transition(number: string, body: RequestOf<'TransitionIncident'>) {
    return this.call(api =>
      api.POST('/incidents/{number}/transitions', {
        params: { path: { number } },
        body,
      }),
    );
  }

  async escalate(number: string, body: RequestOf<'EscalateIncident'>) {
    return this.call(api =>
      api.POST('/incidents/{number}/escalations', {
        params: { path: { number } },
        body,
      }),
    );
  }

  async getOutbox(options: QueryOf<'GetOutbox'> = {}) {
    const { status, failing, limit } = options;
    return this.call(api =>
      api.GET('/sync/outbox', {
        params: { query: { status, failing, limit } },
      }),
    );
  }

  async requeueOutboxItem(id: number) {
    return this.call(api =>
      api.POST('/sync/outbox/{id}/requeue', { params: { path: { id } } }),
    );
  }

  async discardOutboxItem(id: number) {
    return this.call(api =>
      api.POST('/sync/outbox/{id}/discard', { params: { path: { id } } }),
    );
  }

  async getNotificationOutbox(options: QueryOf<'GetNotificationOutbox'> = {}) {
    const { status, limit } = options;
    return this.call(api =>
      api.GET('/notifications/outbox', {
        params: { query: { status, limit } },
      }),
    );
  }

  async requeueNotification(id: number) {
    return this.call(api =>
      api.POST('/notifications/outbox/{id}/requeue', {
        params: { path: { id } },
      }),
    );
  }

  async discardNotification(id: number) {
    return this.call(api =>
      api.POST('/notifications/outbox/{id}/discard', {
        params: { path: { id } },
      }),
    );
  }

  async getKbSuggestions(number: string) {
    return this.call(api =>
      api.GET('/kb/suggestions', { params: { query: { incident: number } } }),
    );
  }

  async recordKbViews(number: string) {
    await this.call(api =>
      api.POST('/incidents/{number}/kb-views', {
        params: { path: { number } },
      }),
    );
  }

  async sendKbFeedback(
    number: string,
    body: RequestOf<'PostKnowledgeFeedback'>,
  ) {
    return this.call(api =>
      api.POST('/incidents/{number}/kb-feedback', {
        params: { path: { number } },
        body,
      }),
    );
  }

  async getPlaybook(number: string) {
    return this.call(api =>
      api.GET('/incidents/{number}/playbook', { params: { path: { number } } }),
    );
  }

  async startPlaybook(
    number: string,
    body: RequestOf<'StartIncidentPlaybook'> = {},
  ) {
    return this.call(api =>
      api.POST('/incidents/{number}/playbook', {
        params: { path: { number } },
        body,
      }),
    );
  }

  async recordPlaybookStep(
    number: string,
    stepId: string,
    body: RequestOf<'RecordPlaybookStep'>,
  ) {
    return this.call(api =>
      api.POST('/incidents/{number}/playbook/steps/{stepId}', {
        params: { path: { number, stepId } },
        body,
      }),
    );
  }

  async getCommunications(number: string) {
    return this.call(api =>
      api.GET('/incidents/{number}/communications', {
        params: { path: { number } },
      }),
    );
  }

  async postUpdate(number: string, body: RequestOf<'PostIncidentUpdate'>) {
    return this.call(api =>
      api.POST('/incidents/{number}/updates', {
        params: { path: { number } },
        body,
      }),
    );
  }

  async getCommunicationsDue(options: { limit?: number } = {}) {
    return this.call(api =>
      api.GET('/communications/due', {
        params: { query: { limit: options.limit } },
      }),
    );
  }

  async getVendorEngagements(number: string) {
    return this.call(api =>
      api.GET('/incidents/{number}/vendor-engagements', {
        params: { path: { number } },
      }),
    );
  }

  async openVendorEngagement(
    number: string,
    body: RequestOf<'OpenVendorEngagement'>,
  ) {
    return this.call(api =>
      api.POST('/incidents/{number}/vendor-engagements', {
        params: { path: { number } },
        body,
      }),
    );
  }

  async recordVendorResponse(
    number: string,
    id: number,
    body: RequestOf<'RecordVendorResponse'>,
  ) {
    return this.call(api =>
      api.PATCH('/incidents/{number}/vendor-engagements/{id}', {
        params: { path: { number, id } },
        body,
      }),
    );
  }

  async getSyncStatus() {
    return this.call(api => api.GET('/sync/status'));
  }

  async getUnmappedGroups() {
    return this.call(api => api.GET('/sync/unmapped-groups'));
  }

  async getQuarantine(options: { provider?: string; limit?: number } = {}) {
    const { provider, limit } = options;
    return this.call(api =>
      api.GET('/sync/quarantine', { params: { query: { provider, limit } } }),
    );
  }

  async triggerSync(provider?: string) {
    return this.call(api =>
      api.POST('/sync', { params: { query: { provider } } }),
    );
  }

  async getContacts(entityRef: string) {
    return this.call(api =>
      api.GET('/contacts', { params: { query: { entityRef } } }),
    );
  }

  async getOwnershipMatrix() {
    return this.call(api => api.GET('/ownership-matrix'));
  }

  async getReport(kind: ReportKind, period?: string) {
    return this.call(api => {
      if (kind === 'weekly') {
        return api.GET('/reports/weekly', {
          params: { query: { week: period } },
        });
      }
      if (kind === 'monthly') {
        return api.GET('/reports/monthly', {
          params: { query: { month: period } },
        });
      }
      return api.GET('/reports/quarterly', {
        params: { query: { quarter: period } },
      });
    });
  }

  async getReportCsv(kind: ReportKind, period: string) {
    const format = 'csv';
    const parseAs = 'text';
    return this.call(api => {
      if (kind === 'weekly') {
        const query = { week: period, format } as const;
        return api.GET('/reports/weekly', { params: { query }, parseAs });
      }
      if (kind === 'monthly') {
        const query = { month: period, format } as const;
        return api.GET('/reports/monthly', { params: { query }, parseAs });
      }
      const query = { quarter: period, format } as const;
      return api.GET('/reports/quarterly', { params: { query }, parseAs });
    });
  }

  async getKnowledgeArticle(id: string) {
    return this.call(api =>
      api.GET('/kb/articles/{id}', { params: { path: { id } } }),
    );
  }

  async listPlaybooks() {
    return this.call(api => api.GET('/playbooks'));
  }

  async getPlaybookDefinition(id: string) {
    return this.call(api =>
      api.GET('/playbooks/{id}', { params: { path: { id } } }),
    );
  }

  async getSurvey(number: string) {
    return this.call(api =>
      api.GET('/incidents/{number}/survey', { params: { path: { number } } }),
    );
  }

  async submitSurvey(number: string, body: RequestOf<'SubmitIncidentSurvey'>) {
    return this.call(api =>
      api.POST('/incidents/{number}/survey', {
        params: { path: { number } },
        body,
      }),
    );
  }
}
