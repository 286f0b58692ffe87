import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /**
       * The incident-ops collators: knowledge articles (`incident-ops-kb`, expired ones left
       * out) and playbooks (`incident-ops-playbook`).
       */
      incidentOps?: {
        /** Default: every 10 minutes, 5 minutes timeout, first run 30 seconds after start. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
