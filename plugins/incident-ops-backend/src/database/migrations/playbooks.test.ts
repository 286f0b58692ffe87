import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

jest.setTimeout(60_000);

const directory = resolvePackagePath(
  '@acme/plugin-incident-ops-backend',
  'migrations',
);
const name = '20261126110000_playbooks.js';

describe('the playbooks migration', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'creates the run, step result and lesson tables and drops them again, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const now = new Date('2026-11-26T10:00:00Z');
      const [run] = await knex('playbook_runs')
        .insert({
          source: 'servicenow',
          source_id: 'a'.repeat(32),
          number: 'INC1',
          playbook_id: 'egress-access',
          playbook_title: 'Egress Access',
          definition: '{}',
          status: 'active',
          field_values: '{}',
          started_by: 'user:default/a',
          started_at: now,
          updated_at: now,
        })
        .returning('id');
      await knex('playbook_step_results').insert({
        run_id: typeof run === 'object' ? run.id : run,
        playbook_id: 'egress-access',
        step_id: 'validate-namespace',
        step_kind: 'check',
        status: 'skipped',
        note: 'known namespace',
        actor: 'user:default/a',
        created_at: now,
      });
      await knex('lessons_learned').insert({
        id: 'drops',
        title: 'Drops',
        summary: 'x',
        actions: '[]',
        status: 'open',
        source: 'api',
        created_by: 'a',
        created_at: now,
        updated_by: 'a',
        updated_at: now,
      });
      await knex('lessons_learned_links').insert({
        lesson_id: 'drops',
        kind: 'playbook',
        ref: 'egress-access',
      });
      // a link is kept once
      const twice = await Promise.resolve(
        knex('lessons_learned_links').insert({
          lesson_id: 'drops',
          kind: 'playbook',
          ref: 'egress-access',
        }),
      ).then(
        () => 'inserted',
        (e: Error) => e.message,
      );
      expect(twice).toMatch(/UNIQUE constraint failed|duplicate key/);
      // what the reports count: skipped and failed steps per playbook
      expect(
        await knex('playbook_step_results')
          .where({ playbook_id: 'egress-access' })
          .whereIn('status', ['skipped', 'failed'])
          .count({ n: '*' }),
      ).toEqual([{ n: databaseId === 'SQLITE_3' ? 1 : '1' }]);

      await knex.migrate.down({ directory, name });
      for (const table of [
        'playbook_runs',
        'playbook_step_results',
        'lessons_learned',
        'lessons_learned_links',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      await knex.migrate.up({ directory, name });
      expect(await knex.schema.hasTable('playbook_step_results')).toBe(true);
    },
  );
});
