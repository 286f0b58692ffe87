import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  IncidentStatus,
  SourceIncident,
  SourceKnowledgeArticle,
} from '@acme/plugin-incident-ops-common';

/** What a sync run stored. @public */
export interface ApplyIncidentsResult {
  /** Inserted or updated. */
  stored: number;
  /** Ignored because the store already holds the same or a newer version. */
  unchanged: number;
  /**
   * Quarantined by the plugin instead of stored: an identifier longer than its column
   * allows (long free text is truncated, with a marker, instead).
   */
  quarantined?: number;
}

/** One sync run of a provider, as reported to the plugin. @public */
export interface IncidentSyncReport {
  startedAt: Date;
  finishedAt: Date;
  fetched: number;
  stored: number;
  quarantined: number;
  /**
   * Source time up to which everything has now been read (the end of the last complete
   * window); how far it lags behind now is the sync's lag.
   */
  windowEnd?: Date;
  error?: string;
}

/** A source record that could not be mapped. @public */
export interface QuarantinedRecord {
  /** The record's id if it has one, else its number, else any stable key. */
  key: string;
  number?: string;
  reason: string;
  /** The record as received. */
  payload: unknown;
}

/** What a reconciliation changed. @public */
export interface ReconcileResult {
  /** Stored incidents the source no longer has (deleted, or out of the sync's scope). */
  removed: number;
  /** Incidents marked removed earlier that the source has again. */
  restored: number;
  /**
   * Why nothing was removed, when the listing would have removed more than the share
   * allowed (an ACL change or a wrong query looks like mass deletion).
   */
  refused?: string;
}

/**
 * Handed to a provider once, at start-up. The provider pushes what it fetched; the plugin
 * owns the store, so every provider gets the same upsert rules.
 * @public
 */
export interface IncidentProviderConnection {
  /**
   * Upserts incidents by id: a version that is not newer (by `sourceVersion`, then
   * `sourceUpdatedAt`) than the stored one is left alone.
   */
  applyIncidents(incidents: SourceIncident[]): Promise<ApplyIncidentsResult>;
  /** Upserts knowledge articles by id, with the same newer-only rule. */
  applyKnowledgeArticles(
    articles: SourceKnowledgeArticle[],
  ): Promise<ApplyIncidentsResult>;
  /**
   * Keeps records that could not be mapped, with the reason, until a good version of the
   * same record is applied.
   */
  quarantine(records: QuarantinedRecord[]): Promise<void>;
  /**
   * Given every id the source has (in the sync's scope), marks the provider's stored
   * incidents that are not among them as removed, and un-marks those that are back.
   */
  reconcile(
    presentIds: Iterable<string>,
    options?: {
      /**
       * The largest share (0 to 1) of the provider's stored incidents this call may mark
       * removed; beyond it none is, and the refusal is kept for `GET /sync/status`.
       */
      maxRemovalShare?: number;
    },
  ): Promise<ReconcileResult>;
  /** A value the provider keeps between runs (e.g. its sync watermark). */
  getCursor(): Promise<string | undefined>;
  setCursor(cursor: string): Promise<void>;
  /** Records the outcome of a run, for `GET /sync/status`. */
  reportSync(report: IncidentSyncReport): Promise<void>;
  /**
   * Takes, or renews, this replica's lease on one of the provider's tasks (e.g. `sync`) for
   * `ms`; false while another replica holds it. A replica that dies holds it only until it
   * expires: keep leases short and renew them while working.
   */
  lease?(task: string, ms: number): Promise<boolean>;
  /** Gives a lease up, when the work is done. */
  releaseLease?(task: string): Promise<void>;
}

/**
 * A change made in the suite (a workflow transition, an escalation) to be written to the
 * source. Delivered from the plugin's outbox until the source accepts it; a retry of a
 * change the source already has must not write it twice.
 * @public
 */
export interface IncidentWriteBack {
  /** Unique per change; providers use it to recognise a change already written. */
  key: string;
  /** The source's id of the incident (ServiceNow sys_id) and its number. */
  id: string;
  number: string;
  /**
   * The record version (ServiceNow sys_mod_count) the suite had when the change was made. A
   * source record that has moved past it was changed there since: the provider must not
   * overwrite it.
   */
  expectedVersion: number;
  /** The new workflow status, if the change sets one. */
  status?: IncidentStatus;
  /** Close code and notes, with status `resolved`. */
  resolution?: { code: string; notes: string };
  /** The assignment group (name or id) to move it to, for escalations. */
  assignmentGroup?: string;
  /** A work note for the record: who did what and why. */
  workNote: string;
}

/** @public */
export type IncidentWriteBackResult =
  | {
      outcome: 'written';
      /** The source's version after this write, when it says (its own writes are no conflict). */
      version?: number;
    }
  /**
   * The change was found in the source already (written by an earlier attempt whose answer
   * was lost, or before a crash); `version` as for `written`, when the source is at the
   * version this write made.
   */
  | { outcome: 'already-written'; version?: number }
  | { outcome: 'conflict'; reason: string }
  /**
   * The source read the change and will not take it (a business rule, a data policy, a
   * missing role): sending it again gets the same answer. `reason` carries the source's own
   * message, and for access refusals the table, the operation and the role needed.
   */
  | { outcome: 'refused'; reason: string };

/**
 * An incident reported in the suite, to be created in the source. Delivered from the plugin's
 * outbox until the source answers; a retry must find the record an earlier attempt created
 * (by `key`) instead of creating a second one.
 * @public
 */
export interface NewIncident {
  /**
   * Unique per report, generated by the reporting client; ServiceNow keeps it in the
   * record's `correlation_id`, which a retry looks up first.
   */
  key: string;
  shortDescription: string;
  description?: string;
  /** 1 High, 2 Medium, 3 Low. */
  impact: string;
  urgency: string;
  category?: string;
  subcategory?: string;
  /** The affected CMDB CI (name or id), from the entity's annotation. */
  configurationItem?: string;
  /** The assignment group (name or id) of the tier its priority goes to. */
  assignmentGroup?: string;
  /**
   * Who reports it: `id` is their user id in the source (ServiceNow sys_user sys_id) when
   * the catalog knows it; without one the provider files it under its configured caller,
   * with the name and email in the description.
   */
  requestedBy: {
    id?: string;
    name: string;
    email?: string;
    entityRef?: string;
  };
}

/** @public */
export type NewIncidentResult =
  | {
      /** `created` now, or `found`: an earlier attempt (whose answer was lost) created it. */
      outcome: 'created' | 'found';
      /** The record as the source has it, mapped as a sync would map it. */
      incident: SourceIncident;
    }
  /** The source read the request and will not take it; sending it again gets the same answer. */
  | { outcome: 'refused'; reason: string };

/**
 * An incident source, such as ServiceNow. Providers schedule their own runs (with the
 * scheduler service) and push through the connection.
 * @public
 */
export interface IncidentProvider {
  /** A unique name, stored with every incident, e.g. `servicenow`. */
  getProviderName(): string;
  connect(connection: IncidentProviderConnection): Promise<void>;
  /**
   * Starts a sync run now (as `POST /sync` asks), through the scheduler so the cluster-wide
   * lock still holds. Throws a ConflictError when one is already running.
   */
  triggerSync?(): Promise<void>;
  /**
   * Writes a change made in the suite to the source. Returns `conflict` when the source has a
   * newer change of its own, `refused` when it will not take the change. Throws on a failure
   * worth retrying; the error may carry `retryAfter: Date`, before which a retry is pointless.
   */
  writeBack?(change: IncidentWriteBack): Promise<IncidentWriteBackResult>;
  /**
   * Creates an incident reported in the suite, exactly once per `key`: looks for a record
   * with the key first, and creates one only when there is none. Returns `refused` when the
   * source will not take it; throws on a failure worth retrying (the error may carry
   * `retryAfter: Date`).
   */
  createIncident?(incident: NewIncident): Promise<NewIncidentResult>;
}

/** @public */
export interface IncidentOpsIncidentProvidersExtensionPoint {
  addIncidentProvider(
    ...providers: Array<IncidentProvider | IncidentProvider[]>
  ): void;
}

/**
 * Where backend modules add incident sources to the incident-ops plugin.
 * @public
 */
export const incidentOpsIncidentProvidersExtensionPoint =
  createExtensionPoint<IncidentOpsIncidentProvidersExtensionPoint>({
    id: 'incident-ops.incident-providers',
  });
