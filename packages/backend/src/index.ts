import { createBackend } from '@backstage/backend-defaults';
import { authModuleDevelopmentUserProvider } from './auth/developmentUserProvider';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth (docs/security.md): OIDC in production (app-config.production.yaml); for local runs
// the guest and a development user, both refused outside auth.environment development
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(authModuleDevelopmentUserProvider);

// catalog: the Tanzu Atlas clusters, namespaces, services, groups and users
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permissions: the Incident Ops policy (incidentOps.permissionPolicy, docs/security.md)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@acme/plugin-permission-backend-module-incident-ops-policy'),
);

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Incident Ops knowledge articles in search (read from the incident-ops API)
backend.add(import('@acme/plugin-search-backend-module-incident-ops'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Incident Ops and its ServiceNow sync
backend.add(import('@acme/plugin-incident-ops-backend'));
backend.add(import('@acme/plugin-incident-ops-backend-module-servicenow'));

// the incident-ops actions for AI assistants, over MCP at /api/mcp-actions/v1 (README)
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
