import { incidentOpsPermissions } from '@acme/plugin-incident-ops-common';
import {
  incidentOpsIncidentResourceRef,
  incidentOpsIncidentRules,
} from '@acme/plugin-incident-ops-node';
import type {
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { IncidentOpsEnv } from '../env';
import { CatalogSnapshot } from './CatalogSnapshot';
import { IncidentAccess, ServiceGrants } from './IncidentAccess';

/** `incidentOps.permissions.serviceGrants`: what each service principal may write. */
function readServiceGrants(env: IncidentOpsEnv): ServiceGrants {
  const grants: ServiceGrants = new Map();
  for (const g of env.config.getOptionalConfigArray(
    'incidentOps.permissions.serviceGrants',
  ) ?? []) {
    grants.set(g.getString('subject'), g.getStringArray('permissions'));
  }
  return grants;
}

/**
 * The suite's permissions and its incident resource: registers them (with the rules policy
 * authors use as conditions) and returns who may do what to which incident.
 */
export async function setupPermissions(
  env: IncidentOpsEnv,
  deps: {
    permissions: PermissionsService;
    permissionsRegistry: PermissionsRegistryService;
  },
) {
  const { stores } = env;
  const access = new IncidentAccess({
    auth: env.auth,
    permissions: deps.permissions,
    permissionsRegistry: deps.permissionsRegistry,
    catalog: env.catalog,
    snapshot: new CatalogSnapshot({ catalog: env.catalog, auth: env.auth }),
    getIncident: number => stores.incidents.getIncidentByNumber(number),
    reportersOf: number => stores.reported.reportersOf(number),
    reportedBy: users => stores.reported.reportedBy(users),
    serviceGrants: readServiceGrants(env),
  });
  deps.permissionsRegistry.addPermissions(incidentOpsPermissions);
  deps.permissionsRegistry.addResourceType({
    resourceRef: incidentOpsIncidentResourceRef,
    permissions: incidentOpsPermissions.filter(p => p.type === 'resource'),
    rules: Object.values(incidentOpsIncidentRules),
    getResources: refs => access.resources(refs),
  });
  return access;
}
