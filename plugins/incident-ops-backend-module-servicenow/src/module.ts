import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { incidentOpsIncidentProvidersExtensionPoint } from '@acme/plugin-incident-ops-node';
import { ServiceNowClient } from './client/ServiceNowClient';
import { readServiceNowConfig } from './config';
import { ServiceNowIncidentProvider } from './sync/ServiceNowIncidentProvider';

/**
 * Syncs incidents from the ServiceNow instance configured at `incidentOps.servicenow`.
 * @public
 */
export const incidentOpsModuleServicenow = createBackendModule({
  pluginId: 'incident-ops',
  moduleId: 'servicenow',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        providers: incidentOpsIncidentProvidersExtensionPoint,
      },
      async init({ config, logger, scheduler, providers }) {
        const snConfig = readServiceNowConfig(config);
        if (!snConfig) {
          logger.warn(
            'incidentOps.servicenow is not configured; the ServiceNow sync is off',
          );
          return;
        }
        const client = new ServiceNowClient({
          baseUrl: snConfig.baseUrl,
          auth: snConfig.auth,
          logger,
        });
        providers.addIncidentProvider(
          new ServiceNowIncidentProvider({
            config: snConfig,
            client,
            logger,
            scheduler,
          }),
        );
      },
    });
  },
});
