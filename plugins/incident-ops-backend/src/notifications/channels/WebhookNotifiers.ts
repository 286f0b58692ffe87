import type { Config } from '@backstage/config';
import type {
  IncidentNotification,
  IncidentNotifier,
  NotificationMessage,
  NotificationRecipient,
} from '@acme/plugin-incident-ops-node';

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 200);
    throw new Error(
      `${new URL(url).host} answered ${response.status}${
        text ? `: ${text}` : ''
      }`,
    );
  }
}

/** The address of the default webhook, for every channel without one of its own. */
export const DEFAULT_WEBHOOK = '(default webhook)';

/**
 * Chat channels by name → incoming-webhook URL, with an optional default. An incoming webhook
 * posts to the one channel it is bound to, whatever the payload says, so the address of a
 * channel is its webhook: channels that share a URL share an address (named after the
 * first channel configured with it, or `(default webhook)`), and an event makes one post
 * there, not one per channel. The URLs (secrets) never show in addresses.
 */
function readWebhooks(config: Config | undefined) {
  if (!config) return undefined;
  const byChannel = new Map<string, string>();
  for (const c of config.getOptionalConfigArray('channels') ?? []) {
    byChannel.set(c.getString('channel'), c.getString('webhookUrl'));
  }
  const fallback = config.getOptionalString('webhookUrl');
  if (!fallback && byChannel.size === 0) return undefined;
  const addressOfUrl = new Map<string, string>();
  if (fallback) addressOfUrl.set(fallback, DEFAULT_WEBHOOK);
  for (const [channel, url] of byChannel) {
    if (!addressOfUrl.has(url)) addressOfUrl.set(url, channel);
  }
  const urlOfAddress = new Map(
    [...addressOfUrl].map(([url, address]) => [address, url]),
  );
  return {
    /** The address of a channel's webhook (its own, else the default one), if any. */
    addressOf(channel: string) {
      const url = byChannel.get(channel) ?? fallback;
      return url ? addressOfUrl.get(url) : undefined;
    },
    /** The URL to post to for an address (or, from older rows, a channel name). */
    urlOf(address: string) {
      const url =
        urlOfAddress.get(address) ?? byChannel.get(address) ?? fallback;
      if (!url) throw new Error(`No webhook is configured for ${address}`);
      return url;
    },
  };
}

/** "For: …" when one post stands for several recipients, else nothing. */
function forWhom(notification: IncidentNotification) {
  const names = (notification.recipients ?? []).map(r => r.name);
  return names.length > 1 ? `For: ${names.join(', ')}` : undefined;
}

type Webhooks = NonNullable<ReturnType<typeof readWebhooks>>;

const escapeSlack = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Slack incoming webhooks (`incidentOps.notifications.slack`): a message per webhook (the
 * channel's own, else the default one), naming whom it is for when it stands for several. A
 * recipient with no channel of their own is not reached by Slack (they get email and
 * Backstage notifications).
 */
export class SlackNotifier implements IncidentNotifier {
  readonly channel = 'slack';
  readonly batch = false;

  static fromConfig(config: Config) {
    const hooks = readWebhooks(
      config.getOptionalConfig('incidentOps.notifications.slack'),
    );
    return hooks ? new SlackNotifier(hooks) : undefined;
  }

  constructor(private readonly hooks: Webhooks) {}

  address(recipient: NotificationRecipient) {
    const channel = recipient.slackChannel;
    return channel ? this.hooks.addressOf(channel) : undefined;
  }

  async send(notification: IncidentNotification) {
    const { message } = notification;
    const whom = forWhom(notification);
    const text = `${slackText(message)}${
      whom ? `\n_${escapeSlack(whom)}_` : ''
    }`;
    for (const address of notification.to) {
      await post(this.hooks.urlOf(address), {
        text,
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text },
          },
        ],
      });
    }
  }
}

function slackText(message: NotificationMessage) {
  const title = `*${escapeSlack(message.title)}*`;
  const link = message.link ? `\n<${message.link}|Open the ticket>` : '';
  return `${title}\n${escapeSlack(message.body)}${link}`;
}

const TEAMS_COLOR: Record<NotificationMessage['severity'], string> = {
  critical: 'Attention',
  high: 'Warning',
  normal: 'Default',
  low: 'Default',
};

/**
 * Microsoft Teams incoming webhooks (`incidentOps.notifications.teams`), as an Adaptive Card
 * message, the format both Teams workflows and connector webhooks accept; one per webhook, as
 * for Slack.
 */
export class TeamsNotifier implements IncidentNotifier {
  readonly channel = 'teams';
  readonly batch = false;

  static fromConfig(config: Config) {
    const hooks = readWebhooks(
      config.getOptionalConfig('incidentOps.notifications.teams'),
    );
    return hooks ? new TeamsNotifier(hooks) : undefined;
  }

  constructor(private readonly hooks: Webhooks) {}

  address(recipient: NotificationRecipient) {
    const channel = recipient.teamsChannel;
    return channel ? this.hooks.addressOf(channel) : undefined;
  }

  async send(notification: IncidentNotification) {
    const { message } = notification;
    const whom = forWhom(notification);
    for (const address of notification.to) {
      await post(this.hooks.urlOf(address), {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                {
                  type: 'TextBlock',
                  text: message.title,
                  weight: 'Bolder',
                  size: 'Medium',
                  wrap: true,
                  color: TEAMS_COLOR[message.severity],
                },
                { type: 'TextBlock', text: message.body, wrap: true },
                ...(whom
                  ? [
                      {
                        type: 'TextBlock',
                        text: whom,
                        wrap: true,
                        isSubtle: true,
                      },
                    ]
                  : []),
              ],
              ...(message.link
                ? {
                    actions: [
                      {
                        type: 'Action.OpenUrl',
                        title: 'Open the ticket',
                        url: message.link,
                      },
                    ],
                  }
                : {}),
            },
          },
        ],
      });
    }
  }
}

/**
 * SMS through an HTTP gateway (`incidentOps.notifications.sms`): one POST per number with
 * `{ to, from, message, reference }` as JSON and the token as a bearer credential. The
 * reference is the delivery key, for gateways that drop repeats.
 */
export class SmsNotifier implements IncidentNotifier {
  readonly channel = 'sms';
  readonly batch = false;

  static fromConfig(config: Config) {
    const sms = config.getOptionalConfig('incidentOps.notifications.sms');
    if (!sms) return undefined;
    return new SmsNotifier({
      gatewayUrl: sms.getString('gatewayUrl'),
      token: sms.getOptionalString('token'),
      from: sms.getOptionalString('from'),
    });
  }

  constructor(
    private readonly options: {
      gatewayUrl: string;
      token?: string;
      from?: string;
    },
  ) {}

  address(recipient: NotificationRecipient) {
    return recipient.phone?.replace(/[\s()-]/g, '') || undefined;
  }

  async send(notification: IncidentNotification) {
    const { message } = notification;
    const text = `${message.title}${message.link ? ` ${message.link}` : ''}`;
    for (const to of notification.to) {
      await post(
        this.options.gatewayUrl,
        {
          to,
          ...(this.options.from ? { from: this.options.from } : {}),
          message: text.length > 320 ? `${text.slice(0, 317)}...` : text,
          reference: notification.key,
        },
        this.options.token
          ? { Authorization: `Bearer ${this.options.token}` }
          : {},
      );
    }
  }
}
