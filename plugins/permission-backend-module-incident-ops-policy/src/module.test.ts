import {
  incidentOpsLessonsWritePermission,
  incidentOpsSyncRunPermission,
} from '@acme/plugin-incident-ops-common';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { claimsOf, seededEntities } from './__testUtils__/seededCatalog';
import { permissionModuleIncidentOpsPolicy } from './module';

/** Starts the module on a stand-in permission plugin; answers the policy it set. */
async function startPolicy(config: object): Promise<PermissionPolicy> {
  let policy: PermissionPolicy | undefined;
  const permissionPlugin = createBackendPlugin({
    pluginId: 'permission',
    register(env) {
      env.registerExtensionPoint(policyExtensionPoint, {
        setPolicy: p => {
          policy = p;
        },
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  await startTestBackend({
    features: [
      permissionPlugin,
      permissionModuleIncidentOpsPolicy,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: seededEntities }),
    ],
  });
  return policy!;
}

const as = (userName: string) => ({
  credentials: mockCredentials.user(`user:default/${userName}`),
  info: {
    userEntityRef: `user:default/${userName}`,
    ownershipEntityRefs: claimsOf(userName),
  },
});

describe('permissionModuleIncidentOpsPolicy', () => {
  it('sets the policy from config, with the tier groups from the catalog', async () => {
    const policy = await startPolicy({
      incidentOps: {
        permissionPolicy: { adminGroups: ['incident-ops-admins'] },
      },
    });
    const lessons = { permission: incidentOpsLessonsWritePermission };
    // tier groups: the groups with a support-tier annotation
    expect((await policy.handle(lessons, as('priya.sharma'))).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle(lessons, as('elena.petrova'))).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle(lessons, as('wei.zhang'))).result).toBe(
      AuthorizeResult.DENY,
    );
    const sync = { permission: incidentOpsSyncRunPermission };
    expect((await policy.handle(sync, as('guest'))).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle(sync, as('marcus.chen'))).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('stops the backend on a config error, naming the key', async () => {
    await expect(
      startPolicy({
        incidentOps: { permissionPolicy: { otherPermissions: 'maybe' } },
      }),
    ).rejects.toThrow(/incidentOps\.permissionPolicy\.otherPermissions/);
  });
});
