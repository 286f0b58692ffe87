import type { RootConfigService } from '@backstage/backend-plugin-api';
import type {
  CommunicationPolicy,
  NotificationRule,
} from '@acme/plugin-incident-ops-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { IncidentNotifier } from '@acme/plugin-incident-ops-node';
import type { CommunicationStore } from '../database/CommunicationStore';
import type { NotificationStore } from '../database/DatabaseNotificationStore';
import type { ContactResolver } from '../contacts/ContactResolver';
import type { IncidentOpsEnv } from '../env';
import { BackstageNotifier } from './channels/BackstageNotifier';
import { EmailNotifier } from './channels/EmailNotifier';
import {
  SlackNotifier,
  SmsNotifier,
  TeamsNotifier,
} from './channels/WebhookNotifiers';
import { CommunicationScheduler } from './CommunicationScheduler';
import {
  VendorConfig,
  readCommunicationPolicy,
  readNotificationRules,
  readVendors,
} from './config';
import { NotificationDispatcher } from './NotificationDispatcher';
import { NotificationRouter, contactLookup } from './NotificationRouter';
import { createIncidentSignals, type IncidentSignals } from './signals';

/** What the communication routes use. */
export interface CommunicationServices {
  store: CommunicationStore;
  notifications: NotificationStore;
  policy: CommunicationPolicy;
  vendors: Record<'tanzu' | 'aws', VendorConfig>;
  signals: IncidentSignals;
}

/**
 * The built-in channels whose config is present: Backstage notifications always; email,
 * Slack, Teams and SMS when `incidentOps.notifications.<channel>` is set.
 */
export function builtInNotifiers(
  config: RootConfigService,
  notifications?: NotificationService,
): IncidentNotifier[] {
  const all: Array<IncidentNotifier | undefined> = [
    notifications ? new BackstageNotifier(notifications) : undefined,
    EmailNotifier.fromConfig(config),
    SlackNotifier.fromConfig(config),
    TeamsNotifier.fromConfig(config),
    SmsNotifier.fromConfig(config),
  ];
  return all.filter((n): n is IncidentNotifier => Boolean(n));
}

/**
 * What to say at start-up about channels the rules name that no notifier provides (neither
 * configured nor added by a module): each such channel with how many rules use it, and the
 * rules left with no channel at all. Undefined when every channel is there.
 */
export function missingChannelsWarning(
  rules: readonly NotificationRule[],
  channels: ReadonlySet<string>,
): string | undefined {
  const missing = new Map<string, number>();
  const unreachable: string[] = [];
  for (const rule of rules) {
    const absent = rule.channels.filter(c => !channels.has(c));
    for (const c of absent) missing.set(c, (missing.get(c) ?? 0) + 1);
    if (absent.length === rule.channels.length) unreachable.push(rule.id);
  }
  if (missing.size === 0) return undefined;
  const list = [...missing]
    .map(([c, n]) => `${c} (${n} rule${n === 1 ? '' : 's'})`)
    .join(', ');
  const backstage = channels.has('backstage')
    ? ' (Backstage notifications are on)'
    : '';
  const nobody = unreachable.length
    ? `; these rules reach nobody: ${unreachable.join(', ')}`
    : '';
  return `Notification rules use channels that are not set up: ${list}. Those rules reach people only through their other channels${backstage}${nobody}. Set up incidentOps.notifications.<channel> (email, slack, teams, sms) or add the channel with a backend module; see docs/notifications.md.`;
}

/** The incident's page in the app (the Ops queue opens it), unless configured otherwise. */
function incidentLink(config: RootConfigService) {
  const configured = config.getOptionalString(
    'incidentOps.notifications.incidentLink',
  );
  const app = config.getOptionalString('app.baseUrl');
  return (
    configured ??
    (app
      ? `${app.replace(/\/$/, '')}/incident-ops/queue?incident={number}`
      : undefined)
  );
}

/**
 * Notifications and the communication cadence: reads the rules, the cadence and the vendors
 * from config, builds the channels (built-in ones plus those modules added) and schedules
 * the outbox and cadence tasks (global lock: one replica per tick).
 */
export async function setupNotifications(
  env: IncidentOpsEnv,
  deps: {
    contacts: ContactResolver;
    notifications?: NotificationService;
    signals?: SignalsService;
    /** Channels added through the notifiers extension point. */
    notifiers: IncidentNotifier[];
  },
): Promise<CommunicationServices> {
  const { config, logger, stores, tasks } = env;
  const notifiers = [
    ...builtInNotifiers(config, deps.notifications),
    ...deps.notifiers,
  ];
  const names = new Set<string>();
  for (const n of notifiers) {
    if (names.has(n.channel)) {
      throw new Error(
        `Notifier channel '${n.channel}' is already registered. Each channel can only be added once.`,
      );
    }
    names.add(n.channel);
  }
  const rules = readNotificationRules(config);
  const warning = missingChannelsWarning(rules, names);
  if (warning) logger.warn(warning);
  const policy = readCommunicationPolicy(config);
  const vendors = readVendors(config);
  const signals = createIncidentSignals({ signals: deps.signals, logger });
  const router = new NotificationRouter({
    rules,
    notifiers,
    lookup: contactLookup(deps.contacts),
    catalog: env.catalog,
    auth: env.auth,
    incidents: stores.incidents,
    vendors,
    linkTemplate: incidentLink(config),
    // those who reported it in Backstage hear of it as requestors
    reportersOf: number => stores.reported.reportersOf(number),
  });
  const dispatcher = new NotificationDispatcher({
    store: stores.notifications,
    router,
    notifiers,
    logger,
    signals,
    maxAttempts: config.getOptionalNumber(
      'incidentOps.notifications.maxAttempts',
    ),
  });
  await tasks.schedule('notifications', () => dispatcher.runOnce());
  const cadence = new CommunicationScheduler({
    store: stores.communication,
    notifications: stores.notifications,
    policy,
    logger,
  });
  await tasks.schedule('cadence', async () => {
    await cadence.tick();
    await dispatcher.runOnce();
  });
  logger.info(
    `Notification channels: ${notifiers.map(n => n.channel).join(', ')}`,
  );
  return {
    store: stores.communication,
    notifications: stores.notifications,
    policy,
    vendors,
    signals,
  };
}
