import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'fs';

jest.setTimeout(60_000);

const directory = resolvePackagePath(
  '@acme/plugin-incident-ops-backend',
  'migrations',
);

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'go up and down cleanly, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const files = fs.readdirSync(directory).filter(f => f.endsWith('.js'));
      expect(files.length).toBeGreaterThan(0);

      await knex.migrate.latest({ directory });
      await knex('incidents').insert({
        source: 'servicenow',
        source_id: 'a'.repeat(32),
        number: 'INC1',
        short_description: 'x',
        priority: 'P1',
        status: 'unassigned',
        is_open: true,
        source_state: '1',
        opened_at: new Date(),
        source_updated_at: new Date(),
        source_version: 0,
        synced_at: new Date(),
      });
      const [row] = await knex('incidents').select('is_open');
      expect(!!row.is_open).toBe(true);
      // a second incident with the same number from the same source is refused
      // (caught by hand: better-sqlite3's error class is not this realm's Error)
      const duplicate = await Promise.resolve(
        knex('incidents').insert({
          source: 'servicenow',
          source_id: 'b'.repeat(32),
          number: 'INC1',
          short_description: 'y',
          priority: 'P1',
          status: 'unassigned',
          is_open: true,
          source_state: '1',
          opened_at: new Date(),
          source_updated_at: new Date(),
          source_version: 0,
          synced_at: new Date(),
        }),
      ).then(
        () => 'inserted',
        (e: Error) => e.message,
      );
      expect(duplicate).toMatch(/UNIQUE constraint failed|duplicate key/);

      // the migrations after the sixth, newest first, each down cleanly (and all go up
      // again at the end); the seventh adds first response and the policies by id
      expect(await knex.schema.hasColumn('incidents', 'responded_at')).toBe(
        true,
      );
      while (
        (await knex.migrate.currentVersion({ directory })) > '20261125190000'
      ) {
        await knex.migrate.down({ directory });
      }
      expect(await knex.schema.hasColumn('incidents', 'responded_at')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('escalation_policies')).toBe(false);

      // the sixth migration: escalation decisions and the due-time index; going up again
      // makes every open incident due once
      expect(
        await knex.schema.hasColumn('incidents', 'escalation_due_at'),
      ).toBe(true);
      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn('incidents', 'escalation_due_at'),
      ).toBe(false);
      expect(await knex.schema.hasTable('incident_escalations')).toBe(false);
      await knex.migrate.up({ directory });
      expect(
        await knex('incidents')
          .where('escalation_due_at', '<=', new Date(Date.now() + 1000))
          .pluck('number'),
      ).toEqual(['INC1']);
      await knex.migrate.down({ directory });

      // the fifth migration: events and the outbox
      expect(await knex.schema.hasTable('incident_outbox')).toBe(true);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('incident_outbox')).toBe(false);
      expect(await knex.schema.hasTable('incident_events')).toBe(false);

      // the fourth migration: knowledge articles
      expect(await knex.schema.hasTable('kb_articles')).toBe(true);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('kb_articles')).toBe(false);

      // the third migration: ticket type and tier clock, backfilled from opened_at
      const has = (column: string) =>
        knex.schema.hasColumn('incidents', column);
      expect(await has('ticket_type')).toBe(true);
      await knex.migrate.down({ directory });
      expect(await has('ticket_type')).toBe(false);
      expect(await has('tier_entered_at')).toBe(false);
      await knex.migrate.up({ directory });
      const [clock] = await knex('incidents').select(
        'tier_entered_at',
        'opened_at',
      );
      expect(clock.tier_entered_at).toEqual(clock.opened_at);
      await knex.migrate.down({ directory });

      // the second migration: removal marks and quarantine, up and down on its own
      expect(await has('removed_at')).toBe(true);
      expect(await knex.schema.hasTable('incident_quarantine')).toBe(true);
      await knex.migrate.down({ directory });
      expect(await has('removed_at')).toBe(false);
      expect(await knex.schema.hasTable('incident_quarantine')).toBe(false);
      expect(await knex('incidents').pluck('number')).toEqual(['INC1']);
      await knex.migrate.up({ directory });
      expect(await knex('incidents').pluck('removed_at')).toEqual([null]);

      await knex.migrate.latest({ directory });
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('incidents')).toBe(false);
      expect(await knex.schema.hasTable('kb_articles')).toBe(false);
      expect(await knex.schema.hasTable('incident_provider_state')).toBe(false);
      await knex.destroy();
    },
  );
});
