import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { makeIncident } from '../__fixtures__/incidents';

jest.setTimeout(60_000);

describe('DatabaseIncidentStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseIncidentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, store };
  }

  it.each(databases.eachSupportedId())(
    'stores and reads back every field, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const incident = makeIncident({
        description: 'GPU nodes stuck in NotReady',
        holdReason: undefined,
        resolvedAt: undefined,
        caller: { id: 'c1', name: 'Ana Lima' },
      });
      expect(await store.upsertIncidents([incident])).toEqual({
        stored: 1,
        unchanged: 0,
      });
      expect(await store.getIncidentByNumber('INC13070001')).toEqual(incident);
      expect(await store.getIncidentByNumber('INC0')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'never replaces a newer version with an older one, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.upsertIncidents([
        makeIncident({ sourceVersion: 5, shortDescription: 'v5' }),
      ]);
      // older: ignored
      expect(
        await store.upsertIncidents([
          makeIncident({ sourceVersion: 4, shortDescription: 'v4' }),
        ]),
      ).toEqual({ stored: 0, unchanged: 1 });
      // same version and timestamp: ignored (a retried page)
      expect(
        await store.upsertIncidents([
          makeIncident({ sourceVersion: 5, shortDescription: 'v5 again' }),
        ]),
      ).toEqual({ stored: 0, unchanged: 1 });
      expect(
        (await store.getIncidentByNumber('INC13070001'))?.shortDescription,
      ).toBe('v5');
      // newer: stored
      expect(
        await store.upsertIncidents([
          makeIncident({
            sourceVersion: 6,
            shortDescription: 'v6',
            status: 'resolved',
            resolvedAt: '2026-11-21T10:00:00.000Z',
          }),
        ]),
      ).toEqual({ stored: 1, unchanged: 0 });
      const stored = await store.getIncidentByNumber('INC13070001');
      expect(stored?.shortDescription).toBe('v6');
      expect(stored?.resolvedAt).toBe('2026-11-21T10:00:00.000Z');
    },
  );

  it.each(databases.eachSupportedId())(
    'upserts in chunks and lists by CI, open first and most urgent first, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const many = Array.from({ length: 450 }, (_, n) =>
        makeIncident({
          id: n.toString(16).padStart(32, '0'),
          number: `INC${String(20000000 + n)}`,
          priority: (['P1', 'P2', 'P3', 'P4'] as const)[n % 4],
          status: n % 3 === 0 ? 'closed' : 'work-in-progress',
          configurationItem:
            n % 2 === 0
              ? { id: 'ci-abrc1l', name: 'abrc1l' }
              : { id: 'ci-ns', name: 'abrc1l:livelink-prod' },
        }),
      );
      expect(await store.upsertIncidents(many)).toEqual({
        stored: 450,
        unchanged: 0,
      });

      const open = await store.listIncidentsByCi(['abrc1l'], {
        openOnly: true,
        limit: 1000,
      });
      expect(open).toHaveLength(
        many.filter((i, n) => n % 2 === 0 && i.status !== 'closed').length,
      );
      expect(open.every(i => i.configurationItem?.name === 'abrc1l')).toBe(
        true,
      );
      const priorities = open.map(i => i.priority);
      expect(priorities).toEqual([...priorities].sort());

      // by CI id as well as name, and everything with openOnly false
      const all = await store.listIncidentsByCi(['ci-ns'], {
        openOnly: false,
        limit: 1000,
      });
      expect(all).toHaveLength(225);
      expect(all[0].status).not.toBe('closed');
      expect(all[all.length - 1].status).toBe('closed');
      expect(
        await store.listIncidentsByCi([], { openOnly: false, limit: 10 }),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps each provider cursor and last run, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      expect(await store.getProviderState('servicenow')).toBeUndefined();
      await store.setCursor('servicenow', '{"to":"2026-11-25 10:00:00"}');
      await store.reportSync('servicenow', {
        startedAt: new Date('2026-11-25T10:01:00Z'),
        finishedAt: new Date('2026-11-25T10:01:02Z'),
        fetched: 10,
        stored: 8,
        quarantined: 2,
        error: 'boom',
      });
      await store.setCursor('servicenow', '{"to":"2026-11-25 10:05:00"}');
      expect(await store.listProviderStates()).toEqual([
        {
          provider: 'servicenow',
          cursor: '{"to":"2026-11-25 10:05:00"}',
          lastRun: {
            startedAt: new Date('2026-11-25T10:01:00Z'),
            finishedAt: new Date('2026-11-25T10:01:02Z'),
            fetched: 10,
            stored: 8,
            quarantined: 2,
            error: 'boom',
          },
        },
      ]);
    },
  );
});
