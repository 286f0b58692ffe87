import type { Config } from '@backstage/config';
import type {
  IncidentNotification,
  IncidentNotifier,
  NotificationRecipient,
} from '@acme/plugin-incident-ops-node';
import { createHash } from 'crypto';
import { createTransport, type Transporter } from 'nodemailer';

/**
 * Email over SMTP (`incidentOps.notifications.email`). One message per delivery to all its
 * addresses; the Message-ID comes from the delivery key, so a retried delivery carries the
 * same id and mail systems can drop the copy.
 */
export class EmailNotifier implements IncidentNotifier {
  readonly channel = 'email';
  readonly batch = true;

  static fromConfig(config: Config): EmailNotifier | undefined {
    const email = config.getOptionalConfig('incidentOps.notifications.email');
    if (!email) return undefined;
    const auth = email.getOptionalConfig('auth');
    const transport = createTransport({
      host: email.getString('host'),
      port: email.getOptionalNumber('port') ?? 587,
      secure: email.getOptionalBoolean('secure') ?? false,
      requireTLS: email.getOptionalBoolean('requireTLS') ?? false,
      ...(auth
        ? {
            auth: {
              user: auth.getString('user'),
              pass: auth.getString('pass'),
            },
          }
        : {}),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
    return new EmailNotifier(transport, email.getString('from'));
  }

  constructor(
    private readonly transport: Transporter,
    private readonly from: string,
  ) {}

  address(recipient: NotificationRecipient) {
    return recipient.email;
  }

  async send(notification: IncidentNotification) {
    const { message } = notification;
    const id = createHash('sha256').update(notification.key).digest('hex');
    await this.transport.sendMail({
      from: this.from,
      to: notification.to,
      subject: message.title,
      text: message.link
        ? `${message.body}\n\n${message.link}\n`
        : message.body,
      messageId: `<${id}@incident-ops>`,
      headers: {
        'X-Incident-Ops-Event': message.event,
        ...(message.incidentNumber
          ? { 'X-Incident-Ops-Incident': message.incidentNumber }
          : {}),
      },
    });
  }
}
