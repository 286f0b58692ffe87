import { TestDatabases } from '@backstage/backend-test-utils';
import { directory, migrateUpToBefore } from './migrateTo';

jest.setTimeout(60_000);

const MIGRATION = '20261126100000_knowledge.js';

describe('migration 20261126100000_knowledge', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'adds what articles answer and the views and feedback tables, and goes down keeping the articles, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpToBefore(knex, MIGRATION);
      const now = new Date();
      await knex('kb_articles').insert({
        source: 'servicenow',
        source_id: 's1',
        number: 'KB0010001',
        title: 'Egress',
        text: 'Egress rules',
        workflow_state: 'published',
        source_updated_at: now,
        source_version: 1,
        synced_at: now,
      });

      await knex.migrate.up({ directory });
      const [article] = await knex('kb_articles').select(
        'number',
        'format',
        'ticket_types',
        'tags',
        'attributes',
      );
      expect(article).toEqual({
        number: 'KB0010001',
        format: null,
        ticket_types: null,
        tags: null,
        attributes: null,
      });
      const incident = {
        incident_source: 'servicenow',
        incident_source_id: 'i1',
        number: 'INC1',
        article_source: 'servicenow',
        article_id: 'KB0010001',
        actor: 'user:default/ana',
      };
      await knex('kb_suggestion_views').insert({
        ...incident,
        rank: 1,
        score: 2.5,
        ticket_type: 'egress',
        reasons: '{}',
        shown_at: now,
      });
      await knex('kb_feedback').insert({
        ...incident,
        helpful: false,
        created_at: now,
      });
      const [feedback] = await knex('kb_feedback').select('helpful', 'note');
      expect({ ...feedback, helpful: !!feedback.helpful }).toEqual({
        helpful: false,
        note: null,
      });

      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('kb_suggestion_views')).toBe(false);
      expect(await knex.schema.hasTable('kb_feedback')).toBe(false);
      expect(await knex.schema.hasColumn('kb_articles', 'ticket_types')).toBe(
        false,
      );
      expect(await knex('kb_articles').pluck('number')).toEqual(['KB0010001']);
      await knex.destroy();
    },
  );
});
