import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { createStores } from '.';

jest.setTimeout(60_000);

describe('DatabaseReportDeliveryStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const at = (minutes: number) =>
    new Date(Date.parse('2026-11-23T08:00:00Z') + minutes * 60_000);
  const week = { kind: 'weekly', period: '2026-W47' };
  const claim = (minutes: number) => ({
    ...week,
    now: at(minutes),
    leaseMs: 30 * 60_000,
    maxAttempts: 3,
  });

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const { reportDeliveries } = await createStores({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, deliveries: reportDeliveries };
  }

  it.each(databases.eachSupportedId())(
    'lets one caller claim a period; a failed or abandoned one again, up to the attempts, %p',
    async databaseId => {
      const { deliveries } = await setup(databaseId);
      expect(
        await deliveries.getDelivery('weekly', '2026-W47'),
      ).toBeUndefined();
      expect(await deliveries.claimDelivery(claim(0))).toBe(true);
      // another replica, while the first is sending
      expect(await deliveries.claimDelivery(claim(1))).toBe(false);
      // the sender died: after the lease it is taken over
      expect(await deliveries.claimDelivery(claim(31))).toBe(true);
      await deliveries.finishDelivery({
        ...week,
        status: 'failed',
        error: 'Error: SMTP down',
        now: at(32),
      });
      expect(await deliveries.getDelivery('weekly', '2026-W47')).toEqual({
        status: 'failed',
        attempts: 2,
        recipients: [],
        channels: [],
        lastError: 'Error: SMTP down',
        deliveredAt: undefined,
      });
      expect(await deliveries.claimDelivery(claim(33))).toBe(true);
      await deliveries.finishDelivery({
        ...week,
        status: 'failed',
        now: at(34),
      });
      // three attempts made: no more
      expect(await deliveries.claimDelivery(claim(35))).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'queues a claimed report on its channels once and marks it sent, %p',
    async databaseId => {
      const { knex, deliveries } = await setup(databaseId);
      await deliveries.claimDelivery(claim(0));
      const queue = () =>
        deliveries.queueReportDeliveries({
          ...week,
          deliveries: ['backstage', 'email'].map(channel => ({
            key: `report:weekly:2026-W47:${channel}`,
            channel,
            to: ['group:default/management'],
            recipients: [
              { entityRef: 'user:default/ana', email: 'ana@acme.com' },
            ],
          })),
          message: { event: 'weekly-report', title: 'Week 47' },
          recipients: ['group:default/management'],
          now: at(1),
        });
      await queue();
      await queue();
      const rows = await knex('incident_notifications').orderBy('id');
      expect(rows.map(r => [r.kind, r.event, r.channel, r.status])).toEqual([
        ['delivery', 'weekly-report', 'backstage', 'pending'],
        ['delivery', 'weekly-report', 'email', 'pending'],
      ]);
      expect(JSON.parse(rows[1].recipients)).toEqual({
        to: ['group:default/management'],
        recipients: [
          {
            entityRef: 'user:default/ana',
            name: 'user:default/ana',
            email: 'ana@acme.com',
          },
        ],
      });
      expect(await deliveries.getDelivery('weekly', '2026-W47')).toEqual({
        status: 'sent',
        attempts: 1,
        recipients: ['group:default/management'],
        channels: ['backstage', 'email'],
        lastError: undefined,
        deliveredAt: at(1).toISOString(),
      });
      // sent: nobody claims it again
      expect(await deliveries.claimDelivery(claim(60))).toBe(false);
    },
  );
});
