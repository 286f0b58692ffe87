import type { TicketType } from './classification';
import type { SlaClock } from './clocks';
import type { Priority } from './priority';
import type { IncidentStatus } from './workflow';

/** Support tiers; L3 is the Evangelist tier. @public */
export type Tier = 'L1' | 'L2' | 'L3';

/** @public */
export const TIERS: readonly Tier[] = ['L1', 'L2', 'L3'];

/** A reference to a record in the source system, with its display name. @public */
export interface SourceRef {
  id: string;
  name?: string;
}

/**
 * An incident as a source (ServiceNow) reports it, already mapped to the suite's domain.
 * @public
 */
export interface SourceIncident {
  /** The source system's id (ServiceNow sys_id). */
  id: string;
  /** Ticket number, e.g. INC13076932. */
  number: string;
  shortDescription: string;
  description?: string;
  priority: Priority;
  /** The source's own priority code, e.g. ServiceNow 1–5. */
  sourcePriority?: string;
  impact?: string;
  urgency?: string;
  status: IncidentStatus;
  /** The source's own state and hold reason codes. */
  sourceState: string;
  holdReason?: string;
  category?: string;
  subcategory?: string;
  assignmentGroup?: SourceRef;
  assignedTo?: SourceRef;
  configurationItem?: SourceRef;
  caller?: SourceRef;
  /** ISO 8601 timestamps. */
  openedAt: string;
  resolvedAt?: string;
  closedAt?: string;
  /** When the source last changed the record (ServiceNow sys_updated_on), ISO 8601. */
  sourceUpdatedAt: string;
  /** A counter the source bumps on every write (ServiceNow sys_mod_count). */
  sourceVersion: number;
  /** A link to the ticket in the source's own UI. */
  url?: string;
  /**
   * The key of the report it was filed from, when it was reported in the suite (ServiceNow
   * correlation_id): its provisional row goes when the record itself arrives.
   */
  correlationId?: string;
}

/** An incident as the suite stores and serves it. @public */
export interface Incident extends SourceIncident {
  /** The provider it came from, e.g. `servicenow`. */
  source: string;
  /** The tier its assignment group maps to, if any. */
  tier?: Tier;
  /**
   * Since when it has been at that tier, ISO 8601: its opened_at when the suite first saw it
   * there, else when the suite saw (or made) the change.
   */
  tierEnteredAt?: string;
  /** What kind of ticket it is, and the id of the classification rule that said so. */
  ticketType?: TicketType;
  ticketTypeRule?: string;
  /** When the suite last stored it, ISO 8601. */
  syncedAt: string;
  /** When reconciliation found it gone from the source (deleted or out of scope), ISO 8601. */
  removedAt?: string;
}

/** How an incident on the card relates to the entity being looked at. @public */
export interface IncidentAttachment {
  /** The entity whose CMDB CI the incident names. */
  entityRef: string;
  /**
   * `self`: the entity itself; `dependency`: something the entity depends on (its namespace
   * or cluster); `dependent`: something that depends on it (a namespace of this cluster).
   */
  relation: 'self' | 'dependency' | 'dependent';
  /** `cmdb-ci`: the incident's CMDB CI is the entity's; `mention`: its text names the namespace. */
  by: 'cmdb-ci' | 'mention';
}

/** @public */
export interface EntityIncident extends Incident {
  attachedTo: IncidentAttachment;
  /** Its SLA clock now. */
  sla?: SlaClock;
}

/** Response of `GET /incidents?entityRef=…`. @public */
export interface EntityIncidentsResponse {
  /**
   * The entity, what it runs on, and the entities that depend on it which a listed incident
   * is attached to (a cluster's other namespaces are counted in `scope`, not listed).
   */
  entities: Array<{
    entityRef: string;
    relation: IncidentAttachment['relation'];
    /** The entity's kind and spec.type, e.g. `Resource` / `kubernetes-namespace`. */
    kind: string;
    type?: string;
    configurationItem?: string;
  }>;
  /** The entities looked at, listed or not. */
  scope: {
    entities: number;
    /** How many of them name a CMDB CI (none: nothing is looked up by CI). */
    withConfigurationItem: number;
  };
  items: EntityIncident[];
  totalOpen: number;
}

/** A knowledge article as a source (ServiceNow kb_knowledge) reports it. @public */
export interface SourceKnowledgeArticle {
  id: string;
  /** e.g. KB0012345 */
  number: string;
  title: string;
  /** The article body: plain text (markup removed), or Markdown when `format` says so. */
  text: string;
  /** Default `text`; articles from the repository's knowledge folder are `markdown`. */
  format?: 'text' | 'markdown';
  /** The ticket types it answers; suggestions for a ticket of one of them rank it higher. */
  ticketTypes?: TicketType[];
  /** Words people use for what it covers, beyond its text (ServiceNow meta). */
  tags?: string[];
  /** Articles (by number) it supersedes: they are not suggested while it is published. */
  replaces?: string[];
  /** The playbook its steps belong to (a playbook id). */
  playbook?: string;
  /** Who keeps it right, as a catalog entity ref. */
  owner?: string;
  /** The tiers that normally follow it. */
  tiers?: Tier[];
  category?: string;
  knowledgeBase?: string;
  /** ServiceNow workflow_state: published, draft, review, retired, … */
  workflowState: string;
  /** ISO 8601 date after which the article is no longer valid. */
  validTo?: string;
  viewCount?: number;
  sourceUpdatedAt: string;
  sourceVersion: number;
  url?: string;
}

/** A knowledge article as the suite stores and serves it. @public */
export interface KnowledgeArticle extends SourceKnowledgeArticle {
  source: string;
  syncedAt: string;
}
