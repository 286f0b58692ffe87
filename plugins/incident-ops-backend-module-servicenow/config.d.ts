import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  incidentOps?: {
    /** The ServiceNow instance Incident Ops syncs incidents from. */
    servicenow?: {
      /**
       * The instance's base URL, e.g. https://acme.service-now.com
       * @visibility backend
       */
      baseUrl: string;
      /** How to authenticate to the Table API. */
      auth:
        | {
            type: 'basic';
            /** @visibility backend */
            username: string;
            /** @visibility secret */
            password: string;
          }
        | {
            type: 'oauth';
            /** `password` (needs username and password) or `client_credentials`. */
            grantType: 'password' | 'client_credentials';
            /** @visibility backend */
            clientId: string;
            /** @visibility secret */
            clientSecret: string;
            /** @visibility backend */
            username?: string;
            /** @visibility secret */
            password?: string;
          };
      /**
       * An encoded query that limits which incidents are synced, e.g.
       * `assignment_group.nameSTARTSWITHAtlas`.
       */
      query?: string;
      /** Records per Table API request. Default 500. */
      pageSize?: number;
      /** When the sync runs. Default: every 5 minutes, timeout 10 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * When the reconciliation that finds deleted incidents runs. Default: hourly, timeout 30
       * minutes.
       */
      reconcileSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
