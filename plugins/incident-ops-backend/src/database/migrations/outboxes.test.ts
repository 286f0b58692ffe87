import { TestDatabases } from '@backstage/backend-test-utils';
import { orderKey } from '../DatabaseNotificationStore';
import { directory, migrateUpToBefore } from './migrateTo';

jest.setTimeout(60_000);

const MIGRATION = '20261207013000_fenced_outboxes.js';

describe('migration 20261207013000_fenced_outboxes', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'adds claim tokens and leases, orders the notifications still to send, makes failed ones refused, and goes down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpToBefore(knex, MIGRATION);
      const now = new Date();
      await knex('incident_outbox').insert({
        dedupe_key: 'w1',
        source: 'servicenow',
        source_id: 's1',
        payload: '{}',
        status: 'running',
        attempts: 1,
        next_attempt_at: now,
        claimed_at: now,
        created_at: now,
      });
      const to = ['raj@acme.com', 'ana@acme.com'];
      const row = (key: string, kind: string, status: string) => ({
        dedupe_key: key,
        kind,
        event: 'escalation',
        channel: kind === 'delivery' ? 'email' : null,
        number: 'INC1',
        recipients:
          kind === 'delivery' ? JSON.stringify({ to, recipients: [] }) : null,
        payload: '{}',
        status,
        attempts: 1,
        next_attempt_at: now,
        created_at: now,
      });
      await knex('incident_notifications').insert([
        row('e1', 'event', 'pending'),
        row('d1', 'delivery', 'failed'),
        row('d2', 'delivery', 'done'),
      ]);

      await knex.migrate.up({ directory });
      const notifications = await knex('incident_notifications')
        .orderBy('id')
        .select('dedupe_key', 'status', 'order_key', 'claim_token');
      expect(notifications).toEqual([
        {
          dedupe_key: 'e1',
          status: 'pending',
          order_key: orderKey({ kind: 'event', number: 'INC1' }),
          claim_token: null,
        },
        {
          dedupe_key: 'd1',
          status: 'refused',
          // as the store computes it, whatever the order of the addresses
          order_key: orderKey({
            kind: 'delivery',
            number: 'INC1',
            channel: 'email',
            to: [...to].reverse(),
          }),
          claim_token: null,
        },
        // sent: never ordered again
        {
          dedupe_key: 'd2',
          status: 'done',
          order_key: null,
          claim_token: null,
        },
      ]);
      const [writeBack] = await knex('incident_outbox');
      expect(writeBack).toMatchObject({ claim_token: null, lease_until: null });

      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn('incident_outbox', 'claim_token'),
      ).toBe(false);
      expect(
        await knex.schema.hasColumn('incident_notifications', 'order_key'),
      ).toBe(false);
      expect(
        (await knex('incident_notifications').orderBy('id')).map(r => r.status),
      ).toEqual(['pending', 'failed', 'done']);
      await knex.migrate.latest({ directory });
    },
  );
});
