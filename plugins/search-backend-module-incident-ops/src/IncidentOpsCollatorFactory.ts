import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { incidentOpsIncidentReadPermission } from '@acme/plugin-incident-ops-common';
import type {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import { Readable } from 'stream';

/** Reads a path of the incident-ops API (e.g. `/kb/articles?limit=500`) as JSON. @public */
export type IncidentOpsApiRead = (path: string) => Promise<any>;

/**
 * One kind of incident-ops document in Backstage search: its index type and how to read its
 * documents through the incident-ops API. Knowledge articles are one; add playbooks the same
 * way (see `sources.ts`).
 * @public
 */
export interface IncidentOpsSearchSource {
  /** The search index type, e.g. `incident-ops-kb`. */
  type: string;
  read(api: IncidentOpsApiRead): AsyncIterable<IndexableDocument>;
}

/**
 * A collator for one incident-ops search source. It reads through the plugin's REST API
 * with a service token (as Backstage's own collators do), so search needs no access to the
 * plugin's database. Documents are visible to those who may read incidents.
 * @public
 */
export class IncidentOpsCollatorFactory implements DocumentCollatorFactory {
  readonly type: string;
  readonly visibilityPermission = incidentOpsIncidentReadPermission;

  constructor(
    private readonly options: {
      source: IncidentOpsSearchSource;
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {
    this.type = options.source.type;
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.options.source.read(path => this.get(path)));
  }

  private async get(path: string) {
    const { discovery, auth } = this.options;
    const baseUrl = await discovery.getBaseUrl('incident-ops');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'incident-ops',
    });
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) {
      throw new Error(
        `incident-ops search: GET ${path} failed with ${res.status} ${res.statusText}`,
      );
    }
    return res.json();
  }
}
