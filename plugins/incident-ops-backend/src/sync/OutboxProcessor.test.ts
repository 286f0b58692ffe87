import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import type {
  IncidentProvider,
  IncidentWriteBack,
} from '@acme/plugin-incident-ops-node';
import knexFactory from 'knex';
import { createStores } from '../database';
import {
  DatabaseWriteBackStore,
  type WriteBackStore,
} from '../database/DatabaseWriteBackStore';
import { makeIncident } from '../__fixtures__/incidents';
import { OutboxProcessor } from './OutboxProcessor';

jest.setTimeout(60_000);

describe('workflow transitions and the outbox', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function setup(databaseId: TestDatabaseId, count = 1) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const { incidents, workflow, writeBacks } = await createStores({
      database,
    });
    await incidents.upsertIncidents(
      Array.from({ length: count }, (_, n) =>
        makeIncident({
          id: String(n).padStart(32, '0'),
          number: `INC${1000 + n}`,
          status: 'work-in-progress',
          sourceVersion: 7,
        }),
      ),
    );
    return { knex, incidents, workflow, writeBacks };
  }

  const provider = (
    writeBack: IncidentProvider['writeBack'],
  ): IncidentProvider => ({
    getProviderName: () => 'servicenow',
    connect: async () => {},
    writeBack,
  });

  it.each(databases.eachSupportedId())(
    'moves an incident, records the event and queues its write-back in one go, %p',
    async databaseId => {
      const { incidents, workflow, writeBacks } = await setup(databaseId);
      const now = new Date('2026-11-25T12:00:00Z');
      const { event, writeBackKey } = await workflow.transition({
        number: 'INC1000',
        to: 'resolved',
        note: 'Egress rule applied and verified',
        actor: 'user:default/guest',
        now,
      });
      expect(event).toMatchObject({
        number: 'INC1000',
        type: 'transition',
        from: 'work-in-progress',
        to: 'resolved',
        actor: 'user:default/guest',
        note: 'Egress rule applied and verified',
        createdAt: now.toISOString(),
      });
      expect(writeBackKey).toBe(
        `transition:servicenow:${'0'.repeat(32)}:${event.id}`,
      );
      const stored = await incidents.getIncidentByNumber('INC1000');
      expect(stored).toMatchObject({
        status: 'resolved',
        resolvedAt: now.toISOString(),
      });
      expect(await writeBacks.outboxDepth()).toEqual({ pending: 1 });
      const [entry] = await writeBacks.claimDue(now, 10, 60_000);
      expect(entry.change).toEqual({
        key: writeBackKey,
        id: '0'.repeat(32),
        number: 'INC1000',
        expectedVersion: 7,
        status: 'resolved',
        resolution: {
          code: 'Solution provided',
          notes: 'Egress rule applied and verified',
        },
        workNote:
          'Incident Ops: user:default/guest moved INC1000 from work-in-progress to resolved: Egress rule applied and verified',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses illegal transitions and resolving without a note, changing nothing, %p',
    async databaseId => {
      const { incidents, workflow, writeBacks } = await setup(databaseId);
      const now = new Date();
      await expect(
        workflow.transition({
          number: 'INC1000',
          to: 'closed',
          actor: 'user:default/guest',
          now,
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'INC1000 cannot go from work-in-progress to closed; allowed from work-in-progress: awaiting-customer, escalated, resolved',
      });
      await expect(
        workflow.transition({
          number: 'INC1000',
          to: 'resolved',
          note: '  ',
          actor: 'x',
          now,
        }),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        workflow.transition({
          number: 'INC9',
          to: 'resolved',
          actor: 'x',
          now,
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect((await incidents.getIncidentByNumber('INC1000'))?.status).toBe(
        'work-in-progress',
      );
      expect(await workflow.listEvents('INC1000')).toEqual([]);
      expect(await writeBacks.outboxDepth()).toEqual({});
    },
  );

  it.each(databases.eachSupportedId())(
    'delivers, retries with backoff, records conflicts, and takes over a dead claim, %p',
    async databaseId => {
      const { workflow, writeBacks } = await setup(databaseId, 3);
      let clock = new Date('2026-11-25T12:00:00Z');
      for (const n of [1000, 1001, 1002]) {
        await workflow.transition({
          number: `INC${n}`,
          to: 'awaiting-customer',
          actor: 'user:default/guest',
          now: clock,
        });
      }
      const calls: string[] = [];
      let failures = 1;
      const processor = new OutboxProcessor({
        store: writeBacks,
        workflow,
        logger: mockServices.logger.mock(),
        now: () => clock,
        backoffBaseMs: 1000,
        providers: [
          provider(async (change: IncidentWriteBack) => {
            calls.push(change.number);
            if (change.number === 'INC1001' && failures-- > 0) {
              throw new Error('503 from ServiceNow');
            }
            if (change.number === 'INC1002') {
              return { outcome: 'conflict', reason: 'changed in ServiceNow' };
            }
            return { outcome: 'written' };
          }),
        ],
      });
      expect(await processor.runOnce()).toEqual({
        written: 1,
        conflicts: 1,
        retried: 1,
        refused: 0,
      });
      expect(await writeBacks.outboxDepth()).toEqual({
        done: 1,
        conflict: 1,
        pending: 1,
      });
      // not yet due: nothing happens
      expect(await processor.runOnce()).toEqual({
        written: 0,
        conflicts: 0,
        retried: 0,
        refused: 0,
      });
      clock = new Date(clock.getTime() + 1000);
      expect(await processor.runOnce()).toEqual({
        written: 1,
        conflicts: 0,
        retried: 0,
        refused: 0,
      });
      expect(calls).toEqual(['INC1000', 'INC1001', 'INC1002', 'INC1001']);
      expect(
        (await workflow.listEvents('INC1002')).map(e => [e.type, e.note]),
      ).toEqual([
        ['transition', undefined],
        ['write-back-conflict', 'changed in ServiceNow'],
      ]);

      // a worker that claimed an entry and died: after the lease, another takes it
      await workflow.transition({
        number: 'INC1000',
        to: 'work-in-progress',
        actor: 'x',
        now: clock,
      });
      expect(await writeBacks.claimDue(clock, 10, 60_000)).toHaveLength(1);
      expect(await processor.runOnce()).toEqual({
        written: 0,
        conflicts: 0,
        retried: 0,
        refused: 0,
      });
      clock = new Date(clock.getTime() + 5 * 60_000 + 1);
      expect(await processor.runOnce()).toEqual({
        written: 1,
        conflicts: 0,
        retried: 0,
        refused: 0,
      });
    },
  );

  it('delivers each change exactly once with two replicas on one PostgreSQL', async () => {
    if (!databases.eachSupportedId().some(([id]) => id === 'POSTGRES_15')) {
      throw new Error('PostgreSQL is not configured for the tests');
    }
    const { knex, workflow, writeBacks } = await setup('POSTGRES_15', 30);
    for (let n = 0; n < 30; n++) {
      await workflow.transition({
        number: `INC${1000 + n}`,
        to: 'awaiting-customer',
        actor: 'x',
        now: new Date(),
      });
    }
    // a second replica: its own connection pool to the same database
    const knex2 = knexFactory(knex.client.config);
    try {
      const writeBacks2 = await DatabaseWriteBackStore.create({
        database: mockServices.database({ knex: knex2 }),
      });
      const delivered: string[] = [];
      const slowProvider = provider(async change => {
        await new Promise(r => setTimeout(r, 5));
        delivered.push(change.key);
        return { outcome: 'written' };
      });
      const replica = (store: WriteBackStore) =>
        new OutboxProcessor({
          store,
          workflow,
          providers: [slowProvider],
          logger: mockServices.logger.mock(),
          batchSize: 7,
        });
      const [a, b] = [replica(writeBacks), replica(writeBacks2)];
      for (let round = 0; round < 6; round++) {
        await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      }
      expect(delivered).toHaveLength(30);
      expect(new Set(delivered).size).toBe(30);
      expect(await writeBacks.outboxDepth()).toEqual({ done: 30 });
    } finally {
      await knex2.destroy();
    }
  });
  it.each(databases.eachSupportedId())(
    'takes its own earlier writes as no conflict, and anyone else’s as one, %p',
    async databaseId => {
      const { workflow, writeBacks } = await setup(databaseId);
      const now = new Date('2026-11-25T12:00:00Z');
      // two changes decided on version 7, delivered one after the other
      await workflow.transition({
        number: 'INC1000',
        to: 'awaiting-customer',
        note: 'Which port?',
        actor: 'user:default/guest',
        now,
      });
      await workflow.transition({
        number: 'INC1000',
        to: 'work-in-progress',
        actor: 'user:default/guest',
        now,
      });
      // the source: version 7; each write moves it one on; someone else may change it too
      let version = 7;
      const seen: number[] = [];
      const writeBack = jest.fn(async (change: IncidentWriteBack) => {
        seen.push(change.expectedVersion);
        if (version > change.expectedVersion) {
          return { outcome: 'conflict' as const, reason: `at ${version}` };
        }
        version++;
        return { outcome: 'written' as const, version };
      });
      const outbox = new OutboxProcessor({
        store: writeBacks,
        workflow,
        providers: [provider(writeBack)],
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      expect(await outbox.runOnce()).toEqual({
        written: 2,
        conflicts: 0,
        retried: 0,
        refused: 0,
      });
      expect(seen).toEqual([7, 8]);

      // a change decided on 9, but someone else wrote 10 in ServiceNow: a conflict
      await workflow.transition({
        number: 'INC1000',
        to: 'awaiting-customer',
        note: 'Again?',
        actor: 'user:default/guest',
        now,
      });
      version = 10;
      expect(await outbox.runOnce()).toMatchObject({
        written: 0,
        conflicts: 1,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'takes a write found already written after a lost answer as the base of the next, %p',
    async databaseId => {
      const { workflow, writeBacks } = await setup(databaseId);
      let now = new Date('2026-11-25T12:00:00Z');
      await workflow.transition({
        number: 'INC1000',
        to: 'awaiting-customer',
        note: 'Which port?',
        actor: 'user:default/guest',
        now,
      });
      await workflow.transition({
        number: 'INC1000',
        to: 'work-in-progress',
        actor: 'user:default/guest',
        now,
      });
      // the first write lands, but its answer is lost; asked again, the source finds it
      let version = 7;
      const written = new Set<string>();
      const seen: number[] = [];
      const writeBack = jest.fn(async (change: IncidentWriteBack) => {
        seen.push(change.expectedVersion);
        if (written.has(change.key)) {
          return { outcome: 'already-written' as const, version };
        }
        if (version > change.expectedVersion) {
          return { outcome: 'conflict' as const, reason: `at ${version}` };
        }
        version++;
        written.add(change.key);
        if (written.size === 1) throw new Error('502 Bad Gateway');
        return { outcome: 'written' as const, version };
      });
      const outbox = new OutboxProcessor({
        store: writeBacks,
        workflow,
        providers: [provider(writeBack)],
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      expect(await outbox.runOnce()).toMatchObject({ written: 0, retried: 1 });
      now = new Date(now.getTime() + 3_600_000);
      expect(await outbox.runOnce()).toEqual({
        written: 2,
        conflicts: 0,
        retried: 0,
        refused: 0,
      });
      // the second change was sent on the version the first one made
      expect(seen).toEqual([7, 7, 8]);
      expect(version).toBe(9);
    },
  );
});
