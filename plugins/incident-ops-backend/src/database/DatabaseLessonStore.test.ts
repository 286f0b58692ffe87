import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { LessonInput } from '@acme/plugin-incident-ops-common';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseLessonStore } from './DatabaseLessonStore';
import { makeIncident } from '../__fixtures__/incidents';
import { migratedDatabase } from '../__testUtils__/database';

jest.setTimeout(60_000);

const t0 = new Date('2026-11-26T10:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('DatabaseLessonStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const { knex, database } = await migratedDatabase(databases, databaseId);
    const incidents = await DatabaseIncidentStore.create({ database });
    const store = await DatabaseLessonStore.create({ database });
    return { knex, store, incidents };
  }

  /** A lesson created at `minutes` past t0 by ana. */
  const create = (
    store: DatabaseLessonStore,
    id: string,
    minutes = 0,
    input: LessonInput = {},
  ) =>
    store.create({
      input: {
        id,
        title: `Lesson ${id}`,
        summary: `What ${id} taught`,
        ...input,
      },
      source: 'api',
      actor: 'user:default/ana',
      now: later(minutes),
    });

  it.each(databases.eachSupportedId())(
    'creates a lesson with its links and refuses the same id twice, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const created = await create(store, 'egress-cidr', 0, {
        rootCause: 'The CIDR list was stale',
        actions: [{ description: 'Automate the list', status: 'open' }],
        status: 'monitoring',
        ticketType: 'egress',
        incidents: ['INC2', 'INC1'],
        kbArticles: ['KB0010001'],
        playbooks: ['egress-access'],
      });
      expect(created).toEqual({
        id: 'egress-cidr',
        title: 'Lesson egress-cidr',
        summary: 'What egress-cidr taught',
        rootCause: 'The CIDR list was stale',
        actions: [{ description: 'Automate the list', status: 'open' }],
        status: 'monitoring',
        ticketType: 'egress',
        // each list sorted
        incidents: ['INC1', 'INC2'],
        kbArticles: ['KB0010001'],
        playbooks: ['egress-access'],
        source: 'api',
        createdBy: 'user:default/ana',
        createdAt: t0.toISOString(),
        updatedBy: 'user:default/ana',
        updatedAt: t0.toISOString(),
      });
      expect(await store.get('egress-cidr')).toEqual(created);

      // the defaults, and no optional keys
      const bare = await create(store, 'bare');
      expect(bare).toMatchObject({
        status: 'open',
        actions: [],
        incidents: [],
        kbArticles: [],
        playbooks: [],
      });
      expect(bare).not.toHaveProperty('rootCause');
      expect(bare).not.toHaveProperty('ticketType');

      await expect(
        create(store, 'egress-cidr', 5, { incidents: ['INC9'] }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          "A lesson with id 'egress-cidr' already exists",
        ),
      });
      expect(await store.get('egress-cidr')).toEqual(created);
      expect(
        await knex('lessons_learned_links')
          .where({ lesson_id: 'egress-cidr', kind: 'incident' })
          .orderBy('ref')
          .pluck('ref'),
      ).toEqual(['INC1', 'INC2']);
      expect(await store.get('missing')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'changes only the keys given; a list given replaces that list, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await create(store, 'l1', 0, {
        rootCause: 'Stale list',
        incidents: ['INC1', 'INC2'],
        kbArticles: ['KB1'],
        playbooks: ['egress-access'],
      });
      const updated = await store.update({
        id: 'l1',
        input: {
          status: 'closed',
          actions: [{ description: 'Done', status: 'done' }],
          incidents: ['INC3'],
          kbArticles: [],
        },
        actor: 'user:default/bo',
        now: later(30),
      });
      expect(updated).toEqual({
        id: 'l1',
        title: 'Lesson l1',
        summary: 'What l1 taught',
        rootCause: 'Stale list',
        actions: [{ description: 'Done', status: 'done' }],
        status: 'closed',
        incidents: ['INC3'],
        kbArticles: [],
        // not given: kept
        playbooks: ['egress-access'],
        source: 'api',
        createdBy: 'user:default/ana',
        createdAt: t0.toISOString(),
        updatedBy: 'user:default/bo',
        updatedAt: later(30).toISOString(),
      });
      expect(await store.get('l1')).toEqual(updated);

      await expect(
        store.update({
          id: 'nope',
          input: { title: 'x' },
          actor: 'user:default/bo',
          now: later(31),
        }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: "No lesson 'nope'",
      });
      expect(await store.get('nope')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'lists the most recently updated first, filtered by links, with the total, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await create(store, 'b', 0, { incidents: ['INC1'], status: 'closed' });
      await create(store, 'a', 0, {
        incidents: ['INC1', 'INC2'],
        playbooks: ['egress-access'],
        ticketType: 'egress',
      });
      await create(store, 'c', 10, { kbArticles: ['KB1'] });
      const ids = async (
        filter: Partial<Parameters<DatabaseLessonStore['list']>[0]> = {},
      ) => {
        const { items, total } = await store.list({
          limit: 10,
          offset: 0,
          ...filter,
        });
        return { ids: items.map(l => l.id), total };
      };

      // same update time: by id
      expect(await ids()).toEqual({ ids: ['c', 'a', 'b'], total: 3 });
      expect(await ids({ limit: 2, offset: 1 })).toEqual({
        ids: ['a', 'b'],
        total: 3,
      });
      expect(await ids({ offset: 3 })).toEqual({ ids: [], total: 3 });
      expect(await ids({ incident: 'INC1' })).toEqual({
        ids: ['a', 'b'],
        total: 2,
      });
      expect(await ids({ incident: 'INC2' })).toEqual({ ids: ['a'], total: 1 });
      expect(await ids({ playbook: 'egress-access' })).toEqual({
        ids: ['a'],
        total: 1,
      });
      expect(await ids({ kbArticle: 'KB1' })).toEqual({ ids: ['c'], total: 1 });
      expect(await ids({ status: 'closed' })).toEqual({ ids: ['b'], total: 1 });
      expect(await ids({ ticketType: 'egress' })).toEqual({
        ids: ['a'],
        total: 1,
      });
      expect(await ids({ incident: 'INC1', status: 'open' })).toEqual({
        ids: ['a'],
        total: 1,
      });
      expect(await ids({ incident: 'INC9' })).toEqual({ ids: [], total: 0 });

      // an update brings it to the top
      await store.update({
        id: 'b',
        input: { summary: 'Reworded' },
        actor: 'user:default/bo',
        now: later(20),
      });
      expect(await ids()).toEqual({ ids: ['b', 'c', 'a'], total: 3 });
    },
  );

  it.each(databases.eachSupportedId())(
    'tells which incidents and articles are not stored, %p',
    async databaseId => {
      const { store, incidents } = await createStore(databaseId);
      await incidents.upsertIncidents([
        makeIncident({ id: '1'.repeat(32), number: 'INC1' }),
        makeIncident({ id: '2'.repeat(32), number: 'INC2' }),
      ]);
      await incidents.upsertKnowledgeArticles([
        {
          source: 'servicenow',
          id: 'b'.repeat(32),
          number: 'KB0010008',
          title: 'Pod visibility loss',
          text: 'Check the RoleBindings',
          workflowState: 'published',
          sourceUpdatedAt: t0.toISOString(),
          sourceVersion: 1,
          syncedAt: t0.toISOString(),
        },
      ]);

      expect(await store.unknownIncidents([])).toEqual([]);
      expect(await store.unknownArticles([])).toEqual([]);
      expect(await store.unknownIncidents(['INC2', 'INC3', 'INC1'])).toEqual([
        'INC3',
      ]);
      // by number or by the source's id
      expect(
        await store.unknownArticles(['KB0010008', 'b'.repeat(32), 'KB404']),
      ).toEqual(['KB404']);

      // more than one chunk: the known ones are found in every chunk
      const many = Array.from({ length: 450 }, (_, i) => `INC9${i}`);
      many[300] = 'INC1';
      expect(await store.unknownIncidents(many)).toEqual(
        many.filter(n => n !== 'INC1'),
      );
      const articles = Array.from({ length: 450 }, (_, i) => `KB9${i}`);
      articles[420] = 'KB0010008';
      expect(await store.unknownArticles(articles)).toEqual(
        articles.filter(n => n !== 'KB0010008'),
      );
    },
  );
});
