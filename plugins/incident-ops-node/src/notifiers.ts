import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * Someone a notification is for, as the contact tree knows them. A channel takes the
 * address it understands (an email, a phone number, a chat channel, an entity ref).
 * @public
 */
export interface NotificationRecipient {
  /** User or group entity ref, when the recipient is in the catalog. */
  entityRef?: string;
  name: string;
  email?: string;
  phone?: string;
  slackChannel?: string;
  teamsChannel?: string;
}

/** What is said. @public */
export interface NotificationMessage {
  title: string;
  /** Plain text, a few lines. */
  body: string;
  /** Where to read more (the ticket). */
  link?: string;
  severity: 'critical' | 'high' | 'normal' | 'low';
  /** The incident it is about, if one. */
  incidentNumber?: string;
  /** e.g. `escalation`, `status-change`, `daily-summary`. */
  event: string;
}

/**
 * One delivery: a message to some addresses of one channel. `key` is unique per delivery
 * and stays the same when it is retried, so a channel that can de-duplicate (a message id,
 * a notification scope) should use it.
 * @public
 */
export interface IncidentNotification {
  key: string;
  /** The addresses this channel's `address` returned, de-duplicated. */
  to: string[];
  message: NotificationMessage;
  /**
   * Who the addresses stand for (name and entity ref), as the router resolved them; one
   * address can stand for several (chat channels that share one incoming webhook).
   */
  recipients?: NotificationRecipient[];
}

/**
 * A way to reach people: Backstage notifications, email, SMS, Slack, Teams, or anything a
 * module adds. Deliveries come from the plugin's notification outbox: recorded once per
 * key and sent by one worker at a time across replicas, retried with backoff when `send`
 * throws, until it returns. A `send` whose receiver accepted the message but whose answer was
 * lost is sent again: use the key to let the receiver drop the repeat.
 * @public
 */
export interface IncidentNotifier {
  /**
   * The channel name notification rules use, e.g. `email`. Unique: the plugin refuses to
   * start when two notifiers (built-in or added) have the same one.
   */
  readonly channel: string;
  /** The address this channel would use for a recipient, or undefined if it cannot reach them. */
  address(recipient: NotificationRecipient): string | undefined;
  /**
   * Whether one `send` may carry many addresses (an email to several people); otherwise
   * each address is its own delivery (one SMS per number), retried on its own.
   */
  readonly batch: boolean;
  /** Delivers; throws on a failure worth retrying. */
  send(notification: IncidentNotification): Promise<void>;
}

/** @public */
export interface IncidentOpsNotifiersExtensionPoint {
  addNotifier(...notifiers: Array<IncidentNotifier | IncidentNotifier[]>): void;
}

/**
 * Where backend modules add notification channels to the incident-ops plugin.
 * @public
 */
export const incidentOpsNotifiersExtensionPoint =
  createExtensionPoint<IncidentOpsNotifiersExtensionPoint>({
    id: 'incident-ops.notifiers',
  });
