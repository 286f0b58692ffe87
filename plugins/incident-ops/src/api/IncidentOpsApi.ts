import {
  DiscoveryApi,
  FetchApi,
  createApiRef,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ContactTree,
  EntityIncidentsResponse,
  Incident,
  OwnershipMatrix,
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

/** The Incident Ops backend, as the frontend sees it. @public */
export interface IncidentOpsApi {
  getEntityIncidents(
    entityRef: string,
    options?: { status?: 'open' | 'all' },
  ): Promise<EntityIncidentsResponse>;
  getIncident(number: string): Promise<Incident>;
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
}

/** @public */
export const incidentOpsApiRef = createApiRef<IncidentOpsApi>({
  id: 'plugin.incident-ops.service',
});

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
    return this.get<Incident>(`/incidents/${encodeURIComponent(number)}`);
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

  private async get<T>(path: string): Promise<T> {
    return this.request<T>(path);
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
