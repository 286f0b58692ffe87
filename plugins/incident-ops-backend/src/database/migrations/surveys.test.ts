import { TestDatabases } from '@backstage/backend-test-utils';
import { directory, migrateUpToBefore } from './migrateTo';

jest.setTimeout(60_000);

const MIGRATION = '20261126140000_survey_links.js';

describe('migration 20261126140000_survey_links', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'links the surveys recorded so far to their article with its source, and goes down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpToBefore(knex, MIGRATION);
      const now = new Date();
      const survey = (n: number, kbArticle: string | null) => ({
        source: 'servicenow',
        source_id: `i${n}`,
        number: `INC${n}`,
        requestor: `caller-${n}`,
        submitted_by: 'user:default/ana',
        rating: 2,
        kb_article: kbArticle,
        created_at: now,
        updated_at: now,
      });
      await knex('incident_surveys').insert([
        survey(1, 'egress-access-livelink'),
        survey(2, null),
      ]);
      const feedback = (n: number, id: string, helpful: boolean) => ({
        incident_source: 'servicenow',
        incident_source_id: `i${n}`,
        number: `INC${n}`,
        article_source: 'repository',
        article_id: id,
        helpful,
        actor: 'user:default/ana',
        created_at: now,
      });
      await knex('kb_feedback').insert([
        feedback(1, 'egress-access-livelink', true),
        feedback(1, 'egress-access-livelink', true),
        feedback(1, 'egress-nfs', false),
        feedback(2, 'egress-nfs', false),
      ]);

      await knex.migrate.up({ directory });
      const links = await knex('incident_survey_articles as a')
        .join('incident_surveys as s', 's.id', 'a.survey_id')
        .select('s.number', 'a.article_source', 'a.article_id', 'a.helpful');
      expect(links.map(l => ({ ...l, helpful: Boolean(l.helpful) }))).toEqual([
        {
          number: 'INC1',
          article_source: 'repository',
          article_id: 'egress-access-livelink',
          helpful: true,
        },
      ]);

      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('incident_survey_articles')).toBe(
        false,
      );
      expect(await knex('incident_surveys')).toHaveLength(2);
      await knex.migrate.latest({ directory });
    },
  );
});
