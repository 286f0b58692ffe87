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
      /**
       * When the sync runs. Each run reads for at most `runBudgetSeconds`, saving its place
       * after every page, and the next continues. Every replica ticks (the scope is always
       * local); the one holding a 30-second lease in the plugin's tables runs, so a replica
       * killed mid-run is taken over within a lease and a tick. Default: every 15 seconds,
       * timeout 30 seconds.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * When the reconciliation that finds deleted incidents runs; held, like the sync, by
       * a 30-second lease, so its timeout only bounds how long its listing may take, and
       * kept after a run until the next is due. Default: hourly, timeout 10 minutes.
       */
      reconcileSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long one sync run reads before it saves its place and stops, in seconds; keep
       * it under the schedule's timeout. Default 20.
       */
      runBudgetSeconds?: number;
      /** Incidents reported in Backstage ("Report an incident"). */
      reporting?: {
        /**
         * The caller (sys_user sys_id or user_name) of incidents reported by users the
         * catalog knows no ServiceNow user for (no incident-ops.acme.com/servicenow-user
         * annotation): their name and email go into the description instead. Without it such
         * incidents have no caller.
         */
        caller?: string;
      };
      reconcile?: {
        /**
         * The largest share (0 to 1) of the stored incidents one reconciliation may mark
         * removed. A listing that would remove more (an ACL change, a wrong query) removes
         * nothing, and the sync page says why. Default 0.2.
         */
        maxRemovalShare?: number;
      };
    };
  };
}
