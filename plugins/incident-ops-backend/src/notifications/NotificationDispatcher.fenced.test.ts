import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import type { IncidentNotifier } from '@acme/plugin-incident-ops-node';
import { DatabaseNotificationStore } from '../database/DatabaseNotificationStore';
import { migratedDatabase } from '../__testUtils__/database';
import { NotificationDispatcher } from './NotificationDispatcher';

jest.setTimeout(60_000);

const t0 = new Date('2026-11-26T10:00:00.000Z');
const incident = { source: 'servicenow', sourceId: 's1', number: 'INC1' };

describe('NotificationDispatcher: fenced, bounded and ordered', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  /**
   * The real outbox with a router that plans one email per event, to the address in the
   * event's note, and an email notifier that fails as `fail` says.
   */
  async function setup(
    databaseId: TestDatabaseId,
    fail: (title: string) => Error | undefined,
  ) {
    const { knex } = await migratedDatabase(databases, databaseId);
    const store = new DatabaseNotificationStore(knex);
    const sent: string[] = [];
    const email: IncidentNotifier = {
      channel: 'email',
      batch: true,
      address: r => r.email,
      send: async ({ message }) => {
        const error = fail(message.title);
        if (error) throw error;
        sent.push(message.title);
      },
    };
    let clock = t0;
    const dispatcher = new NotificationDispatcher({
      store,
      notifiers: [email],
      logger: mockServices.logger.mock(),
      now: () => clock,
      random: () => 0,
      maxAttempts: 3,
      router: {
        route: async row => ({
          outcome: '1 delivery',
          deliveries: [
            {
              key: `${row.key}:email`,
              channel: 'email',
              to: [String(row.payload.note)],
              recipients: [],
              message: {
                title: row.key,
                body: '',
                severity: 'normal',
                incidentNumber: 'INC1',
                event: row.event,
              },
            },
          ],
        }),
      },
    });
    const notify = (key: string, to = 'ana@acme.com') =>
      store.enqueue([
        {
          key,
          event: 'status-change',
          incident,
          payload: { note: to },
          now: clock,
        },
      ]);
    const deliveries = async () =>
      (await store.list({ limit: 100 }))
        .filter(r => r.kind === 'delivery')
        .reverse()
        .map(r => [r.title, r.status, r.attempts]);
    return {
      store,
      dispatcher,
      sent,
      notify,
      deliveries,
      setClock: (seconds: number) => {
        clock = new Date(t0.getTime() + seconds * 1000);
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'sends to the same people in order: a failing one holds the next, others go on, %p',
    async databaseId => {
      let failures = 1;
      const { dispatcher, sent, notify, deliveries, setClock } = await setup(
        databaseId,
        title =>
          title === 'first' && failures-- > 0
            ? new Error('SMTP 451')
            : undefined,
      );
      await notify('first');
      await notify('second');
      await notify('to-someone-else', 'raj@acme.com');
      expect(await dispatcher.runOnce()).toMatchObject({
        routed: 3,
        delivered: 1,
        retried: 1,
      });
      expect(sent).toEqual(['to-someone-else']);
      expect(await deliveries()).toEqual([
        ['first', 'pending', 1],
        ['second', 'pending', 0],
        ['to-someone-else', 'done', 1],
      ]);
      // backoff: half of 10 s with the jitter at its least
      setClock(5);
      expect(await dispatcher.runOnce()).toMatchObject({ delivered: 2 });
      expect(sent).toEqual(['to-someone-else', 'first', 'second']);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses after maxAttempts, holds later ones to the same people until re-queued, %p',
    async databaseId => {
      let down = true;
      const { store, dispatcher, sent, notify, deliveries, setClock } =
        await setup(databaseId, () =>
          down ? new Error('mailbox unavailable') : undefined,
        );
      await notify('first');
      await notify('second');
      for (let run = 0; run < 5; run++) {
        setClock(run * 3600);
        await dispatcher.runOnce();
      }
      expect(await deliveries()).toEqual([
        ['first', 'refused', 3],
        ['second', 'pending', 0],
      ]);
      const [refused] = await store.list({ limit: 10, status: 'refused' });
      expect(refused.lastError).toBe('Error: mailbox unavailable');
      down = false;
      setClock(5 * 3600);
      expect(await dispatcher.runOnce()).toMatchObject({ delivered: 0 });
      expect(
        await store.settleRefused(refused.id, 'requeue', new Date(t0)),
      ).toBe('requeued');
      expect(await dispatcher.runOnce()).toMatchObject({ delivered: 2 });
      expect(sent).toEqual(['first', 'second']);
    },
  );

  it.each(databases.eachSupportedId())(
    'waits for a notifier’s retryAfter, %p',
    async databaseId => {
      let limited = true;
      const { dispatcher, sent, notify, setClock } = await setup(
        databaseId,
        () => {
          if (!limited) return undefined;
          limited = false;
          return Object.assign(new Error('429'), {
            retryAfter: new Date(t0.getTime() + 300_000),
          });
        },
      );
      await notify('first');
      expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
      setClock(299);
      expect(await dispatcher.runOnce()).toMatchObject({ delivered: 0 });
      setClock(300);
      expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });
      expect(sent).toEqual(['first']);
    },
  );

  it.each(databases.eachSupportedId())(
    'changes nothing for a worker whose claim was taken over, %p',
    async databaseId => {
      const { store, notify } = await setup(databaseId, () => undefined);
      await notify('first');
      const [stale] = await store.claimDue(t0, 10, 60_000);
      const later = new Date(t0.getTime() + 120_000);
      const [current] = await store.claimDue(later, 10, 60_000);
      expect(current).toMatchObject({ id: stale.id, attempts: 2 });
      expect(stale.token).not.toBe(current.token);
      // the first worker routes it late: no deliveries, no change
      const planned = {
        key: 'first:email',
        channel: 'email',
        to: ['ana@acme.com'],
        recipients: [],
        message: {
          title: 'first',
          body: '',
          severity: 'normal' as const,
          event: 'status-change',
        },
      };
      expect(
        await store.completeEvent(stale, incident, [planned], 'late', later),
      ).toBe(false);
      expect(await store.retryLater(stale, 'Error: late', later)).toBe(false);
      expect(await store.markRefused(stale, 'Error: late', later)).toBe(false);
      expect(await store.depth()).toEqual({ running: 1 });
      expect(
        await store.completeEvent(current, incident, [planned], 'ok', later),
      ).toBe(true);
      expect(await store.depth()).toEqual({ done: 1, pending: 1 });
    },
  );
});
