import type { Incident } from '@acme/plugin-incident-ops-common';
import type {
  ApplyIncidentsResult,
  IncidentSyncReport,
} from '@acme/plugin-incident-ops-node';

/** The sync state of one provider. */
export interface ProviderState {
  provider: string;
  cursor?: string;
  lastRun?: IncidentSyncReport;
}

/** Stored incidents and sync state. */
export interface IncidentStore {
  /** Upserts by (source, id); never replaces a newer version with an older one. */
  upsertIncidents(incidents: Incident[]): Promise<ApplyIncidentsResult>;
  /** Incidents whose CMDB CI id or name is one of `ciKeys`, most urgent first. */
  listIncidentsByCi(
    ciKeys: string[],
    options: { openOnly: boolean; limit: number },
  ): Promise<Incident[]>;
  getIncidentByNumber(number: string): Promise<Incident | undefined>;
  getProviderState(provider: string): Promise<ProviderState | undefined>;
  listProviderStates(): Promise<ProviderState[]>;
  setCursor(provider: string, cursor: string): Promise<void>;
  reportSync(provider: string, report: IncidentSyncReport): Promise<void>;
}
