import type {
  IncidentOpsApiOperations,
  IncidentOpsApiSchema,
} from '@acme/plugin-incident-ops-common';

/**
 * What the frontend reads and sends, by the names the components use: each one is the
 * type the OpenAPI spec (incident-ops-backend's src/schema/openapi.yaml) gives it,
 * generated into @acme/plugin-incident-ops-common.
 */

type Operations = IncidentOpsApiOperations;

/** The JSON body of an operation's response with the status given. */
type ResponseOf<
  O extends keyof Operations,
  S extends number = 200,
> = Operations[O]['responses'] extends Record<
  S,
  { content: { 'application/json': infer T } }
>
  ? T
  : never;

/** The query parameters an operation takes. */
export type QueryOf<O extends keyof Operations> = NonNullable<
  Operations[O]['parameters']['query']
>;

/** The JSON body an operation takes. */
export type RequestOf<O extends keyof Operations> = Operations[O] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

/** One sync run of an incident source, as reported by `GET /sync/status`. @public */
export type SyncRun = IncidentOpsApiSchema<'SyncRun'>;

/**
 * Response of `GET /sync/status`. The page does without `outbox` (the backend always sends
 * it), so it is optional here.
 * @public
 */
export type SyncStatusResponse = Omit<
  IncidentOpsApiSchema<'SyncStatus'>,
  'outbox'
> &
  Partial<Pick<IncidentOpsApiSchema<'SyncStatus'>, 'outbox'>>;

/** The sync state of one incident source (provider), e.g. `servicenow`. @public */
export type ProviderSyncStatus = SyncStatusResponse['providers'][number];

/** One write-back to a source, as `GET /sync/outbox` lists it. @public */
export type OutboxItem = IncidentOpsApiSchema<'OutboxItem'>;

/** A notification outbox row: an event to route, or a delivery to one channel. @public */
export type NotificationRecord = IncidentOpsApiSchema<'NotificationRecord'>;

/** A refused outbox item's new state after an admin re-queued or discarded it. @public */
export type OutboxItemSettled = ResponseOf<'RequeueOutboxItem'>;

/** What happened to an incident, or what the policy decided about it and why. @public */
export type TimelineEntry = IncidentOpsApiSchema<'TimelineEntry'>;

/** `GET /incidents/{number}`: the incident, what happened to it and its clocks now. @public */
export type IncidentDetail = ResponseOf<'GetIncident'>;

/** Filters of the Ops queue; empty lists and absent values mean any. @public */
export type QueueQuery = QueryOf<'GetQueue'>;

/** Triggers a person can escalate with (operational model, III.2 and IV). @public */
export type EscalationTrigger = RequestOf<'EscalateIncident'>['trigger'];

/** Response of `POST /incidents/{number}/escalations`. @public */
export type EscalateResponse = ResponseOf<'EscalateIncident', 201>;

/** Response of `POST /incidents/{number}/transitions`. @public */
export type TransitionResponse = ResponseOf<'TransitionIncident', 201>;

/** Response of `GET /sync/quarantine`. @public */
export type QuarantineResponse = ResponseOf<'GetQuarantine'>;

/** A source record that could not be mapped to an incident. @public */
export type QuarantinedRecord = QuarantineResponse['items'][number];

/**
 * An assignment group that maps to no tier (or, without `group`, no assignment group) with
 * its open tickets, which are at L1 for triage: `GET /sync/unmapped-groups`. @public
 */
export type UnmappedGroup = IncidentOpsApiSchema<'UnmappedGroup'>;

/** Response of `POST /sync`. @public */
export type TriggerSyncResponse = ResponseOf<'TriggerSync', 202>;

/** One knowledge article suggested for an incident, with why it was chosen. @public */
export type KnowledgeSuggestion = IncidentOpsApiSchema<'KnowledgeSuggestion'>;

/** Response of `GET /kb/suggestions?incident=`. @public */
export type KnowledgeSuggestions = IncidentOpsApiSchema<'KnowledgeSuggestions'>;

/** Response of `POST /incidents/{number}/kb-feedback`. @public */
export type KnowledgeFeedbackResponse = ResponseOf<
  'PostKnowledgeFeedback',
  201
>;

/** An incident's playbook, filled from it, with each step's state (`GET .../playbook`). @public */
export type PlaybookRunView = IncidentOpsApiSchema<'PlaybookRunView'>;

/** `GET /incidents/{number}/communications`: the cadence and what was sent. @public */
export type CommunicationsView = ResponseOf<'GetIncidentCommunications'>;

/** One communication an incident owes next (`GET /communications/due`). @public */
export type CommunicationDue =
  ResponseOf<'GetCommunicationsDue'>['items'][number];

/** A case opened with Tanzu or AWS, with its response clock. @public */
export type VendorEngagementView = IncidentOpsApiSchema<'VendorEngagement'>;

/** `GET /kb/articles/{id}`: one knowledge article, repository Markdown or synced. @public */
export type KnowledgeArticleView = IncidentOpsApiSchema<'KnowledgeArticle'>;

/**
 * How often support engineers found an article useful: on how many tickets it was
 * suggested, and on how many it was marked helpful or not (the latest mark per ticket).
 * @public
 */
export type ArticleFeedbackFigures = NonNullable<
  KnowledgeArticleView['feedback']
>;

/** `GET /playbooks`: the playbooks loaded, and which ticket type runs which. @public */
export type PlaybookList = ResponseOf<'GetPlaybooks'>;

/** `GET /playbooks/{id}`: a playbook as defined in its file. @public */
export type PlaybookDefinition = IncidentOpsApiSchema<'Playbook'>;

/** `POST /incidents/drafts`: a report being written, previewed as it is typed. @public */
export type IncidentDraft = IncidentOpsApiSchema<'IncidentDraft'>;

/**
 * What a report being written would become: priority, tier, group, communication cadence,
 * ticket type, CMDB CI, the top knowledge articles and the playbook. @public
 */
export type IncidentDraftPreview = IncidentOpsApiSchema<'IncidentDraftPreview'>;

/** `POST /incidents`: a report, with the key the client made for it once. @public */
export type ReportIncidentRequest = RequestOf<'ReportIncident'>;

/** A reported incident and how far its filing in the incident source got. @public */
export type IncidentReport = IncidentOpsApiSchema<'IncidentReport'>;

/** `POST /kb/deflections`: an article solved what was being reported. @public */
export type DeflectionRequest = RequestOf<'RecordKnowledgeDeflection'>;

/** Response of `POST /kb/deflections`. @public */
export type DeflectionResponse = ResponseOf<'RecordKnowledgeDeflection', 201>;
