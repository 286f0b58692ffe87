import type { Priority } from './priority';
import type { Tier } from './types';

/**
 * What happened that people may need to hear about.
 * - `escalation`: the ticket moved up a tier (by the engine or a person);
 * - `management-alert`: the P1 management alert decision;
 * - `sla-breach`: an SLA clock ran out;
 * - `status-change`: a status change, made in the suite or brought by sync;
 * - `incident-change`: sync brought a new priority, assignee or assignment group for a P1
 *   (before or after the change);
 * - `stakeholder-update`: a person recorded an update for stakeholders;
 * - `post-mortem`: a person recorded the post-mortem;
 * - `update-missed`: an hourly update was not sent in its hour (a reminder to the assignee);
 * - `status-report`: the status sent to requestors when an hourly update was missed;
 * - `post-mortem-overdue`: no post-mortem within its time;
 * - `daily-summary`: one requestor's open tickets, once a day;
 * - `vendor-engaged` / `vendor-sla-breach`: a vendor case was opened / not answered in time.
 * @public
 */
export type NotificationEvent =
  | 'escalation'
  | 'management-alert'
  | 'sla-breach'
  | 'status-change'
  | 'incident-change'
  | 'stakeholder-update'
  | 'post-mortem'
  | 'update-missed'
  | 'status-report'
  | 'post-mortem-overdue'
  | 'daily-summary'
  | 'vendor-engaged'
  | 'vendor-sla-breach';

/** @public */
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  'escalation',
  'management-alert',
  'sla-breach',
  'status-change',
  'incident-change',
  'stakeholder-update',
  'post-mortem',
  'update-missed',
  'status-report',
  'post-mortem-overdue',
  'daily-summary',
  'vendor-engaged',
  'vendor-sla-breach',
];

/**
 * Who receives notifications: the roles of the contact tree (resolved on the incident's
 * entity), plus `requestor` (the ticket's caller), `assignee` (who it is assigned to),
 * `entity-channel` (the entity's own Slack/Teams channel, set or inherited) and, for vendor
 * events, `vendor` (that vendor's escalation channel).
 * @public
 */
export type NotificationRole =
  | 'l1'
  | 'l2'
  | 'l3'
  | 'evangelist'
  | 'team-lead'
  | 'area-lead'
  | 'vendor-manager'
  | 'it-leadership'
  | 'vendor-liaison'
  | 'kube-admin'
  | 'architect'
  | 'support-engineer'
  | 'owner'
  | 'requestor'
  | 'assignee'
  | 'entity-channel'
  | 'vendor';

/** @public */
export const NOTIFICATION_ROLES: readonly NotificationRole[] = [
  'l1',
  'l2',
  'l3',
  'evangelist',
  'team-lead',
  'area-lead',
  'vendor-manager',
  'it-leadership',
  'vendor-liaison',
  'kube-admin',
  'architect',
  'support-engineer',
  'owner',
  'requestor',
  'assignee',
  'entity-channel',
  'vendor',
];

/**
 * One line of "who is told what": on an event (optionally only for some priorities, or for
 * escalations only into some tiers), these roles, by these channels (`backstage`, `email`,
 * `sms`, `slack`, `teams`, or a channel a module adds).
 * @public
 */
export interface NotificationRule {
  id: string;
  on: NotificationEvent;
  priorities?: Priority[];
  toTiers?: Tier[];
  roles: NotificationRole[];
  channels: string[];
}

/**
 * The operational model's "who is told what" (sections IV and VI). Configured rules replace
 * the default with the same id and add to the rest.
 * @public
 */
export const DEFAULT_NOTIFICATION_RULES: readonly NotificationRule[] = [
  // IV.1: notify the team lead (on every escalation)
  {
    id: 'team-lead-on-escalation',
    on: 'escalation',
    roles: ['team-lead'],
    channels: ['backstage', 'email'],
  },
  // IV.1, IV.2: the tier a ticket is assigned to hears it is theirs, in the app where they
  // work it (ServiceNow's own assignment mail is ServiceNow's)
  {
    id: 'l2-receives-escalation',
    on: 'escalation',
    toTiers: ['L2'],
    roles: ['l2'],
    channels: ['backstage'],
  },
  {
    id: 'l3-receives-escalation',
    on: 'escalation',
    toTiers: ['L3'],
    roles: ['l3'],
    channels: ['backstage'],
  },
  // IV.2: the Evangelist engages; vendor and architect loop-in
  {
    id: 'l3-engaged',
    on: 'escalation',
    toTiers: ['L3'],
    roles: ['evangelist', 'architect', 'vendor-liaison', 'entity-channel'],
    channels: ['backstage', 'email', 'slack'],
  },
  // IV.3: P1 — immediate SMS and email to area leads and the vendor manager
  {
    id: 'p1-management-alert',
    on: 'management-alert',
    roles: ['area-lead', 'vendor-manager'],
    channels: ['sms', 'email', 'backstage'],
  },
  // VI.1: requestors hear of status changes
  {
    id: 'requestor-on-status-change',
    on: 'status-change',
    roles: ['requestor'],
    channels: ['backstage', 'email'],
  },
  // VI.1: P1 — real-time updates (Teams/email) to stakeholders on every change; Backstage
  // notifications too, so they are told even where no other channel is set up
  {
    id: 'p1-real-time-status',
    on: 'status-change',
    priorities: ['P1'],
    roles: ['team-lead', 'evangelist', 'area-lead', 'entity-channel'],
    channels: ['teams', 'email', 'backstage'],
  },
  {
    id: 'p1-real-time-escalation',
    on: 'escalation',
    priorities: ['P1'],
    roles: ['team-lead', 'evangelist', 'area-lead', 'entity-channel'],
    channels: ['teams', 'email', 'backstage'],
  },
  {
    id: 'p1-real-time-change',
    on: 'incident-change',
    priorities: ['P1'],
    roles: ['team-lead', 'evangelist', 'area-lead', 'entity-channel'],
    channels: ['teams', 'email', 'backstage'],
  },
  {
    id: 'p1-stakeholder-update',
    on: 'stakeholder-update',
    priorities: ['P1'],
    roles: [
      'team-lead',
      'evangelist',
      'area-lead',
      'requestor',
      'entity-channel',
    ],
    channels: ['teams', 'email', 'backstage'],
  },
  {
    id: 'stakeholder-update',
    on: 'stakeholder-update',
    priorities: ['P2', 'P3', 'P4'],
    roles: ['requestor', 'team-lead'],
    channels: ['backstage', 'email'],
  },
  {
    id: 'post-mortem',
    on: 'post-mortem',
    roles: ['team-lead', 'evangelist', 'area-lead', 'requestor'],
    channels: ['backstage', 'email'],
  },
  // VI.1: P2 — hourly; a missed hour reminds the assignee and tells requestors the status
  {
    id: 'update-missed',
    on: 'update-missed',
    roles: ['assignee'],
    channels: ['backstage', 'email'],
  },
  {
    id: 'status-report',
    on: 'status-report',
    roles: ['requestor'],
    channels: ['backstage', 'email'],
  },
  {
    id: 'post-mortem-overdue',
    on: 'post-mortem-overdue',
    roles: ['assignee', 'team-lead', 'evangelist'],
    channels: ['backstage', 'email'],
  },
  // VI.1: P3/P4 — a daily summary to requestors
  {
    id: 'daily-summary',
    on: 'daily-summary',
    roles: ['requestor'],
    channels: ['backstage', 'email'],
  },
  {
    id: 'sla-breach',
    on: 'sla-breach',
    roles: ['team-lead'],
    channels: ['backstage', 'email'],
  },
  // VI.2: vendor coordination, in the vendor's dedicated channel
  {
    id: 'vendor-engaged',
    on: 'vendor-engaged',
    roles: ['vendor-liaison', 'vendor-manager', 'vendor'],
    channels: ['backstage', 'email', 'slack'],
  },
  {
    id: 'vendor-sla-breach',
    on: 'vendor-sla-breach',
    roles: ['vendor-liaison', 'vendor-manager', 'vendor'],
    channels: ['backstage', 'email', 'slack', 'sms'],
  },
];

/** What a rule is matched against. @public */
export interface NotificationContext {
  event: NotificationEvent;
  priority?: Priority;
  toTier?: Tier;
}

/** The rules that apply to an event. @public */
export function matchNotificationRules(
  rules: readonly NotificationRule[],
  context: NotificationContext,
): NotificationRule[] {
  return rules.filter(
    r =>
      r.on === context.event &&
      (!r.priorities ||
        (context.priority !== undefined &&
          r.priorities.includes(context.priority))) &&
      (!r.toTiers ||
        (context.toTier !== undefined && r.toTiers.includes(context.toTier))),
  );
}

/**
 * For each channel, the roles to tell, over every rule that applies (a person named by two
 * rules hears once per channel).
 * @public
 */
export function rolesByChannel(
  rules: readonly NotificationRule[],
  context: NotificationContext,
): Map<string, NotificationRole[]> {
  const out = new Map<string, Set<NotificationRole>>();
  for (const rule of matchNotificationRules(rules, context)) {
    for (const channel of rule.channels) {
      const set = out.get(channel) ?? new Set();
      rule.roles.forEach(r => set.add(r));
      out.set(channel, set);
    }
  }
  return new Map([...out].map(([c, s]) => [c, [...s]]));
}

/** Configured rules over the defaults: same id replaces, new ids add. @public */
export function mergeNotificationRules(
  configured: readonly NotificationRule[],
  useDefaults = true,
): NotificationRule[] {
  if (!useDefaults) return [...configured];
  const ids = new Set(configured.map(r => r.id));
  return [
    ...DEFAULT_NOTIFICATION_RULES.filter(r => !ids.has(r.id)),
    ...configured,
  ];
}

/**
 * The Backstage signal channel on which the backend says an incident changed (a transition,
 * an escalation, an update, a vendor case, a playbook step…); open pages re-read it.
 * @public
 */
export const INCIDENT_SIGNAL_CHANNEL = 'incident-ops:incident';

/** What a signal on {@link INCIDENT_SIGNAL_CHANNEL} says. @public */
export type IncidentChangedSignal = {
  number: string;
  /** e.g. `status-change`, `escalation`, `update`, `vendor-engagement`, `playbook`. */
  change: string;
  at: string;
};
