import { TestDatabases } from '@backstage/backend-test-utils';
import { toDate } from '../rows';
import { directory, migrateUpToBefore } from './migrateTo';

jest.setTimeout(60_000);

const MIGRATION = '20261207070000_queue_breach_order.js';

describe('migration 20261207070000_queue_breach_order', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'adds the stored SLA order, makes each open ticket due (with a state row), and goes down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpToBefore(knex, MIGRATION);
      const later = new Date(Date.now() + 72 * 3600_000);
      const earlier = new Date(Date.now() - 3600_000);
      const ticket = (n: number, isOpen: boolean) => ({
        source: 'servicenow',
        source_id: `i${n}`,
        number: `INC${n}`,
        short_description: 'x',
        priority: 'P3',
        status: isOpen ? 'work-in-progress' : 'closed',
        is_open: isOpen,
        source_state: isOpen ? '2' : '7',
        opened_at: new Date(),
        source_updated_at: new Date(),
        source_version: 1,
        synced_at: new Date(),
      });
      await knex('incidents').insert([
        ticket(1, true),
        ticket(2, true),
        ticket(3, true),
        ticket(4, false),
      ]);
      // i5: open, with no state row (it gets one)
      await knex('incidents').insert(ticket(5, true));
      await knex('incident_escalation_state').insert([
        { source: 'servicenow', source_id: 'i1', due_at: later },
        { source: 'servicenow', source_id: 'i2', due_at: null },
        { source: 'servicenow', source_id: 'i3', due_at: earlier },
        { source: 'servicenow', source_id: 'i4', due_at: null },
      ]);

      const before = Date.now();
      await knex.migrate.up({ directory });
      const due = Object.fromEntries(
        (
          await knex('incident_escalation_state').select('source_id', 'due_at')
        ).map(r => [r.source_id, toDate(r.due_at)?.getTime()]),
      );
      // open ones whose clocks the engine has not stored are due now (or earlier)
      for (const id of ['i1', 'i2']) {
        expect(due[id]).toBeGreaterThanOrEqual(before - 1000);
        expect(due[id]).toBeLessThanOrEqual(Date.now());
      }
      expect(due.i3).toBe(earlier.getTime());
      expect(due.i4).toBeUndefined();
      expect(due.i5).toBeLessThanOrEqual(Date.now());
      await knex('incident_escalation_state')
        .where('source_id', 'i1')
        .update({ sla_breach_at: later, sla_frozen_over_ms: -5_000_000_000 });

      await knex.migrate.down({ directory });
      for (const column of ['sla_breach_at', 'sla_frozen_over_ms']) {
        expect(
          await knex.schema.hasColumn('incident_escalation_state', column),
        ).toBe(false);
      }
      expect(await knex('incidents').count({ n: '*' })).toEqual([
        { n: databaseId === 'SQLITE_3' ? 5 : '5' },
      ]);
      await knex.migrate.latest({ directory });
    },
  );
});
