import { TestDatabases } from '@backstage/backend-test-utils';
import { toDate } from '../rows';
import { directory, migrateUpToBefore } from './migrateTo';

jest.setTimeout(60_000);

const MIGRATION = '20261207030000_triage_due.js';

describe('migration 20261207030000_triage_due', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'makes each open ticket with no tier due once, and goes down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpToBefore(knex, MIGRATION);
      const later = new Date(Date.now() + 72 * 3600_000);
      const ticket = (
        n: number,
        fields: { tier: string | null; is_open: boolean; removed?: boolean },
      ) => ({
        source: 'servicenow',
        source_id: `i${n}`,
        number: `INC${n}`,
        short_description: 'x',
        priority: 'P3',
        status: fields.is_open ? 'unassigned' : 'closed',
        is_open: fields.is_open,
        tier: fields.tier,
        source_state: fields.is_open ? '1' : '7',
        opened_at: new Date(),
        source_updated_at: new Date(),
        source_version: 1,
        synced_at: new Date(),
        removed_at: fields.removed ? new Date() : null,
      });
      await knex('incidents').insert([
        ticket(1, { tier: null, is_open: true }),
        ticket(2, { tier: 'L1', is_open: true }),
        ticket(3, { tier: null, is_open: false }),
        ticket(4, { tier: null, is_open: true, removed: true }),
        ticket(5, { tier: null, is_open: true }),
      ]);
      await knex('incident_escalation_state').insert([
        { source: 'servicenow', source_id: 'i1', due_at: later },
        { source: 'servicenow', source_id: 'i2', due_at: later },
        { source: 'servicenow', source_id: 'i3', due_at: null },
        { source: 'servicenow', source_id: 'i4', due_at: null },
        { source: 'servicenow', source_id: 'i5', due_at: null },
      ]);

      const before = Date.now();
      await knex.migrate.up({ directory });
      const due = Object.fromEntries(
        (
          await knex('incident_escalation_state').select('source_id', 'due_at')
        ).map(r => [r.source_id, toDate(r.due_at)?.getTime()]),
      );
      for (const id of ['i1', 'i5']) {
        expect(due[id]).toBeGreaterThanOrEqual(before - 1000);
        expect(due[id]).toBeLessThanOrEqual(Date.now());
      }
      expect(due.i2).toBe(later.getTime());
      expect(due.i3).toBeUndefined();
      expect(due.i4).toBeUndefined();

      // down undoes nothing (the engine sets the due times again) and goes cleanly
      await knex.migrate.down({ directory });
      expect(
        (await knex.migrate.currentVersion({ directory })) < '20261207030000',
      ).toBe(true);
      expect(
        await knex('incident_escalation_state').pluck('source_id'),
      ).toEqual(expect.arrayContaining(['i1', 'i2', 'i3', 'i4', 'i5']));
    },
  );
});
