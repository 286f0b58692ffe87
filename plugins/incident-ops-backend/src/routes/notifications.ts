import {
  communicationObligations,
  incidentOpsIncidentCommunicatePermission,
  incidentOpsSyncAdminPermission,
} from '@acme/plugin-incident-ops-common';
import { NotFoundError } from '@backstage/errors';
import type { CommunicationServices } from '../notifications/setup';
import type { NotificationRecord } from '../database/DatabaseNotificationStore';
import type { IncidentOpsRouter, RouteContext } from './context';
import { settleRefusedItem } from './sync';

/** A notification without the addresses and phone numbers it went to. */
function withoutContactDetails(n: NotificationRecord): NotificationRecord {
  const { to: _to, recipients, ...rest } = n;
  return {
    ...rest,
    ...(recipients
      ? {
          recipients: recipients.map(({ email: _e, phone: _p, ...who }) => who),
        }
      : {}),
  };
}

/**
 * The communication cadence per incident and across incidents (what is due when), updates
 * and post-mortems people record (which notify the stakeholders), and what was sent.
 */
export function registerNotificationRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
  comms: CommunicationServices,
  now: () => Date = () => new Date(),
) {
  const { authorize, authorizeRead, actorOf, audited } = ctx;
  const { store, notifications, policy, signals } = comms;

  router.get('/incidents/:number/communications', async (req, res) => {
    const { number } = req.params;
    const credentials = await authorizeRead(req, number);
    // recipients' addresses and phone numbers are for admins
    const details = await ctx.access.allows(
      credentials,
      incidentOpsSyncAdminPermission,
    );
    const incident = await store.cadenceIncident(number);
    if (!incident) throw new NotFoundError(`No incident ${number}`);
    const at = now();
    const reading = communicationObligations(incident.subject, policy, at);
    const [updates, sent] = await Promise.all([
      store.listUpdates(number),
      notifications.listForIncident(number),
    ]);
    res.json({
      number,
      priority: incident.subject.priority,
      status: incident.subject.status,
      at: at.toISOString(),
      obligations: reading.obligations,
      ...(reading.next
        ? {
            next: {
              ...reading.next,
              dueInMs: Date.parse(reading.next.dueAt) - at.getTime(),
            },
          }
        : {}),
      realTime: policy.realTime.priorities.includes(incident.subject.priority),
      updates,
      notifications: details ? sent : sent.map(withoutContactDetails),
    });
  });

  router.post('/incidents/:number/updates', async (req, res) => {
    const { number } = req.params;
    const actor = actorOf(
      await authorize(
        req,
        incidentOpsIncidentCommunicatePermission,
        `send updates on ${number} to stakeholders`,
        number,
      ),
    );
    const { message, link, kind = 'update' } = req.body;
    const update = await audited(
      req,
      'incident-communication',
      { number, kind },
      async () => {
        const result = await store.recordUpdate({
          number,
          kind,
          message,
          link,
          actor,
          now: now(),
        });
        return { result, meta: { updateId: result.id } };
      },
    );
    ctx.tasks?.runSoon('notifications');
    await signals.incidentChanged(number, kind);
    res.status(201).json({ update });
  });

  router.get('/notifications/outbox', async (req, res) => {
    await authorize(
      req,
      incidentOpsSyncAdminPermission,
      'read the notification outbox',
    );
    const items = await notifications.list({
      status: req.query.status,
      limit: req.query.limit ?? 50,
    });
    res.json({ items });
  });

  for (const action of ['requeue', 'discard'] as const) {
    router.post(`/notifications/outbox/:id/${action}`, async (req, res) => {
      res.json(
        await settleRefusedItem(
          ctx,
          req,
          { what: 'notification', items: notifications },
          Number(req.params.id),
          action,
        ),
      );
    });
  }

  router.get('/communications/due', async (req, res) => {
    const { restrict } = await ctx.authorizeList(req);
    const { limit = 200 } = req.query;
    const at = now();
    const visible = await ctx.visibleTo(
      restrict,
      await store.cadenceIncidents(policy, at, {
        recentMs: 0,
        postMortemMs: 90 * 24 * 3_600_000,
      }),
    );
    const items = visible
      .flatMap(i => {
        const { next } = communicationObligations(i.subject, policy, at);
        // the next one to meet is an hourly update or a post-mortem, upcoming or overdue
        return next &&
          next.kind !== 'daily-summary' &&
          (next.state === 'upcoming' || next.state === 'overdue')
          ? [
              {
                number: i.number,
                priority: i.subject.priority,
                status: i.subject.status,
                shortDescription: i.shortDescription,
                kind: next.kind,
                slot: next.slot,
                dueAt: next.dueAt,
                state: next.state,
                dueInMs: Date.parse(next.dueAt) - at.getTime(),
              },
            ]
          : [];
      })
      .sort((a, b) => a.dueInMs - b.dueInMs);
    res.json({
      at: at.toISOString(),
      overdue: items.filter(i => i.state === 'overdue').length,
      items: items.slice(0, limit),
    });
  });
}
