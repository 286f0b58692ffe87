import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { migrate } from './migrate';
import { isIndexedName, mentionedNames } from './mentionIndex';
import { mentions } from '../contacts/entityIncidents';
import { makeIncident } from '../__fixtures__/incidents';

jest.setTimeout(60_000);

describe('mentionedNames', () => {
  it('holds the whole words shaped like Kubernetes names, once each', () => {
    expect(
      mentionedNames(
        'Egress for LIVELINK-PROD to nas-03.acme.internal:2049',
        'pods in livelink-prod2 and livelink-prod, not -x- or the 10.0.0.1 host_a',
      ).sort(),
    ).toEqual(['livelink-prod', 'livelink-prod2', 'nas-03']);
  });

  it('agrees with mentions() on every name it holds', () => {
    const text =
      'Pods of flux-system (and gitlab-runners-2) on abrc1l: see monitoring.';
    for (const name of ['flux-system', 'gitlab-runners', 'gitlab-runners-2']) {
      expect(isIndexedName(name)).toBe(true);
      expect(mentionedNames(text).includes(name)).toBe(mentions(text, name));
    }
    expect(isIndexedName('livelink_prod')).toBe(false);
    expect(isIndexedName('monitoring')).toBe(false);
    expect(isIndexedName('-x-')).toBe(false);
  });
});

describe('the mention index of DatabaseIncidentStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    await migrate(database);
    const store = await DatabaseIncidentStore.create({ database });
    const list = (mentioning: string[], ciKeys: string[] = [], limit = 10) =>
      store
        .listIncidentsByCi(ciKeys, { openOnly: false, limit, mentioning })
        .then(r => r.map(i => i.number).sort());
    return { knex, store, list };
  }

  it.each(databases.eachSupportedId())(
    'finds whole words only: livelink-prod2 is not livelink-prod, %p',
    async databaseId => {
      const { store, list } = await createStore(databaseId);
      await store.upsertIncidents([
        makeIncident({
          id: '1'.repeat(32),
          number: 'INC1',
          shortDescription: 'Egress from livelink-prod2',
          configurationItem: undefined,
        }),
        makeIncident({
          id: '2'.repeat(32),
          number: 'INC2',
          shortDescription: 'x',
          description: 'Pods in ns/LiveLink-Prod: cannot pull',
          configurationItem: undefined,
        }),
      ]);
      expect(await list(['livelink-prod'])).toEqual(['INC2']);
      expect(await list(['livelink-prod2'])).toEqual(['INC1']);
      // a text search would find both
      expect(await list(['livelink-pro'])).toEqual([]);
      // a name the index does not hold is looked for in the text (a substring; the entity
      // list checks whole words)
      expect(await list(['livelink'])).toEqual(['INC1', 'INC2']);
    },
  );

  it.each(databases.eachSupportedId())(
    'indexes a ticket again when its text changes, and not for an older version, %p',
    async databaseId => {
      const { knex, store, list } = await createStore(databaseId);
      const ticket = (version: number, text: string) =>
        makeIncident({
          id: '1'.repeat(32),
          number: 'INC1',
          shortDescription: text,
          description: undefined,
          configurationItem: undefined,
          sourceVersion: version,
          sourceUpdatedAt: `2026-11-20T0${version}:00:00.000Z`,
        });
      await store.upsertIncidents([ticket(1, 'DNS fails in livelink-prod')]);
      expect(await list(['livelink-prod'])).toEqual(['INC1']);

      await store.upsertIncidents([ticket(2, 'DNS fails in livelink-uat')]);
      expect(await list(['livelink-prod'])).toEqual([]);
      expect(await list(['livelink-uat'])).toEqual(['INC1']);

      await store.upsertIncidents([ticket(1, 'DNS fails in livelink-prod')]);
      expect(await list(['livelink-uat'])).toEqual(['INC1']);
      expect(
        (await knex('incident_mentions').orderBy('name').pluck('name')).sort(),
      ).toEqual(['livelink-uat']);
    },
  );

  it.each(databases.eachSupportedId())(
    'merges tickets found by CI and by mention: open first, most urgent, newest, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const at = (n: number, over: Parameters<typeof makeIncident>[0]) =>
        makeIncident({
          id: String(n).repeat(32),
          number: `INC${n}`,
          description: undefined,
          ...over,
        });
      await store.upsertIncidents([
        at(1, {
          priority: 'P3',
          shortDescription: 'by CI',
          configurationItem: { id: 'c1', name: 'abrc1l:livelink-prod' },
        }),
        at(2, {
          priority: 'P2',
          shortDescription: 'about livelink-prod',
          configurationItem: undefined,
        }),
        at(3, {
          priority: 'P1',
          status: 'closed',
          sourceState: '7',
          shortDescription: 'about livelink-prod, closed',
          configurationItem: undefined,
        }),
        at(4, {
          priority: 'P2',
          openedAt: '2026-11-21T08:00:00.000Z',
          shortDescription: 'livelink-prod again, and by CI',
          configurationItem: { id: 'c1', name: 'abrc1l:livelink-prod' },
        }),
        at(5, {
          priority: 'P1',
          shortDescription: 'elsewhere',
          configurationItem: { id: 'c9', name: 'mecc' },
        }),
      ]);
      const ordered = (limit: number) =>
        store
          .listIncidentsByCi(['abrc1l:livelink-prod'], {
            openOnly: false,
            limit,
            mentioning: ['livelink-prod'],
          })
          .then(r => r.map(i => i.number));
      expect(await ordered(10)).toEqual(['INC4', 'INC2', 'INC1', 'INC3']);
      expect(await ordered(2)).toEqual(['INC4', 'INC2']);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds the mentions of many names (a cluster page) deep down the list, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      // 1,300 open tickets, newest first by number; three of them, far apart, name one of
      // 30 namespaces
      const start = Date.parse('2026-11-20T00:00:00.000Z');
      const named = [399, 799, 1199];
      await store.upsertIncidents(
        Array.from({ length: 1300 }, (_, n) =>
          makeIncident({
            id: String(n).padStart(32, '0'),
            number: `INC${10_000 + n}`,
            priority: 'P3',
            shortDescription: named.includes(n)
              ? `DNS fails in ns${n % 30}-prod`
              : 'DNS fails in ns-elsewhere',
            description: undefined,
            configurationItem: undefined,
            openedAt: new Date(start - n * 60_000).toISOString(),
          }),
        ),
      );
      const names = Array.from({ length: 30 }, (_, k) => `ns${k}-prod`);
      const list = (limit: number) =>
        store
          .listIncidentsByCi([], { openOnly: true, limit, mentioning: names })
          .then(r => r.map(i => i.number));
      expect(await list(2)).toEqual(['INC10399', 'INC10799']);
      expect(await list(10)).toEqual(['INC10399', 'INC10799', 'INC11199']);
      expect(
        await store
          .listIncidentsByCi([], {
            openOnly: true,
            limit: 10,
            mentioning: ['ns9-prod', 'ns19-prod', 'ns29-prod'],
          })
          .then(r => r.map(i => i.number)),
      ).toEqual(['INC10399', 'INC10799', 'INC11199']);
    },
  );
});
