import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

type HumanDurationConfig = HumanDuration | string;

export interface Config {
  /** Incident Ops */
  incidentOps?: {
    /**
     * Which source assignment groups (by name or sys_id) are which support tier.
     * An incident whose group is in none of them has no tier.
     */
    tiers?: {
      L1?: { assignmentGroups: string[] };
      L2?: { assignmentGroups: string[] };
      L3?: { assignmentGroups: string[] };
    };
    /**
     * How tickets are classified into types (egress, gitlab-ci-access, node-provisioning,
     * gitops, namespace-access, cluster-outage, security, connectivity, other). The first rule
     * whose conditions all hold decides; configured rules come before the defaults.
     */
    /**
     * The escalation policy; every setting defaults to the operational model. Durations are
     * Backstage durations (`{ minutes: 30 }` or ISO 8601 such as `PT30M`) of time at the
     * tier, time awaiting the customer not counted.
     */
    escalation?: {
      l1ToL2?: {
        /** Unresolved this long at L1 → L2, per priority. Default 30 min for all. */
        unresolved?: { [priority: string]: HumanDurationConfig };
        /** Priorities that go to L2 at once. Default [P2]. */
        atOnce?: string[];
        /** Default true. */
        onKbExhausted?: boolean;
      };
      l2ToL3?: {
        /** Default { P2: 60 min }. */
        unresolved?: { [priority: string]: HumanDurationConfig };
        /** Default [P1]. */
        atOnce?: string[];
        /** Default true. */
        onArchitecturalImpact?: boolean;
      };
      p1?: {
        /** Default true. */
        straightToL3?: boolean;
        /** SMS and email to area leads and the vendor manager. Default true. */
        alertManagement?: boolean;
      };
      anyTier?: {
        /** An SLA breach (respond or resolve) escalates one tier up, once. Default true. */
        onSlaBreach?: boolean;
      };
      /** Recurring P2s: `count` P2s of one ticket type on one entity within `window`. */
      recurringP2?: {
        /** Default 3. */
        count?: number;
        /** Default 7 days. */
        window?: HumanDurationConfig;
      };
    };
    /** SLA targets per priority (P1–P4): time to respond and time to resolve. */
    sla?: {
      [priority: string]: {
        respond?: HumanDurationConfig;
        resolve?: HumanDurationConfig;
      };
    };
    /** Management reporting (weekly, monthly and quarterly reports). */
    reports?: {
      weekly?: {
        /** Default true: send each week's report to management once the week is over. */
        enabled?: boolean;
        /**
         * Entity refs of the groups (or users) that receive it. Default: the catalog's groups
         * of spec.type `management` and the group whose stakeholder role is `it-leadership`.
         */
        recipients?: string[];
        /** When to look for a week to send. Default: hourly. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    /** Playbooks (operational model V.2, Appendix A). */
    playbooks?: {
      /**
       * The folder of playbook files (`<id>.yaml`; format in playbooks/README.md), loaded and
       * checked at start-up: an invalid file stops the backend, naming the file and the key.
       * Relative paths are resolved from the backend's working directory (packages/backend
       * under `yarn start`, so `../../playbooks` there). Default: the repository's
       * `playbooks` folder.
       */
      directory?: string;
      /**
       * Which playbook each ticket type runs, e.g. `{ egress: egress-access }`. When set, it
       * replaces the default (Appendix A: egress, gitlab-ci-access, node-provisioning,
       * namespace-access and gitops to their playbooks); checked against the ticket types
       * and the playbooks loaded.
       */
      mapping?: { [ticketType: string]: string };
    };
    /** Lessons learned (VII.1). */
    lessons?: {
      /**
       * The folder of lesson files (`<id>.yaml`) loaded at start-up when no lesson with their
       * id is stored yet; afterwards lessons are edited through the API. Relative paths as
       * for playbooks. Default: the repository's `lessons` folder, if there is one.
       */
      directory?: string;
    };
    classification?: {
      /** Default true: the shipped rules follow the configured ones. */
      useDefaultRules?: boolean;
      rules?: Array<{
        id: string;
        type: string;
        /** ServiceNow category, compared case-insensitively. */
        category?: string;
        subcategory?: string;
        /** A case-insensitive regular expression over the short description and description. */
        pattern?: string;
      }>;
    };
  };
}
