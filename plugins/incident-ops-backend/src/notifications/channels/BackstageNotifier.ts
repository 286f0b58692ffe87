import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  IncidentNotification,
  IncidentNotifier,
  NotificationRecipient,
} from '@acme/plugin-incident-ops-node';

/**
 * Backstage's own notifications: to users and groups by entity ref, so they show on the
 * app's notifications page. The delivery key is the notification's scope, so a retried
 * delivery updates the notification it may already have made instead of adding another.
 */
export class BackstageNotifier implements IncidentNotifier {
  readonly channel = 'backstage';
  readonly batch = true;

  constructor(private readonly notifications: NotificationService) {}

  address(recipient: NotificationRecipient) {
    return recipient.entityRef;
  }

  async send(notification: IncidentNotification) {
    const { message } = notification;
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: notification.to },
      payload: {
        title: message.title,
        description: message.body,
        link: message.link,
        severity: message.severity,
        topic: 'incident-ops',
        scope: notification.key,
        metadata: {
          event: message.event,
          ...(message.incidentNumber
            ? { incident: message.incidentNumber }
            : {}),
        },
      },
    });
  }
}
