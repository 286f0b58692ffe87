import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { SourceIncident } from '@acme/plugin-incident-ops-common';

/** What a sync run stored. @public */
export interface ApplyIncidentsResult {
  /** Inserted or updated. */
  stored: number;
  /** Ignored because the store already holds the same or a newer version. */
  unchanged: number;
}

/** One sync run of a provider, as reported to the plugin. @public */
export interface IncidentSyncReport {
  startedAt: Date;
  finishedAt: Date;
  fetched: number;
  stored: number;
  quarantined: number;
  error?: string;
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
  /** A value the provider keeps between runs (e.g. its sync watermark). */
  getCursor(): Promise<string | undefined>;
  setCursor(cursor: string): Promise<void>;
  /** Records the outcome of a run, for `GET /sync/status`. */
  reportSync(report: IncidentSyncReport): Promise<void>;
}

/**
 * An incident source, such as ServiceNow. Providers schedule their own runs (with the
 * scheduler service) and push through the connection.
 * @public
 */
export interface IncidentProvider {
  /** A unique name, stored with every incident, e.g. `servicenow`. */
  getProviderName(): string;
  connect(connection: IncidentProviderConnection): Promise<void>;
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
