import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { migrate } from './migrate';
import { makeIncident } from '../__fixtures__/incidents';

jest.setTimeout(60_000);

describe('DatabaseIncidentStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    await migrate(database);
    const store = await DatabaseIncidentStore.create({ database });
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
        inserted: [incident.id],
      });
      expect(await store.getIncidentByNumber('INC13070001')).toEqual({
        ...incident,
        // first seen at its tier: the tier clock counts from opened_at
        tierEnteredAt: incident.openedAt,
      });
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
      ).toEqual({ stored: 0, unchanged: 1, inserted: [] });
      // same version and timestamp: ignored (a retried page)
      expect(
        await store.upsertIncidents([
          makeIncident({ sourceVersion: 5, shortDescription: 'v5 again' }),
        ]),
      ).toEqual({ stored: 0, unchanged: 1, inserted: [] });
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
        // an update, not an insert
      ).toEqual({ stored: 1, unchanged: 0, inserted: [] });
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
        inserted: many.map(i => i.id),
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
          quarantined: 0,
          windowEnd: undefined,
          lastReconciliation: undefined,
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

  it.each(databases.eachSupportedId())(
    'quarantines records until a good version arrives, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const t1 = new Date('2026-11-25T10:00:00Z');
      const t2 = new Date('2026-11-25T10:05:00Z');
      const key = 'b'.repeat(32);
      await store.quarantine(
        'servicenow',
        [{ key, number: 'INC2', reason: "priority '9'", payload: { a: 1 } }],
        t1,
      );
      await store.quarantine(
        'servicenow',
        [{ key, number: 'INC2', reason: "state '42'", payload: { a: 2 } }],
        t2,
      );
      expect(await store.listQuarantine({ limit: 10 })).toEqual([
        {
          source: 'servicenow',
          key,
          number: 'INC2',
          reason: "state '42'",
          payload: { a: 2 },
          firstSeenAt: t1,
          lastSeenAt: t2,
          occurrences: 2,
        },
      ]);
      await store.reportSync('servicenow', {
        startedAt: t1,
        finishedAt: t2,
        fetched: 1,
        stored: 0,
        quarantined: 1,
      });
      expect((await store.getProviderState('servicenow'))?.quarantined).toBe(1);

      // one that came without a sys_id is keyed by its number
      await store.quarantine(
        'servicenow',
        [{ key: 'INC3', number: 'INC3', reason: 'no sys_id', payload: {} }],
        t2,
      );
      await store.upsertIncidents([makeIncident({ id: key, number: 'INC2' })]);
      expect(
        (await store.listQuarantine({ limit: 10 })).map(r => r.key),
      ).toEqual(['INC3']);
      await store.upsertIncidents([
        makeIncident({ id: 'c'.repeat(32), number: 'INC3' }),
      ]);
      expect(await store.listQuarantine({ limit: 10 })).toEqual([]);
      expect((await store.listProviderStates())[0].quarantined).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'marks incidents gone from the source as removed, and restores them, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const ids = ['1', '2', '3'].map(c => c.repeat(32));
      await store.upsertIncidents(
        ids.map((id, n) =>
          makeIncident({ id, number: `INC${n}`, sourceVersion: 1 }),
        ),
      );
      const now = new Date('2026-11-25T12:00:00Z');
      expect(
        await store.reconcile('servicenow', [ids[0], ids[2]], now),
      ).toEqual({ removed: 1, restored: 0 });
      // removed incidents leave the card but stay readable, with when
      const listed = await store.listIncidentsByCi(['mecc'], {
        openOnly: false,
        limit: 10,
      });
      expect(listed.map(i => i.number).sort()).toEqual(['INC0', 'INC2']);
      expect((await store.getIncidentByNumber('INC1'))?.removedAt).toBe(
        now.toISOString(),
      );
      expect(
        (await store.getProviderState('servicenow'))?.lastReconciliation,
      ).toEqual({ at: now, removed: 1 });
      // idempotent
      expect(
        await store.reconcile('servicenow', [ids[0], ids[2]], now),
      ).toEqual({ removed: 0, restored: 0 });
      // back in scope
      expect(await store.reconcile('servicenow', ids, now)).toEqual({
        removed: 0,
        restored: 1,
      });
      expect(
        (await store.getIncidentByNumber('INC1'))?.removedAt,
      ).toBeUndefined();
      // other sources are untouched
      await store.upsertIncidents([
        makeIncident({ source: 'other', id: 'x'.repeat(32), number: 'X1' }),
      ]);
      await store.reconcile('servicenow', [], now);
      expect(
        (await store.getIncidentByNumber('X1'))?.removedAt,
      ).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the tier clock while the tier stays and restarts it when the tier changes, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const openedAt = '2026-11-25T08:00:00.000Z';
      // first seen at L1: the clock counts from opened_at
      await store.upsertIncidents([
        makeIncident({
          openedAt,
          tier: 'L1',
          sourceVersion: 1,
          syncedAt: '2026-11-25T09:00:00.000Z',
          ticketType: 'egress',
          ticketTypeRule: 'text-egress',
        }),
      ]);
      let i = await store.getIncidentByNumber('INC13070001');
      expect(i?.tierEnteredAt).toBe(openedAt);
      expect(i?.ticketType).toBe('egress');
      expect(i?.ticketTypeRule).toBe('text-egress');
      // still L1 at a later sync: unchanged
      await store.upsertIncidents([
        makeIncident({
          openedAt,
          tier: 'L1',
          sourceVersion: 2,
          syncedAt: '2026-11-25T09:30:00.000Z',
        }),
      ]);
      i = await store.getIncidentByNumber('INC13070001');
      expect(i?.tierEnteredAt).toBe(openedAt);
      // moved to L2: from the moment the suite saw it
      await store.upsertIncidents([
        makeIncident({
          openedAt,
          tier: 'L2',
          sourceVersion: 3,
          syncedAt: '2026-11-25T10:15:00.000Z',
        }),
      ]);
      i = await store.getIncidentByNumber('INC13070001');
      expect(i?.tierEnteredAt).toBe('2026-11-25T10:15:00.000Z');
      // to no tier and back to L2: each change restarts it
      await store.upsertIncidents([
        makeIncident({
          openedAt,
          tier: undefined,
          sourceVersion: 4,
          syncedAt: '2026-11-25T11:00:00.000Z',
        }),
      ]);
      i = await store.getIncidentByNumber('INC13070001');
      expect(i?.tierEnteredAt).toBe('2026-11-25T11:00:00.000Z');
      // an older version changes nothing, not even the clock
      await store.upsertIncidents([
        makeIncident({
          openedAt,
          tier: 'L3',
          sourceVersion: 2,
          syncedAt: '2026-11-25T12:00:00.000Z',
        }),
      ]);
      i = await store.getIncidentByNumber('INC13070001');
      expect(i?.tier).toBeUndefined();
      expect(i?.tierEnteredAt).toBe('2026-11-25T11:00:00.000Z');
    },
  );

  it.each(databases.eachSupportedId())(
    'finds incidents whose text mentions a name, case-insensitively and literally, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.upsertIncidents([
        makeIncident({
          id: '1'.repeat(32),
          number: 'INC1',
          shortDescription: 'Egress for LIVELINK-PROD',
          configurationItem: undefined,
        }),
        makeIncident({
          id: '2'.repeat(32),
          number: 'INC2',
          shortDescription: 'x',
          description: 'pods in gitlab-runners cannot pull',
          configurationItem: undefined,
        }),
        makeIncident({
          id: '3'.repeat(32),
          number: 'INC3',
          shortDescription: 'livelinkXprod is not livelink_prod',
          configurationItem: undefined,
        }),
      ]);
      const list = (mentioning: string[]) =>
        store
          .listIncidentsByCi([], { openOnly: true, limit: 10, mentioning })
          .then(r => r.map(i => i.number).sort());
      expect(await list(['livelink-prod'])).toEqual(['INC1']);
      expect(await list(['gitlab-runners'])).toEqual(['INC2']);
      // `_` and `%` are not wildcards
      expect(await list(['livelink_prod'])).toEqual(['INC3']);
      expect(await list(['livelink%'])).toEqual([]);
      expect(await list([])).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores knowledge articles, newer versions only, and lists published ones, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const article = (n: number, overrides: object = {}) => ({
        source: 'servicenow',
        id: String(n).repeat(32).slice(0, 32),
        number: `KB000000${n}`,
        title: `Article ${n}`,
        text: 'Steps',
        workflowState: 'published',
        sourceUpdatedAt: '2026-11-20T10:00:00.000Z',
        sourceVersion: 1,
        syncedAt: '2026-11-25T10:00:00.000Z',
        ...overrides,
      });
      expect(
        await store.upsertKnowledgeArticles([
          article(1, { category: 'Networking', validTo: '2027-01-01' }),
          article(2, { workflowState: 'draft' }),
          article(3),
        ]),
      ).toEqual({ stored: 3, unchanged: 0 });
      expect(
        await store.upsertKnowledgeArticles([
          article(3, { title: 'old', sourceVersion: 0 }),
          article(1, {
            title: 'Article 1 v2',
            sourceVersion: 2,
            category: 'Networking',
            validTo: '2027-01-01',
          }),
        ]),
      ).toEqual({ stored: 1, unchanged: 1 });
      const published = await store.listKnowledgeArticles({
        limit: 10,
        offset: 0,
      });
      expect(published.total).toBe(2);
      expect(published.items.map(a => [a.number, a.title])).toEqual([
        ['KB0000001', 'Article 1 v2'],
        ['KB0000003', 'Article 3'],
      ]);
      expect(published.items[0]).toMatchObject({
        category: 'Networking',
        validTo: '2027-01-01',
      });
      const drafts = await store.listKnowledgeArticles({
        state: 'draft',
        limit: 10,
        offset: 0,
      });
      expect(drafts.items.map(a => a.number)).toEqual(['KB0000002']);
      const page2 = await store.listKnowledgeArticles({ limit: 1, offset: 1 });
      expect(page2).toMatchObject({
        total: 2,
        items: [{ number: 'KB0000003' }],
      });
    },
  );
});
