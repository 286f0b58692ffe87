import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

type HumanDurationConfig = HumanDuration | string;

/** A vendor's escalation contact and its response SLA. */
interface VendorConfig {
  name?: string;
  /** The vendor's group in the catalog, e.g. `group:default/tanzu-support`. */
  entityRef?: string;
  slackChannel?: string;
  teamsChannel?: string;
  email?: string;
  phone?: string;
  /** Response SLA per priority (P1–P4). */
  responseSla?: { [priority: string]: HumanDurationConfig };
}

export interface Config {
  /** Incident Ops */
  incidentOps?: {
    /** Permissions beyond the permission policy. */
    permissions?: {
      /**
       * Writes other backend plugins (service principals) may make. Without a grant here, or
       * Backstage access restrictions naming the permission, a service principal is refused
       * every write; reads are allowed.
       */
      serviceGrants?: Array<{
        /** The service principal, e.g. `plugin:scaffolder` or `external:ops-bot`. */
        subject: string;
        /** Permission names, e.g. `incident-ops.incident.escalate`. */
        permissions: string[];
      }>;
    };
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
    /** Write-backs to the incidents' source (ServiceNow), through the outbox. */
    writeBack?: {
      /**
       * Attempts before a write-back that keeps failing is refused: kept, with its last error,
       * until an admin re-queues it (`POST /sync/outbox/{id}/requeue`). Default 10.
       */
      maxAttempts?: number;
    };
    /**
     * The schedules of the plugin's tasks. The outboxes run on every replica (their items
     * are claimed with fenced leases); the others on one replica per tick, through the
     * scheduler's lock. The weekly report's is `reports.weekly.schedule`.
     */
    schedules?: {
      /**
       * Write-backs to ServiceNow. Default: every 10 s, 30 s timeout, first after 5 s. A run
       * claims for 20 s and leaves the rest to the next.
       */
      outbox?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** The escalation engine. Default: every 30 s, 30 s timeout, first after 10 s. */
      escalation?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** The notification outbox. Default: every 10 s, 30 s timeout, first after 5 s (as `outbox`). */
      notifications?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** The communication cadence. Default: every minute, 30 s timeout, first after 20 s. */
      cadence?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Incidents reported in Backstage, filed in ServiceNow. Default: as `outbox` (every
       * 10 s, 30 s timeout, first after 5 s).
       */
      reportOutbox?: SchedulerServiceTaskScheduleDefinitionConfig;
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
        /**
         * Notification channels to send it on. Default: backstage, and email when
         * incidentOps.notifications.email is set.
         */
        channels?: string[];
        /** When to look for a week to send. Default: hourly, 15 min timeout, first after 2 min. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    /**
     * Notifications: who is told what (rules over the operational model's defaults) and the
     * channels. Backstage notifications are always on; email, Slack, Teams and SMS are on when
     * their section is set. Every notification goes through the plugin's outbox.
     */
    notifications?: {
      /**
       * A link to an incident in notifications; `{number}` is replaced. Default: the Ops
       * queue in the app (`app.baseUrl` + `/incident-ops/queue?incident={number}`), else the
       * ticket's ServiceNow URL.
       */
      incidentLink?: string;
      /**
       * Attempts before a notification is refused: kept, with its last error, until an admin
       * re-queues it (`POST /notifications/outbox/{id}/requeue`). Default 12.
       */
      maxAttempts?: number;
      /** Default true: the shipped rules apply unless a configured rule has the same id. */
      useDefaultRules?: boolean;
      rules?: Array<{
        id: string;
        /** escalation, management-alert, sla-breach, status-change, incident-change, stakeholder-update, post-mortem, update-missed, status-report, post-mortem-overdue, daily-summary, vendor-engaged, vendor-sla-breach */
        on: string;
        /** Only for these priorities (P1–P4). */
        priorities?: string[];
        /** For escalations: only into these tiers. */
        toTiers?: string[];
        /** Contact-tree roles (team-lead, evangelist, area-lead, …), requestor, assignee, entity-channel, vendor. */
        roles: string[];
        /** backstage, email, sms, slack, teams, or a channel a module adds. */
        channels: string[];
      }>;
      /** Email over SMTP. */
      email?: {
        host: string;
        /** Default 587. */
        port?: number;
        /** TLS from the start (port 465). Default false. */
        secure?: boolean;
        /** Refuse to send without STARTTLS. Default false. */
        requireTLS?: boolean;
        auth?: {
          user: string;
          /** @visibility secret */
          pass: string;
        };
        /** e.g. `Incident Ops <incident-ops@acme.com>` */
        from: string;
      };
      /** Slack incoming webhooks: per channel, else the default one. */
      slack?: {
        /** @visibility secret */
        webhookUrl?: string;
        channels?: Array<{
          /** e.g. `#atlas-l3-evangelists` */
          channel: string;
          /** @visibility secret */
          webhookUrl: string;
        }>;
      };
      /** Microsoft Teams incoming webhooks (workflows or connectors): per channel, else the default one. */
      teams?: {
        /** @visibility secret */
        webhookUrl?: string;
        channels?: Array<{
          channel: string;
          /** @visibility secret */
          webhookUrl: string;
        }>;
      };
      /** SMS through an HTTP gateway: POST `{ to, from, message, reference }` per number. */
      sms?: {
        /** @visibility secret */
        gatewayUrl: string;
        /**
         * Sent as a bearer token.
         * @visibility secret
         */
        token?: string;
        from?: string;
      };
    };
    /** The communication cadence (operational model, VI.1); defaults to the model. */
    communication?: {
      /** Default: P2, every hour. */
      hourlyUpdates?: { priorities?: string[]; every?: HumanDurationConfig };
      /** Default: P1, within 24 h of resolution, reminded every 24 h. */
      postMortem?: {
        priorities?: string[];
        within?: HumanDurationConfig;
        remindEvery?: HumanDurationConfig;
      };
      /** Default: P3 and P4 at 08:00 UTC. */
      dailySummary?: { priorities?: string[]; at?: string };
      /** Priorities whose every change goes to stakeholders at once. Default: P1. */
      realTime?: { priorities?: string[] };
    };
    /** Vendor coordination (VI.2): each vendor's escalation contact and response SLA. */
    vendors?: {
      tanzu?: VendorConfig;
      aws?: VendorConfig;
    };
    /** The knowledge base. */
    knowledge?: {
      /**
       * The folder of Markdown knowledge articles (see knowledge/README.md), loaded at
       * start-up. Relative paths are resolved from the backend's working directory. Default:
       * the nearest `knowledge` folder in the working directory or one of its parents.
       */
      directory?: string;
      /**
       * Suggest articles when sync brings an open incident the suite has not seen before:
       * they are recorded as shown on it (as when someone opens it) and one work note listing
       * them is written back to ServiceNow, once per incident. Default: true. Off, suggestions
       * are made only when someone asks for them.
       */
      suggestOnArrival?: boolean;
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
