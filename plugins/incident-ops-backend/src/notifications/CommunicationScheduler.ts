import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  CommunicationPolicy,
  communicationObligations,
  lastDailyTime,
} from '@acme/plugin-incident-ops-common';
import type { CommunicationStore } from '../database/CommunicationStore';
import type {
  NotificationStore,
  NotificationEventRow,
} from '../database/DatabaseNotificationStore';

const DAY = 24 * 3_600_000;

/**
 * Drives the communication cadence (operational model, VI): every tick, a missed hourly
 * update becomes a reminder to the assignee and a status report to the requestors, an
 * overdue post-mortem a reminder (again every `remindEvery`), the day's summary one message
 * per requestor, and an unanswered vendor case a breach alert. Every event's key names its
 * hour, day or reminder, so a tick that runs twice (or on two replicas) adds nothing.
 */
export class CommunicationScheduler {
  constructor(
    private readonly options: {
      store: CommunicationStore;
      notifications: NotificationStore;
      policy: CommunicationPolicy;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async tick(): Promise<{ enqueued: number }> {
    const { store, notifications, policy } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    const t = now.getTime();
    const events: NotificationEventRow[] = [];
    const every = policy.hourlyUpdates.every;

    const incidents = await store.cadenceIncidents(policy, now, {
      recentMs: 2 * every,
      postMortemMs: 30 * DAY,
    });
    for (const i of incidents) {
      const at = { source: i.source, sourceId: i.sourceId, number: i.number };
      const id = `${i.source}:${i.sourceId}`;
      const { obligations } = communicationObligations(i.subject, policy, now);
      for (const o of obligations) {
        const due = Date.parse(o.dueAt);
        // Hours missed lately (not those from before this ran: nobody needs those now).
        if (
          o.kind === 'hourly-update' &&
          o.state === 'missed' &&
          t - due < 2 * every
        ) {
          const payload = {
            priority: i.subject.priority,
            slot: o.slot as number,
            dueAt: o.dueAt,
          };
          events.push(
            {
              key: `notify:update-missed:${id}:${o.slot}`,
              event: 'update-missed',
              incident: at,
              payload,
              now,
            },
            {
              key: `notify:status-report:${id}:${o.slot}`,
              event: 'status-report',
              incident: at,
              payload,
              now,
            },
          );
        }
        if (o.kind === 'post-mortem' && o.state === 'overdue') {
          const reminder =
            Math.floor((t - due) / policy.postMortem.remindEvery) + 1;
          events.push({
            key: `notify:post-mortem-overdue:${id}:${reminder}`,
            event: 'post-mortem-overdue',
            incident: at,
            payload: {
              priority: i.subject.priority,
              slot: reminder,
              dueAt: o.dueAt,
            },
            now,
          });
        }
      }
    }

    // The day's summary, once per requestor, of the tickets open at the summary time.
    const day = lastDailyTime(policy.dailySummary.at, t);
    for (const { requestor, incidents: open } of await store.openByRequestor(
      policy.dailySummary.priorities,
      new Date(day.at),
    )) {
      events.push({
        key: `notify:daily-summary:${requestor.id ?? requestor.name}:${
          day.date
        }`,
        event: 'daily-summary',
        payload: { requestor, incidents: open },
        now,
      });
    }

    for (const b of await store.vendorBreaches(now)) {
      events.push({
        key: `notify:vendor-sla-breach:${b.id}`,
        event: 'vendor-sla-breach',
        incident: { source: b.source, sourceId: b.sourceId, number: b.number },
        payload: {
          priority: b.priority,
          vendor: {
            vendor: b.vendor,
            caseId: b.caseId,
            respondBy: b.respondBy,
          },
        },
        now,
      });
    }

    const enqueued = await notifications.enqueue(events);
    if (enqueued > 0) {
      this.options.logger.info(`Communication cadence: ${enqueued} new events`);
    }
    return { enqueued };
  }
}
