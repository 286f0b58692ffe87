import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { makeIncident } from '../__fixtures__/incidents';
import { migratedDatabase } from '../__testUtils__/database';
import { truncationMarker } from './columnLimits';

jest.setTimeout(60_000);

/** What does not fit its column, and reconciliation's safety net, on both databases. */
describe('DatabaseIncidentStore limits', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const { knex, database } = await migratedDatabase(databases, databaseId);
    return { knex, store: await DatabaseIncidentStore.create({ database }) };
  }

  const id = (n: number) => n.toString(16).padStart(32, '0');

  it.each(databases.eachSupportedId())(
    'cuts long text with a marker, and quarantines a record whose keys do not fit, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const group = `Atlas-${'L'.repeat(300)}`;
      const incidents = [
        makeIncident({
          id: id(1),
          number: 'INC1',
          shortDescription: 's'.repeat(150_000),
          description: 'NUL\u0000here',
          category: 'c'.repeat(256),
          assignmentGroup: { id: 'g1', name: group },
        }),
        makeIncident({ id: id(2), number: `INC${'9'.repeat(80)}` }),
        makeIncident({
          id: id(3),
          number: 'INC3',
          configurationItem: { id: 'x'.repeat(65), name: 'mecc' },
        }),
        makeIncident({ id: id(4), number: 'INC4' }),
      ];
      // one batch: what does not fit does not take the others with it
      expect(await store.upsertIncidents(incidents)).toEqual({
        stored: 2,
        unchanged: 0,
        quarantined: 2,
        inserted: [id(1), id(4)],
      });
      const long = await store.getIncidentByNumber('INC1');
      expect(long?.shortDescription).toHaveLength(100_000);
      expect(long?.shortDescription).toMatch(
        /^s+… \[truncated by incident-ops: 150000 characters\]$/,
      );
      expect(long?.description).toBe('NUL\uFFFDhere');
      expect(long?.category).toHaveLength(255);
      expect(long?.category?.endsWith(truncationMarker(256))).toBe(true);
      expect(long?.assignmentGroup?.name).toHaveLength(255);

      const quarantined = await store.listQuarantine({ limit: 10 });
      expect(
        quarantined
          .map(q => [q.key, q.reason])
          .sort((a, b) => a[0].localeCompare(b[0])),
      ).toEqual([
        [
          id(2),
          'incident: number is 83 characters long, more than the 64 it may have',
        ],
        [
          id(3),
          'incident: ci_id is 65 characters long, more than the 64 it may have',
        ],
      ]);
      expect(quarantined[0].payload).toMatchObject({ source: 'servicenow' });

      // a version that fits takes it out of quarantine
      await store.upsertIncidents([
        makeIncident({ id: id(3), number: 'INC3', sourceVersion: 4 }),
      ]);
      expect(
        (await store.listQuarantine({ limit: 10 })).map(q => q.key),
      ).toEqual([id(2)]);
    },
  );

  it.each(databases.eachSupportedId())(
    'quarantines a record the database refuses, and writes the rest of its chunk, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.upsertIncidents([
        makeIncident({ id: id(1), number: 'INC1' }),
      ]);
      // two sys_ids with one number (ServiceNow does not enforce it; the store does)
      expect(
        await store.upsertIncidents([
          makeIncident({ id: id(2), number: 'INC2' }),
          makeIncident({ id: id(3), number: 'INC1' }),
          makeIncident({ id: id(4), number: 'INC4' }),
        ]),
      ).toEqual({
        stored: 2,
        unchanged: 0,
        quarantined: 1,
        inserted: [id(2), id(4)],
      });
      const [refused] = await store.listQuarantine({ limit: 10 });
      expect(refused.key).toBe(id(3));
      expect(refused.reason).toMatch(
        /^incident: the database refused it: .*(unique|UNIQUE)/,
      );
      expect(refused.reason).not.toMatch(/insert into/);
    },
  );

  it.each(databases.eachSupportedId())(
    'does the same for knowledge articles, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const article = (n: number, more: object = {}) => ({
        source: 'servicenow',
        id: id(n),
        number: `KB${n}`,
        title: `Article ${n}`,
        text: 'body',
        workflowState: 'published',
        sourceUpdatedAt: '2026-11-20T09:00:00.000Z',
        sourceVersion: 1,
        syncedAt: '2026-11-20T09:01:00.000Z',
        ...more,
      });
      expect(
        await store.upsertKnowledgeArticles([
          article(1, { knowledgeBase: 'k'.repeat(400), text: 'a\u0000b' }),
          article(2, { workflowState: 'w'.repeat(33) }),
        ]),
      ).toEqual({ stored: 1, unchanged: 0, quarantined: 1 });
      const { items } = await store.listKnowledgeArticles({
        limit: 10,
        offset: 0,
      });
      expect(items.map(a => a.number)).toEqual(['KB1']);
      expect(items[0].knowledgeBase).toHaveLength(255);
      expect(items[0].text).toBe('a\uFFFDb');
      expect((await store.listQuarantine({ limit: 10 }))[0].reason).toBe(
        'kb_knowledge: workflow_state is 33 characters long, more than the 32 it may have',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses to remove more than the share allowed, and says why, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const ids = Array.from({ length: 10 }, (_, n) => id(n + 1));
      await store.upsertIncidents(
        ids.map((i, n) => makeIncident({ id: i, number: `INC${n}` })),
      );
      const due = async () =>
        (
          await knex('incident_escalation_state')
            .whereNotNull('due_at')
            .pluck('source_id')
        ).length;
      expect(await due()).toBe(10);
      const now = new Date('2026-11-25T12:00:00Z');
      const share = { maxRemovalShare: 0.2 };

      // an empty listing (an ACL change): nothing removed, due times kept
      const empty = await store.reconcile('servicenow', [], now, share);
      expect(empty).toMatchObject({ removed: 0, restored: 0 });
      expect(empty.refused).toMatch(
        /^10 of 10 stored incidents are missing from the listing, more than the 2 \(20%\) one reconciliation may remove; none was removed/,
      );
      expect(await due()).toBe(10);
      const state = await store.getProviderState('servicenow');
      expect(state?.lastReconciliation).toEqual({
        at: now,
        removed: 0,
        refused: empty.refused,
      });

      // three missing: still too many
      expect(
        (await store.reconcile('servicenow', ids.slice(3), now, share)).refused,
      ).toMatch(/^3 of 10/);
      // two missing: removed, and the refusal is gone
      expect(
        await store.reconcile('servicenow', ids.slice(2), now, share),
      ).toEqual({ removed: 2, restored: 0 });
      expect(await due()).toBe(8);
      expect(
        (await store.getProviderState('servicenow'))?.lastReconciliation,
      ).toEqual({ at: now, removed: 2 });
    },
  );

  it.each(databases.eachSupportedId())(
    'leases a provider task to one holder at a time, until it expires, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const t0 = new Date('2026-11-25T12:00:00Z');
      const at = (s: number) => new Date(t0.getTime() + s * 1000);
      const take = (holder: string, now: number) =>
        store.takeLease('servicenow', 'sync', holder, at(now), at(now + 30));
      expect(await take('a', 0)).toBe(true);
      expect(await take('b', 10)).toBe(false);
      // its holder renews it
      expect(await take('a', 20)).toBe(true);
      expect(await take('b', 40)).toBe(false);
      // a holder that stopped renewing (killed) loses it when it expires
      expect(await take('b', 51)).toBe(true);
      expect(await take('a', 52)).toBe(false);
      // other tasks and providers are apart
      expect(
        await store.takeLease('servicenow', 'reconcile', 'a', at(52), at(82)),
      ).toBe(true);
      // given up, it is free at once
      await store.releaseLease('servicenow', 'sync', 'b');
      expect(await take('a', 53)).toBe(true);
    },
  );
});
