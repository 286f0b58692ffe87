import type {
  CadenceSubject,
  CommunicationPolicy,
  IncidentStatus,
  Priority,
  VendorEngagement,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';

/** An update or post-mortem a person recorded. */
export interface StoredUpdate {
  id: number;
  number: string;
  kind: 'update' | 'post-mortem';
  message: string;
  link?: string;
  actor: string;
  createdAt: string;
}

/** An incident as the cadence sees it. */
export interface CadenceIncident {
  source: string;
  sourceId: string;
  number: string;
  shortDescription: string;
  subject: CadenceSubject;
}

/** A stored vendor engagement, with its incident's priority. */
export interface StoredVendorEngagement extends VendorEngagement {
  priority: Priority;
  responseNote?: string;
  respondedRecordedBy?: string;
}

/** What `recordUpdate` is given. */
export interface RecordUpdateOptions {
  number: string;
  kind: 'update' | 'post-mortem';
  message: string;
  link?: string;
  actor: string;
  now: Date;
}

/** What `openVendorEngagement` is given. */
export interface OpenVendorEngagementOptions {
  number: string;
  vendor: 'tanzu' | 'aws';
  caseId: string;
  openedAt: Date;
  responseSla: number;
  note?: string;
  actor: string;
  now: Date;
}

/** What `recordVendorResponse` is given. */
export interface RecordVendorResponseOptions {
  number: string;
  id: number;
  respondedAt: Date;
  note?: string;
  actor: string;
}

/** What `listVendorEngagements` is given. */
export interface ListVendorEngagementsOptions {
  id?: number;
  number?: string;
  vendor?: string;
  /** `waiting`: no response yet. */
  waiting?: boolean;
  limit?: number;
}

/** A caller's open incidents. */
export interface RequestorIncidents {
  requestor: { id?: string; name: string };
  incidents: Array<{
    number: string;
    priority: Priority;
    status: IncidentStatus;
    shortDescription: string;
    url?: string;
  }>;
}

/** A vendor case not answered by its response deadline. */
export interface VendorBreach {
  id: number;
  source: string;
  sourceId: string;
  number: string;
  priority: Priority;
  vendor: string;
  caseId: string;
  respondBy: string;
}

/** Stakeholder updates, the communication cadence's incidents and vendor engagements. */
export interface CommunicationStore {
  /**
   * Records an update to stakeholders (or the post-mortem) and, in the same transaction,
   * the event that sends it to them. A post-mortem needs the incident resolved (409).
   */
  recordUpdate(options: RecordUpdateOptions): Promise<StoredUpdate>;
  listUpdates(number: string): Promise<StoredUpdate[]>;
  /** One incident for the cadence; undefined if there is none. */
  cadenceIncident(number: string): Promise<CadenceIncident | undefined>;
  /**
   * Incidents with an hourly cadence that are open (or resolved within `recentMs`), and
   * resolved incidents owing a post-mortem resolved within `postMortemMs`, with their
   * history and updates.
   */
  cadenceIncidents(
    policy: CommunicationPolicy,
    now: Date,
    options: {
      recentMs: number;
      postMortemMs: number;
    },
  ): Promise<CadenceIncident[]>;
  /** Open incidents of these priorities opened by `before`, by caller. */
  openByRequestor(
    priorities: Priority[],
    before: Date,
  ): Promise<RequestorIncidents[]>;
  /**
   * Opens a vendor case on an incident and, in the same transaction, the event that tells
   * the vendor liaison, the vendor manager and the vendor's channel. The same vendor case
   * twice is a ConflictError.
   */
  openVendorEngagement(
    options: OpenVendorEngagementOptions,
  ): Promise<StoredVendorEngagement>;
  /**
   * Records the vendor's first response. NotFoundError for an engagement not on that
   * incident; ConflictError when a response is already recorded.
   */
  recordVendorResponse(
    options: RecordVendorResponseOptions,
  ): Promise<StoredVendorEngagement>;
  listVendorEngagements(
    filter: ListVendorEngagementsOptions,
    db?: Knex,
  ): Promise<StoredVendorEngagement[]>;
  /** Engagements the vendor has not answered by their response deadline. */
  vendorBreaches(now: Date): Promise<VendorBreach[]>;
}
