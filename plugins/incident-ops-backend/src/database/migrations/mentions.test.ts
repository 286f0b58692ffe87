import { TestDatabases } from '@backstage/backend-test-utils';
import { mentionedNames } from '../mentionIndex';
import { directory, migrateUpToBefore } from './migrateTo';

jest.setTimeout(60_000);

const MIGRATION = '20261207060000_incident_mentions.js';

describe('migration 20261207060000_incident_mentions', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'indexes the mentions of the stored tickets as the store does, and goes down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpToBefore(knex, MIGRATION);
      const texts: Array<[string, string | null]> = [
        ['Egress for LIVELINK-PROD', 'to nas-03.acme.internal:2049, the NFS'],
        ['x', null],
        ['livelink_prod and livelink-prod2 in ns/karpenter', 'Karpenter'],
      ];
      // more tickets than one page of the backfill
      const rows = Array.from({ length: 2100 }, (_, n) => ({
        source: 'servicenow',
        source_id: `i${String(n).padStart(5, '0')}`,
        number: `INC${n}`,
        short_description: texts[n % 3][0],
        description: texts[n % 3][1],
        priority: 'P3',
        status: 'unassigned',
        is_open: true,
        source_state: '1',
        opened_at: new Date(),
        source_updated_at: new Date(),
        source_version: 1,
        synced_at: new Date(),
      }));
      for (let i = 0; i < rows.length; i += 100) {
        await knex('incidents').insert(rows.slice(i, i + 100));
      }

      await knex.migrate.up({ directory });
      const stored = await knex('incident_mentions').select();
      expect(stored).toHaveLength(
        rows.reduce(
          (n, r) =>
            n + mentionedNames(r.short_description, r.description).length,
          0,
        ),
      );
      const of = (id: string) =>
        stored
          .filter(m => m.source_id === id)
          .map(m => m.name)
          .sort();
      for (const id of ['i00000', 'i00001', 'i00002', 'i02099']) {
        const r = rows.find(x => x.source_id === id)!;
        expect(of(id)).toEqual(
          mentionedNames(r.short_description, r.description).sort(),
        );
      }
      expect(of('i00002')).toEqual(['livelink-prod2']);

      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('incident_mentions')).toBe(false);
    },
  );
});
