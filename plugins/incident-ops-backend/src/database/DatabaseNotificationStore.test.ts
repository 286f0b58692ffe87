import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  DatabaseNotificationStore,
  NotificationEventRow,
  PlannedDelivery,
  dedupeKey,
} from './DatabaseNotificationStore';
import { migratedDatabase } from '../__testUtils__/database';

jest.setTimeout(60_000);

const t0 = new Date('2026-11-26T10:00:00.000Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const LEASE = 60_000;

const incident = { source: 'servicenow', sourceId: 's1', number: 'INC1' };
/** Another incident: its events are not ordered after INC1's. */
const onIncident = (n: number) => ({
  incident: { source: 'servicenow', sourceId: `s${n}`, number: `INC${n}` },
});

const event = (
  key: string,
  overrides: Partial<NotificationEventRow> = {},
): NotificationEventRow => ({
  key,
  event: 'escalation',
  incident,
  payload: { priority: 'P1', fromTier: 'L1', toTier: 'L2' },
  now: t0,
  ...overrides,
});

const delivery = (key: string, channel = 'email'): PlannedDelivery => ({
  key,
  channel,
  to: ['ana@acme.com'],
  recipients: [{ name: 'Ana Lima', email: 'ana@acme.com' }],
  message: {
    title: 'INC1 escalated to L2',
    body: 'Escalated',
    severity: 'critical',
    incidentNumber: 'INC1',
    event: 'escalation',
  },
});

describe('DatabaseNotificationStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const { knex, database } = await migratedDatabase(databases, databaseId);
    const store = await DatabaseNotificationStore.create({ database });
    return { knex, store };
  }

  it.each(databases.eachSupportedId())(
    'enqueues each key once, with its transaction, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      expect(await store.enqueue([])).toBe(0);
      expect(await store.enqueue([event('a'), event('b')])).toBe(2);
      // again, and a repeat within one batch: only c is new
      expect(await store.enqueue([event('a'), event('c'), event('c')])).toBe(1);

      // keys longer than the column: distinct when they differ only at the end
      const long = 'x'.repeat(300);
      expect(dedupeKey(long).length).toBeLessThanOrEqual(255);
      expect(dedupeKey(`${long}1`)).not.toBe(dedupeKey(`${long}2`));
      expect(dedupeKey('short')).toBe('short');
      expect(await store.enqueue([event(`${long}1`), event(`${long}2`)])).toBe(
        2,
      );
      expect(await store.enqueue([event(`${long}1`)])).toBe(0);

      // enqueued in a transaction that rolls back: nothing stays
      await expect(
        knex.transaction(async tx => {
          await DatabaseNotificationStore.enqueue(tx, [event('d')]);
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');

      const records = await store.listForIncident('INC1');
      expect(records.map(r => r.key)).toEqual([
        'a',
        'b',
        'c',
        dedupeKey(`${long}1`),
        dedupeKey(`${long}2`),
      ]);
      expect(records[0]).toEqual({
        id: expect.any(Number),
        key: 'a',
        kind: 'event',
        event: 'escalation',
        number: 'INC1',
        status: 'pending',
        attempts: 0,
        createdAt: t0.toISOString(),
      });
      expect(await store.depth()).toEqual({ pending: 5 });
    },
  );

  it.each(databases.eachSupportedId())(
    'claims due rows once, in order, and again when the lease runs out, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.enqueue([
        event('a'),
        event('b', { event: 'daily-summary', incident: undefined }),
        event('c', onIncident(3)),
        event('not-yet', { ...onIncident(4), now: later(600) }),
      ]);

      expect(await store.claimDue(t0, 2, LEASE)).toEqual([
        {
          kind: 'event',
          id: expect.any(Number),
          token: expect.any(String),
          key: 'a',
          event: 'escalation',
          attempts: 1,
          incident,
          payload: { priority: 'P1', fromTier: 'L1', toTier: 'L2' },
        },
        expect.objectContaining({
          key: 'b',
          event: 'daily-summary',
          incident: undefined,
        }),
      ]);
      // held: only c is left that is due
      expect(
        (await store.claimDue(later(1), 10, LEASE)).map(c => c.key),
      ).toEqual(['c']);
      expect(await store.claimDue(later(2), 10, LEASE)).toEqual([]);
      expect(await store.depth()).toEqual({ running: 3, pending: 1 });

      // the workers died: after the lease, claimed again with one more attempt, and the
      // row whose time has come too
      const again = await store.claimDue(later(601), 10, LEASE);
      expect(again.map(c => [c.key, c.attempts])).toEqual([
        ['a', 2],
        ['b', 2],
        ['c', 2],
        ['not-yet', 1],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'never gives one row to two workers claiming at once, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
      await store.enqueue(keys.map((k, i) => event(k, onIncident(10 + i))));
      const [one, two] = await Promise.all([
        store.claimDue(t0, 20, LEASE),
        store.claimDue(t0, 20, LEASE),
      ]);
      const claimed = [...one, ...two].map(c => c.key);
      expect(claimed.sort()).toEqual([...keys].sort());
    },
  );

  it.each(databases.eachSupportedId())(
    'completes an event with its deliveries once, and settles each delivery, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.enqueue([event('e')]);
      const [claimed] = await store.claimDue(t0, 1, LEASE);
      const planned = [
        delivery('e:email'),
        { ...delivery('e:slack', 'slack'), to: ['#ops'] },
      ];
      const complete = () =>
        store.completeEvent(claimed, incident, planned, '2 deliveries', t0);
      expect(await complete()).toBe(true);
      // a repeated completion (a worker whose claim ended) adds nothing
      expect(await complete()).toBe(false);

      const records = await store.listForIncident('INC1');
      expect(records).toEqual([
        expect.objectContaining({
          key: 'e',
          kind: 'event',
          status: 'done',
          outcome: '2 deliveries',
          doneAt: t0.toISOString(),
        }),
        {
          id: expect.any(Number),
          key: 'e:email',
          kind: 'delivery',
          event: 'escalation',
          channel: 'email',
          number: 'INC1',
          to: ['ana@acme.com'],
          recipients: [{ name: 'Ana Lima', email: 'ana@acme.com' }],
          title: 'INC1 escalated to L2',
          status: 'pending',
          attempts: 0,
          createdAt: t0.toISOString(),
        },
        expect.objectContaining({ key: 'e:slack', to: ['#ops'] }),
      ]);

      const deliveries = await store.claimDue(later(1), 10, LEASE);
      expect(deliveries[0]).toEqual({
        kind: 'delivery',
        id: records[1].id,
        token: expect.any(String),
        event: 'escalation',
        attempts: 1,
        ...delivery('e:email'),
      });
      const [email, slack] = deliveries;

      // email fails once, then goes; slack gives up
      expect(await store.retryLater(email, 'SMTP 451', later(60))).toBe(true);
      expect(await store.claimDue(later(59), 10, LEASE)).toEqual([]);
      await store.markRefused(slack, 'channel_not_found', later(2));
      const retried = await store.claimDue(later(60), 10, LEASE);
      expect(retried.map(c => [c.key, c.attempts])).toEqual([['e:email', 2]]);
      // the first claim of it is over: its worker changes nothing
      expect(await store.markDone(email, 'sent', later(61))).toBe(false);
      expect(await store.markDone(retried[0], 'sent', later(61))).toBe(true);

      expect(
        (await store.listForIncident('INC1')).map(r => [
          r.key,
          r.status,
          r.attempts,
          r.lastError,
          r.outcome,
        ]),
      ).toEqual([
        ['e', 'done', 1, undefined, '2 deliveries'],
        // a success clears the earlier error
        ['e:email', 'done', 2, undefined, 'sent'],
        ['e:slack', 'refused', 1, 'channel_not_found', undefined],
      ]);
      expect(await store.depth()).toEqual({ done: 2, refused: 1 });
      // refused rows stay, and are never claimed again (until an admin re-queues them)
      expect(await store.claimDue(later(3600), 10, LEASE)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists the newest first, and an incident only its own, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.enqueue([
        event('a'),
        event('b', {
          incident: { source: 'servicenow', sourceId: 's2', number: 'INC2' },
        }),
        event('c', { event: 'daily-summary', incident: undefined }),
      ]);
      expect((await store.list({ limit: 2 })).map(r => r.key)).toEqual([
        'c',
        'b',
      ]);
      expect((await store.listForIncident('INC2')).map(r => r.key)).toEqual([
        'b',
      ]);
      expect(await store.listForIncident('INC3')).toEqual([]);
    },
  );
});
