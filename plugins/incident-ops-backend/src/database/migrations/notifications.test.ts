import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

jest.setTimeout(60_000);

const directory = resolvePackagePath(
  '@acme/plugin-incident-ops-backend',
  'migrations',
);
const name = '20261126120000_notifications.js';

describe(`migration ${name}`, () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'creates the outbox (one row per dedupe key), updates and vendor engagements (one per case), and goes down cleanly, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const row = (key: string) => ({
        dedupe_key: key,
        kind: 'event',
        event: 'escalation',
        payload: '{}',
        status: 'pending',
        next_attempt_at: new Date(),
        created_at: new Date(),
      });
      await knex('incident_notifications').insert(row('k1'));
      const again = await Promise.resolve(
        knex('incident_notifications').insert(row('k1')),
      ).then(
        () => 'inserted',
        (e: Error) => e.message,
      );
      expect(again).toMatch(/UNIQUE constraint failed|duplicate key/);

      const engagement = {
        source: 'servicenow',
        source_id: 'a'.repeat(32),
        number: 'INC1',
        vendor: 'tanzu',
        case_id: 'SR-1',
        opened_at: new Date(),
        response_sla_ms: 1_800_000,
        respond_by: new Date(),
        opened_by: 'user:default/carlos.rivera',
        created_at: new Date(),
      };
      await knex('vendor_engagements').insert(engagement);
      const duplicate = await Promise.resolve(
        knex('vendor_engagements').insert({ ...engagement, number: 'INC2' }),
      ).then(
        () => 'inserted',
        (e: Error) => e.message,
      );
      expect(duplicate).toMatch(/UNIQUE constraint failed|duplicate key/);
      expect(await knex.schema.hasTable('incident_updates')).toBe(true);

      await knex.migrate.down({ directory, name });
      for (const table of [
        'incident_notifications',
        'incident_updates',
        'vendor_engagements',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      // the others are untouched, and it goes up again
      expect(await knex.schema.hasTable('incident_outbox')).toBe(true);
      await knex.migrate.latest({ directory });
      expect(await knex('incident_notifications').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      await knex.destroy();
    },
  );
});
