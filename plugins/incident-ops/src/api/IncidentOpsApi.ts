import {
  DiscoveryApi,
  FetchApi,
  createApiRef,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityIncidentsResponse,
  Incident,
} from '@acme/plugin-incident-ops-common';

/** The Incident Ops backend, as the frontend sees it. @public */
export interface IncidentOpsApi {
  getEntityIncidents(
    entityRef: string,
    options?: { status?: 'open' | 'all' },
  ): Promise<EntityIncidentsResponse>;
  getIncident(number: string): Promise<Incident>;
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

  private async get<T>(path: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('incident-ops');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
