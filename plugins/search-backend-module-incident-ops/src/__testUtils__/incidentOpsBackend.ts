import {
  createBackendModule,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  IncidentProviderConnection,
  incidentOpsIncidentProvidersExtensionPoint,
} from '@acme/plugin-incident-ops-node';
// The real plugin serves the API the collators read; only this test helper imports it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import incidentOpsPlugin from '@acme/plugin-incident-ops-backend';
import {
  IncidentOpsCollatorFactory,
  type IncidentOpsSearchSource,
} from '../IncidentOpsCollatorFactory';

/** A folder at the repository's root, e.g. `knowledge`. */
export function repositoryFolder(name: string): string {
  return resolvePackagePath(
    '@acme/plugin-search-backend-module-incident-ops',
    '..',
    '..',
    name,
  );
}

/**
 * The real incident-ops plugin in a test backend, with the repository's articles and
 * playbooks, and a collator factory for one search source that reads its API. Articles
 * are synced in through `connection`, as a ServiceNow module would.
 */
export async function startIncidentOps(options: {
  source: IncidentOpsSearchSource;
  /** Denies every permission. */
  deny?: true;
}): Promise<{
  factory: IncidentOpsCollatorFactory;
  connection: IncidentProviderConnection;
}> {
  let connection: IncidentProviderConnection | undefined;
  const provider = createBackendModule({
    pluginId: 'incident-ops',
    moduleId: 'test-provider',
    register(reg) {
      reg.registerInit({
        deps: { providers: incidentOpsIncidentProvidersExtensionPoint },
        async init({ providers }) {
          providers.addIncidentProvider({
            getProviderName: () => 'servicenow',
            connect: async c => {
              connection = c;
            },
          });
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      incidentOpsPlugin,
      provider,
      mockServices.rootConfig.factory({
        data: {
          incidentOps: {
            knowledge: {
              directory: repositoryFolder('knowledge'),
              suggestOnArrival: false,
            },
            playbooks: { directory: repositoryFolder('playbooks') },
          },
        },
      }),
      ...(options.deny
        ? [mockServices.permissions.factory({ result: AuthorizeResult.DENY })]
        : []),
    ],
  });
  const baseUrl = `http://localhost:${server.port()}/api/incident-ops`;
  const factory = new IncidentOpsCollatorFactory({
    source: options.source,
    discovery: {
      getBaseUrl: async () => baseUrl,
      getExternalBaseUrl: async () => baseUrl,
    },
    auth: mockServices.auth(),
  });
  return { factory, connection: connection! };
}

/** Every document of a collation. */
export async function collect(factory: IncidentOpsCollatorFactory) {
  const documents: any[] = [];
  for await (const d of await factory.getCollator()) documents.push(d);
  return documents;
}
