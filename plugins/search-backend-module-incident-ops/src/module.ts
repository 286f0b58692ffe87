import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { IncidentOpsCollatorFactory } from './IncidentOpsCollatorFactory';
import { incidentOpsSearchSources } from './sources';

/**
 * Puts incident-ops documents (knowledge articles) into Backstage search: a module for the
 * search plugin, reading them from the incident-ops API. Schedule from
 * `search.collators.incidentOps.schedule`; default every 10 minutes.
 * @public
 */
export const incidentOpsSearchModule = createBackendModule({
  pluginId: 'search',
  moduleId: 'incident-ops-collator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({ config, discovery, auth, scheduler, indexRegistry }) {
        const configured = config.getOptionalConfig(
          'search.collators.incidentOps.schedule',
        );
        const schedule = configured
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(configured)
          : {
              frequency: { minutes: 10 },
              timeout: { minutes: 5 },
              initialDelay: { seconds: 30 },
            };
        for (const source of incidentOpsSearchSources) {
          indexRegistry.addCollator({
            schedule: scheduler.createScheduledTaskRunner(schedule),
            factory: new IncidentOpsCollatorFactory({
              source,
              discovery,
              auth,
            }),
          });
        }
      },
    });
  },
});
