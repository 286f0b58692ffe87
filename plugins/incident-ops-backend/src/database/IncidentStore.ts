import type { IncidentRestriction } from './restriction';
import type {
  Incident,
  KnowledgeArticle,
} from '@acme/plugin-incident-ops-common';
import type {
  ApplyIncidentsResult,
  IncidentSyncReport,
  QuarantinedRecord,
  ReconcileResult,
} from '@acme/plugin-incident-ops-node';

/** The sync state of one provider. */
export interface ProviderState {
  provider: string;
  cursor?: string;
  lastRun?: IncidentSyncReport;
  /** End of the last complete window: everything before it has been read. */
  windowEnd?: Date;
  /** `refused`: why it removed nothing (too large a share of the stored ones missing). */
  lastReconciliation?: { at: Date; removed: number; refused?: string };
  quarantined: number;
}

/** A quarantined record as stored. */
export interface StoredQuarantinedRecord extends QuarantinedRecord {
  source: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  occurrences: number;
}

/** Stored incidents and sync state. */
export interface IncidentStore {
  /**
   * Upserts incidents by (source, id), newer versions only; `inserted` names the ids it had
   * not held before. Long text is cut with a marker; a record whose identifiers do not fit
   * their columns is quarantined instead (`quarantined`).
   */
  upsertIncidents(
    incidents: Incident[],
  ): Promise<ApplyIncidentsResult & { inserted: string[] }>;
  /** Upserts articles by (source, id), newer versions only. */
  upsertKnowledgeArticles(
    articles: KnowledgeArticle[],
  ): Promise<ApplyIncidentsResult>;
  /** Articles, published ones only unless `state` says otherwise, by number. */
  listKnowledgeArticles(options: {
    state?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: KnowledgeArticle[]; total: number }>;
  quarantine(
    source: string,
    records: QuarantinedRecord[],
    now: Date,
  ): Promise<void>;
  listQuarantine(options: {
    source?: string;
    limit: number;
  }): Promise<StoredQuarantinedRecord[]>;
  /**
   * Marks the source's stored incidents missing from `presentIds` removed, and un-marks
   * those back; removes none when more than `maxRemovalShare` of them would go.
   */
  reconcile(
    source: string,
    presentIds: Iterable<string>,
    now: Date,
    options?: { maxRemovalShare?: number },
  ): Promise<ReconcileResult>;
  /**
   * Incidents not removed at the source whose CMDB CI id or name is one of `ciKeys`, or whose
   * text mentions one of `mentioning` (case-insensitively, as a whole word when the name is
   * one the mention index holds, else as a substring: callers check word boundaries),
   * open first, most urgent first.
   */
  listIncidentsByCi(
    ciKeys: string[],
    options: {
      openOnly: boolean;
      limit: number;
      mentioning?: string[];
      /** Only what a reader may see (see restriction.ts). */
      restrict?: IncidentRestriction;
    },
  ): Promise<Incident[]>;
  getIncidentByNumber(number: string): Promise<Incident | undefined>;
  /** Which of these incidents a reader restricted so may see. */
  visibleNumbers(
    numbers: string[],
    restrict: IncidentRestriction,
  ): Promise<Set<string>>;
  getProviderState(provider: string): Promise<ProviderState | undefined>;
  listProviderStates(): Promise<ProviderState[]>;
  setCursor(provider: string, cursor: string): Promise<void>;
  /**
   * Takes the lease on a provider's task until `until`, or renews it for its holder; false
   * while another holder's lease has not expired.
   */
  takeLease(
    provider: string,
    task: string,
    holder: string,
    now: Date,
    until: Date,
  ): Promise<boolean>;
  releaseLease(provider: string, task: string, holder: string): Promise<void>;
  reportSync(provider: string, report: IncidentSyncReport): Promise<void>;
}
