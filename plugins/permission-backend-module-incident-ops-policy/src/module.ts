import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { IncidentOpsPermissionPolicy } from './IncidentOpsPermissionPolicy';
import { readIncidentOpsPolicyOptions } from './options';
import { catalogTierGroups } from './tierGroups';

/**
 * Sets the Incident Ops permission policy on the permission backend, configured under
 * `incidentOps.permissionPolicy`. Add it instead of the allow-all policy.
 * @public
 */
export const permissionModuleIncidentOpsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'incident-ops-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ policy, config, catalog, auth }) {
        policy.setPolicy(
          new IncidentOpsPermissionPolicy(
            readIncidentOpsPolicyOptions(config),
            catalogTierGroups({ catalog, auth }),
          ),
        );
      },
    });
  },
});
