import {
  CommunicationPolicy,
  DEFAULT_COMMUNICATION_POLICY,
  NOTIFICATION_EVENTS,
  NOTIFICATION_ROLES,
  NotificationRule,
  PRIORITIES,
  Priority,
  TIERS,
  mergeNotificationRules,
} from '@acme/plugin-incident-ops-common';
import { Config } from '@backstage/config';
import {
  configError,
  oneOf,
  readDuration,
  readPerPriority,
} from '../config/values';
import type { VendorContact } from './NotificationRouter';

/**
 * "Who is told what": `incidentOps.notifications.rules` over the defaults (a rule with a
 * default's id replaces it; `useDefaultRules: false` drops them). Bad values name their key.
 */
export function readNotificationRules(config: Config): NotificationRule[] {
  const root = 'incidentOps.notifications';
  const section = config.getOptionalConfig(root);
  const configured = (section?.getOptionalConfigArray('rules') ?? []).map(
    (r, n) => {
      const key = `${root}.rules[${n}]`;
      return {
        id: r.getString('id'),
        on: oneOf([r.getString('on')], NOTIFICATION_EVENTS, `${key}.on`)![0],
        ...(r.has('priorities')
          ? {
              priorities: oneOf(
                r.getStringArray('priorities'),
                PRIORITIES,
                `${key}.priorities`,
              ),
            }
          : {}),
        ...(r.has('toTiers')
          ? {
              toTiers: oneOf(
                r.getStringArray('toTiers'),
                TIERS,
                `${key}.toTiers`,
              ),
            }
          : {}),
        roles: oneOf(
          r.getStringArray('roles'),
          NOTIFICATION_ROLES,
          `${key}.roles`,
        )!,
        channels: r.getStringArray('channels'),
      };
    },
  );
  return mergeNotificationRules(
    configured,
    section?.getOptionalBoolean('useDefaultRules') ?? true,
  );
}

/** The cadence, `incidentOps.communication`, defaulting to the operational model. */
export function readCommunicationPolicy(config: Config): CommunicationPolicy {
  const root = 'incidentOps.communication';
  const c = config.getOptionalConfig(root);
  const d = DEFAULT_COMMUNICATION_POLICY;
  if (!c) return d;
  const prio = (key: string, fallback: Priority[]) =>
    oneOf(c.getOptionalStringArray(key), PRIORITIES, `${root}.${key}`) ??
    fallback;
  const dur = (key: string, fallback: number) =>
    c.has(key) ? readDuration(c, key, `${root}.${key}`) : fallback;
  const at = c.getOptionalString('dailySummary.at') ?? d.dailySummary.at;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) {
    configError(`${root}.dailySummary.at`, `'${at}' is not a time HH:MM (UTC)`);
  }
  return {
    hourlyUpdates: {
      priorities: prio('hourlyUpdates.priorities', d.hourlyUpdates.priorities),
      every: dur('hourlyUpdates.every', d.hourlyUpdates.every),
    },
    postMortem: {
      priorities: prio('postMortem.priorities', d.postMortem.priorities),
      within: dur('postMortem.within', d.postMortem.within),
      remindEvery: dur('postMortem.remindEvery', d.postMortem.remindEvery),
    },
    dailySummary: {
      priorities: prio('dailySummary.priorities', d.dailySummary.priorities),
      at,
    },
    realTime: {
      priorities: prio('realTime.priorities', d.realTime.priorities),
    },
  };
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A vendor: its contact and its response SLA per priority. */
export interface VendorConfig extends VendorContact {
  responseSla: Record<Priority, number>;
}

/**
 * Response SLAs of the vendors' enterprise support plans: Tanzu (Broadcom) severity 1
 * within 30 minutes, AWS Enterprise business-critical within 15 minutes, and so on down.
 * Teams set their contracts' figures in config.
 */
const DEFAULT_VENDORS: Record<'tanzu' | 'aws', VendorConfig> = {
  tanzu: {
    name: 'VMware Tanzu Support',
    entityRef: 'group:default/tanzu-support',
    slackChannel: '#vendor-tanzu-escalations',
    responseSla: { P1: 30 * MIN, P2: 2 * HOUR, P3: 8 * HOUR, P4: 24 * HOUR },
  },
  aws: {
    name: 'AWS Enterprise Support',
    entityRef: 'group:default/aws-support',
    slackChannel: '#vendor-aws-escalations',
    responseSla: { P1: 15 * MIN, P2: HOUR, P3: 4 * HOUR, P4: 24 * HOUR },
  },
};

/** The vendors, `incidentOps.vendors.{tanzu,aws}`, over the defaults. */
export function readVendors(
  config: Config,
): Record<'tanzu' | 'aws', VendorConfig> {
  const root = 'incidentOps.vendors';
  const out = { ...DEFAULT_VENDORS };
  const section = config.getOptionalConfig(root);
  for (const vendor of ['tanzu', 'aws'] as const) {
    const v = section?.getOptionalConfig(vendor);
    if (!v) continue;
    const sla = readPerPriority(v, 'responseSla', `${root}.${vendor}`, {});
    const d = DEFAULT_VENDORS[vendor];
    const str = (k: string) => v.getOptionalString(k);
    out[vendor] = {
      name: str('name') ?? d.name,
      entityRef: str('entityRef') ?? d.entityRef,
      slackChannel: str('slackChannel') ?? d.slackChannel,
      ...(str('teamsChannel') ? { teamsChannel: str('teamsChannel') } : {}),
      ...(str('email') ? { email: str('email') } : {}),
      ...(str('phone') ? { phone: str('phone') } : {}),
      responseSla: { ...d.responseSla, ...sla },
    };
  }
  return out;
}
