import type {
  AuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { IncidentOpsStores } from './database';
import type { IncidentOpsTasks } from './tasks';

/**
 * What every capability's set-up is given: config, the logger, the catalog, the plugin's
 * own credentials, its stores (migrated once) and its scheduled tasks. Each capability's
 * `setupX(env, deps)` takes this and what it needs of the capabilities set up before it.
 */
export interface IncidentOpsEnv {
  config: RootConfigService;
  logger: LoggerService;
  catalog: CatalogService;
  auth: AuthService;
  stores: IncidentOpsStores;
  tasks: IncidentOpsTasks;
}
