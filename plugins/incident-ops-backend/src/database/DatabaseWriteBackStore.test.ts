import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import type { IncidentWriteBack } from '@acme/plugin-incident-ops-node';
import { createStores } from '.';

jest.setTimeout(60_000);

describe('DatabaseWriteBackStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const at = (minutes: number) =>
    new Date(Date.parse('2026-11-25T12:00:00Z') + minutes * 60_000);
  const change = (
    key: string,
    expectedVersion = 3,
  ): { source: string; change: IncidentWriteBack } => ({
    source: 'servicenow',
    change: {
      key,
      id: 'a'.repeat(32),
      number: 'INC1000',
      expectedVersion,
      workNote: `note ${key}`,
    },
  });

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const { writeBacks } = await createStores({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, writeBacks };
  }

  it.each(databases.eachSupportedId())(
    'queues a key once, whoever asks and whatever its state, %p',
    async databaseId => {
      const { writeBacks } = await setup(databaseId);
      expect(
        await writeBacks.queueWriteBacksOnce(
          [change('k1'), change('k2')],
          at(0),
        ),
      ).toEqual(new Set(['k1', 'k2']));
      const [first] = await writeBacks.claimDue(at(0), 1, 60_000);
      await writeBacks.markDone(first, at(1));
      expect(
        await writeBacks.queueWriteBacksOnce(
          [change('k1'), change('k3')],
          at(2),
        ),
      ).toEqual(new Set(['k3']));
      expect(await writeBacks.outboxDepth()).toEqual({ done: 1, pending: 2 });
    },
  );

  it.each(databases.eachSupportedId())(
    'claims a due entry once, takes over a stale claim, and waits for a retry, %p',
    async databaseId => {
      const { writeBacks } = await setup(databaseId);
      await writeBacks.queueWriteBacksOnce([change('k1')], at(0));
      const [entry] = await writeBacks.claimDue(at(0), 10, 60_000);
      expect(entry).toMatchObject({
        source: 'servicenow',
        sourceId: 'a'.repeat(32),
        attempts: 1,
        change: change('k1').change,
      });
      // claimed: nobody else gets it within the lease
      expect(await writeBacks.claimDue(at(0.5), 10, 60_000)).toEqual([]);
      // its worker died: after the lease another takes it over
      const [again] = await writeBacks.claimDue(at(2), 10, 60_000);
      expect(again).toMatchObject({ id: entry.id, attempts: 2 });
      // the first worker's claim is over: what it says changes nothing
      expect(await writeBacks.retryLater(entry, 'Error: 503', at(3))).toBe(
        false,
      );
      expect(await writeBacks.retryLater(again, 'Error: 503', at(10))).toBe(
        true,
      );
      expect(await writeBacks.claimDue(at(5), 10, 60_000)).toEqual([]);
      const [third] = await writeBacks.claimDue(at(10), 10, 60_000);
      expect(third).toMatchObject({ id: entry.id, attempts: 3 });
      expect(
        await writeBacks.markConflict(again, 'changed at the source', at(11)),
      ).toBe(false);
      expect(
        await writeBacks.markConflict(third, 'changed at the source', at(11)),
      ).toBe(true);
      expect(await writeBacks.outboxDepth()).toEqual({ conflict: 1 });
    },
  );

  it.each(databases.eachSupportedId())(
    'takes its own earlier writes as the base version, not anyone else’s, %p',
    async databaseId => {
      const { writeBacks } = await setup(databaseId);
      await writeBacks.queueWriteBacksOnce(
        [change('k1', 3), change('k2', 3), change('k3', 3)],
        at(0),
      );
      // one incident: its write-backs are claimed one after the other
      const [a, held] = await writeBacks.claimDue(at(0), 2, 60_000);
      expect(held).toBeUndefined();
      // k1 moved the source from 3 to 4, then k2 from 4 to 5
      await writeBacks.markDone(a, at(1), 4);
      expect(
        await writeBacks.ownWriteBase('servicenow', 'a'.repeat(32), 3),
      ).toBe(4);
      const [b] = await writeBacks.claimDue(at(1), 2, 60_000);
      await writeBacks.markDone(b, at(2), 5);
      expect(
        await writeBacks.ownWriteBase('servicenow', 'a'.repeat(32), 3),
      ).toBe(5);
      // a version nobody of ours produced stays as it is
      expect(
        await writeBacks.ownWriteBase('servicenow', 'a'.repeat(32), 7),
      ).toBe(7);
    },
  );
});
