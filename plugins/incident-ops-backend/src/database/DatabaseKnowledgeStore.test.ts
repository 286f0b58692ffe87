import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { migrate } from './migrate';
import { DatabaseKnowledgeStore } from './DatabaseKnowledgeStore';
import type { RepositoryArticle } from './DatabaseKnowledgeStore';

jest.setTimeout(60_000);

const article = (
  id: string,
  overrides: Partial<RepositoryArticle> = {},
): RepositoryArticle => ({
  file: `${id}.md`,
  id,
  number: id,
  title: `Article ${id}`,
  text: `# Article ${id}\n\nBody`,
  format: 'markdown',
  ticketTypes: ['egress'],
  tags: ['egress'],
  tiers: ['L1'],
  replaces: [],
  knowledgeBase: 'Repository',
  workflowState: 'published',
  ...overrides,
});

const incident = { source: 'servicenow', sourceId: 's1', number: 'INC1' };
const view = (id: string, rank: number) => ({
  article: { source: 'repository', id },
  rank,
  score: 10 - rank,
  ticketType: 'egress',
  reasons: { matchedTerms: [{ term: 'egress', fields: ['title'] }] },
});

describe('DatabaseKnowledgeStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    await migrate(database);
    const incidents = await DatabaseIncidentStore.create({ database });
    const store = await DatabaseKnowledgeStore.create({ database, incidents });
    return { knex, store, incidents };
  }

  it.each(databases.eachSupportedId())(
    'keeps the repository articles in step with the folder, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const t0 = new Date('2026-11-26T10:00:00Z');
      expect(
        await store.replaceSourceArticles(
          'repository',
          [article('a'), article('b')],
          t0,
        ),
      ).toEqual({ written: 2, retired: 0 });
      const stamp = await store.articlesStamp();

      // the same folder again (another replica starting): nothing written
      expect(
        await store.replaceSourceArticles(
          'repository',
          [article('a'), article('b')],
          new Date(t0.getTime() + 1000),
        ),
      ).toEqual({ written: 0, retired: 0 });
      expect(await store.articlesStamp()).toBe(stamp);

      // a changed, b removed: a's next version, b retired (kept for the reports)
      const t2 = new Date(t0.getTime() + 2000);
      expect(
        await store.replaceSourceArticles(
          'repository',
          [article('a', { title: 'Better title', replaces: ['KB0010001'] })],
          t2,
        ),
      ).toEqual({ written: 1, retired: 1 });
      expect(await store.articlesStamp()).not.toBe(stamp);
      const rows = await knex('kb_articles')
        .orderBy('number')
        .select('number', 'title', 'workflow_state', 'source_version');
      expect(
        rows.map(r => ({ ...r, source_version: Number(r.source_version) })),
      ).toEqual([
        {
          number: 'a',
          title: 'Better title',
          workflow_state: 'published',
          source_version: 2,
        },
        {
          number: 'b',
          title: 'Article b',
          workflow_state: 'retired',
          source_version: 2,
        },
      ]);
      expect(
        (await store.listSuggestable('2026-11-26')).map(a => a.number),
      ).toEqual(['a']);
      expect(await store.getArticle('a')).toMatchObject({
        source: 'repository',
        number: 'a',
        format: 'markdown',
        ticketTypes: ['egress'],
        tags: ['egress'],
        tiers: ['L1'],
        replaces: ['KB0010001'],
        sourceVersion: 2,
        syncedAt: t2.toISOString(),
      });
      expect(await store.getArticle('b')).toMatchObject({
        workflowState: 'retired',
      });
      expect(await store.getArticle('c')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'suggests only articles valid today, %p',
    async databaseId => {
      const { store, incidents } = await createStore(databaseId);
      await store.replaceSourceArticles(
        'repository',
        [article('a'), article('draft', { workflowState: 'draft' })],
        new Date(),
      );
      await incidents.upsertKnowledgeArticles([
        {
          ...article('KB1'),
          source: 'servicenow',
          id: 'x',
          number: 'KB1',
          validTo: '2026-01-31',
          sourceUpdatedAt: new Date().toISOString(),
          sourceVersion: 1,
          syncedAt: new Date().toISOString(),
        },
      ]);
      expect(
        (await store.listSuggestable('2026-01-31')).map(a => a.number).sort(),
      ).toEqual(['KB1', 'a']);
      expect(
        (await store.listSuggestable('2026-02-01')).map(a => a.number),
      ).toEqual(['a']);
    },
  );

  it.each(databases.eachSupportedId())(
    'is KB-exhausted once every article shown is marked not helpful, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const now = new Date('2026-11-26T10:00:00Z');
      await store.recordViews(
        incident,
        [view('a', 1), view('b', 2)],
        'user:default/ana',
        now,
      );
      // shown again: one more view each, still two articles
      await store.recordViews(incident, [view('a', 1)], 'user:default/bo', now);
      expect(
        Number((await knex('kb_suggestion_views').count({ n: '*' }))[0].n),
      ).toBe(3);
      expect(await store.state(incident)).toEqual({
        shown: 2,
        notHelpful: 0,
        exhausted: false,
      });

      const give = (id: string, helpful: boolean) =>
        store.recordFeedback({
          incident,
          article: { source: 'repository', id },
          helpful,
          actor: 'user:default/ana',
          now,
        });
      expect(await give('a', false)).toMatchObject({
        shown: 2,
        notHelpful: 1,
        exhausted: false,
        becameExhausted: false,
      });
      expect(await give('b', false)).toMatchObject({
        articles: ['a', 'b'],
        shown: 2,
        notHelpful: 2,
        exhausted: true,
        becameExhausted: true,
      });
      // still exhausted: it does not become so twice
      expect(await give('b', false)).toMatchObject({
        exhausted: true,
        becameExhausted: false,
      });
      // the latest feedback counts: b helpful after all
      expect(await give('b', true)).toMatchObject({
        notHelpful: 1,
        exhausted: false,
        becameExhausted: false,
      });
      expect(await give('b', false)).toMatchObject({ becameExhausted: true });

      // a new article shown: not exhausted until it is rejected too
      await store.recordViews(
        incident,
        [view('c', 3)],
        'user:default/ana',
        now,
      );
      expect(await store.state(incident)).toEqual({
        shown: 3,
        notHelpful: 2,
        exhausted: false,
      });

      expect(
        (await store.latestFeedback(incident)).map(f => [
          f.article.id,
          f.helpful,
        ]),
      ).toEqual([
        ['a', false],
        ['b', false],
      ]);
      const rows = await knex('kb_feedback').orderBy('id');
      expect(rows).toHaveLength(5);
      expect(rows[0]).toMatchObject({
        number: 'INC1',
        article_id: 'a',
        actor: 'user:default/ana',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses feedback on an article never shown, writing nothing, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await store.recordViews(
        incident,
        [view('a', 1)],
        'user:default/ana',
        new Date(),
      );
      await expect(
        store.recordFeedback({
          incident,
          article: { source: 'repository', id: 'b' },
          helpful: false,
          actor: 'user:default/ana',
          now: new Date(),
        }),
      ).rejects.toThrow('Article b was never suggested for INC1');
      // shown for another incident only
      await expect(
        store.recordFeedback({
          incident: { ...incident, sourceId: 's2', number: 'INC2' },
          article: { source: 'repository', id: 'a' },
          helpful: false,
          actor: 'user:default/ana',
          now: new Date(),
        }),
      ).rejects.toThrow('never suggested for INC2');
      expect(await knex('kb_feedback')).toEqual([]);
    },
  );
});
