import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import type {
  IncidentProvider,
  IncidentWriteBack,
} from '@acme/plugin-incident-ops-node';
import { createStores } from '../database';
import { makeIncident } from '../__fixtures__/incidents';
import { OutboxProcessor } from './OutboxProcessor';

jest.setTimeout(60_000);

/** A write-back as the processor sees it: incident number and the status it sets. */
const label = (c: IncidentWriteBack) => `${c.number} ${c.status}`;

describe('OutboxProcessor: fenced, bounded and ordered', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const t0 = new Date('2026-11-25T12:00:00Z');

  async function setup(
    databaseId: TestDatabaseId,
    writeBack: IncidentProvider['writeBack'],
    options: Partial<ConstructorParameters<typeof OutboxProcessor>[0]> = {},
  ) {
    const knex = await databases.init(databaseId);
    const { incidents, workflow, writeBacks } = await createStores({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await incidents.upsertIncidents(
      [1000, 1001, 1002].map(n =>
        makeIncident({
          id: String(n).padStart(32, '0'),
          number: `INC${n}`,
          status: 'work-in-progress',
          sourceVersion: 7,
        }),
      ),
    );
    let clock = t0;
    const logger = mockServices.logger.mock();
    const processor = new OutboxProcessor({
      store: writeBacks,
      workflow,
      logger,
      now: () => clock,
      random: () => 0,
      providers: [
        {
          getProviderName: () => 'servicenow',
          connect: async () => {},
          writeBack,
        },
      ],
      ...options,
    });
    const move = (n: number, to: 'awaiting-customer' | 'work-in-progress') =>
      workflow.transition({
        number: `INC${n}`,
        to,
        note: 'x',
        actor: 'user:default/guest',
        now: clock,
      });
    const states = async () =>
      (await knex('incident_outbox').orderBy('id')).map(r => [
        JSON.parse(r.payload).number,
        r.status,
        Number(r.attempts),
      ]);
    return {
      knex,
      workflow,
      writeBacks,
      processor,
      logger,
      move,
      states,
      setClock: (seconds: number) => {
        clock = new Date(t0.getTime() + seconds * 1000);
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'refuses what the source refuses at once, and holds that incident’s later writes until an admin re-queues it, %p',
    async databaseId => {
      const calls: string[] = [];
      let refuse = true;
      const { processor, writeBacks, workflow, move, states, knex } =
        await setup(databaseId, async change => {
          calls.push(label(change));
          if (refuse && change.number === 'INC1000') {
            return {
              outcome: 'refused',
              reason: 'ServiceNow refused the write (403): role itil needed',
            };
          }
          return { outcome: 'written' };
        });
      await move(1000, 'awaiting-customer');
      await move(1000, 'work-in-progress');
      await move(1001, 'awaiting-customer');
      expect(await processor.runOnce()).toEqual({
        written: 1,
        conflicts: 0,
        retried: 0,
        refused: 1,
      });
      expect(calls).toEqual([
        'INC1000 awaiting-customer',
        'INC1001 awaiting-customer',
      ]);
      expect(await states()).toEqual([
        ['INC1000', 'refused', 1],
        ['INC1000', 'pending', 0],
        ['INC1001', 'done', 1],
      ]);
      expect(
        (await workflow.timeline('INC1000')).some(e =>
          JSON.stringify(e).includes('role itil needed'),
        ),
      ).toBe(true);
      // nothing more goes to INC1000 while its earlier write is refused
      expect(await processor.runOnce()).toMatchObject({ written: 0 });

      refuse = false;
      const id = Number(
        (await knex('incident_outbox').where({ status: 'refused' }))[0].id,
      );
      expect(await writeBacks.settleRefused(id, 'requeue', t0)).toBe(
        'requeued',
      );
      expect(await writeBacks.settleRefused(id, 'requeue', t0)).toBe(
        'not-refused',
      );
      expect(await writeBacks.settleRefused(999, 'discard', t0)).toBe(
        'not-found',
      );
      expect(await processor.runOnce()).toMatchObject({ written: 2 });
      // in the order they were made
      expect(calls.slice(2)).toEqual([
        'INC1000 awaiting-customer',
        'INC1000 work-in-progress',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'retries a failing write with backoff while the incident’s next one waits, then sends both in order, %p',
    async databaseId => {
      const calls: string[] = [];
      let failures = 1;
      const { processor, move, setClock, states } = await setup(
        databaseId,
        async change => {
          calls.push(label(change));
          if (failures-- > 0) throw new Error('503 from ServiceNow');
          return { outcome: 'written' };
        },
        { backoffBaseMs: 10_000 },
      );
      await move(1000, 'awaiting-customer');
      await move(1000, 'work-in-progress');
      expect(await processor.runOnce()).toMatchObject({ retried: 1 });
      // the jitter is fixed at its least: half of 10 s
      setClock(4);
      expect(await processor.runOnce()).toMatchObject({ written: 0 });
      expect(calls).toEqual(['INC1000 awaiting-customer']);
      setClock(5);
      expect(await processor.runOnce()).toMatchObject({ written: 2 });
      expect(calls).toEqual([
        'INC1000 awaiting-customer',
        'INC1000 awaiting-customer',
        'INC1000 work-in-progress',
      ]);
      expect(await states()).toEqual([
        ['INC1000', 'done', 2],
        ['INC1000', 'done', 1],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a write that keeps failing after maxAttempts, with its last error, %p',
    async databaseId => {
      const { processor, move, setClock, states, knex } = await setup(
        databaseId,
        async () => {
          throw new Error('502 Bad Gateway');
        },
        { maxAttempts: 3 },
      );
      await move(1000, 'awaiting-customer');
      for (let run = 0; run < 5; run++) {
        setClock(run * 3600);
        await processor.runOnce();
      }
      expect(await states()).toEqual([['INC1000', 'refused', 3]]);
      const [row] = await knex('incident_outbox');
      expect(row.last_error).toBe('Error: 502 Bad Gateway (after 3 attempts)');
    },
  );

  it.each(databases.eachSupportedId())(
    'waits for the source’s retryAfter, and leaves the rest of the batch to the next run when rate limited, %p',
    async databaseId => {
      const calls: string[] = [];
      let limited = true;
      const { processor, move, setClock, states } = await setup(
        databaseId,
        async change => {
          calls.push(label(change));
          if (limited) {
            limited = false;
            throw Object.assign(new Error('429 Too Many Requests'), {
              name: 'ServiceNowRateLimitError',
              retryAfter: new Date(t0.getTime() + 120_000),
            });
          }
          return { outcome: 'written' };
        },
      );
      await move(1000, 'awaiting-customer');
      await move(1001, 'awaiting-customer');
      expect(await processor.runOnce()).toMatchObject({
        retried: 1,
        written: 0,
      });
      // INC1001 was claimed with it, and handed back: no attempt counted
      expect(calls).toEqual(['INC1000 awaiting-customer']);
      expect(await states()).toEqual([
        ['INC1000', 'pending', 1],
        ['INC1001', 'pending', 0],
      ]);
      setClock(60);
      expect(await processor.runOnce()).toMatchObject({ written: 1 });
      setClock(119);
      expect(await processor.runOnce()).toMatchObject({ written: 0 });
      setClock(120);
      expect(await processor.runOnce()).toMatchObject({ written: 1 });
      expect(calls).toEqual([
        'INC1000 awaiting-customer',
        'INC1001 awaiting-customer',
        'INC1000 awaiting-customer',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records nothing for a worker whose lease was taken over while it called, %p',
    async databaseId => {
      let takeOver: () => Promise<void> = async () => {};
      const {
        processor,
        move,
        writeBacks,
        workflow,
        logger,
        states,
        setClock,
      } = await setup(databaseId, async () => {
        await takeOver();
        return { outcome: 'written', version: 8 };
      });
      await move(1000, 'awaiting-customer');
      // while the first worker waits for ServiceNow, its lease runs out and another worker
      // claims the entry and settles it
      takeOver = async () => {
        takeOver = async () => {};
        setClock(600);
        const [entry] = await writeBacks.claimDue(
          new Date(t0.getTime() + 600_000),
          1,
          30_000,
        );
        expect(entry.attempts).toBe(2);
        expect(
          await writeBacks.retryLater(
            entry,
            'Error: slow',
            new Date(t0.getTime() + 3_600_000),
          ),
        ).toBe(true);
      };
      expect(await processor.runOnce()).toMatchObject({ written: 1 });
      // the first worker's "done" did not apply: the entry is as the second left it
      expect(await states()).toEqual([['INC1000', 'pending', 2]]);
      expect((await workflow.listEvents('INC1000')).map(e => e.type)).toEqual([
        'transition',
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/claim lost to another worker/),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'renews the lease while a call outlasts it, so no other worker takes the entry, %p',
    async databaseId => {
      let second: unknown[] | undefined;
      const { processor, move, writeBacks } = await setup(
        databaseId,
        async () => {
          await new Promise(r => setTimeout(r, 1_800));
          second = await writeBacks.claimDue(new Date(), 10, 1_500);
          await new Promise(r => setTimeout(r, 500));
          return { outcome: 'written' };
        },
        { now: () => new Date(), leaseMs: 1_500 },
      );
      await move(1000, 'awaiting-customer');
      expect(await processor.runOnce()).toMatchObject({ written: 1 });
      // without the renewal (every second) its lease would have ended at 1.5 s
      expect(second).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stops claiming when its time is up and hands back what it did not start, %p',
    async databaseId => {
      const { processor, move, states } = await setup(
        databaseId,
        async () => ({ outcome: 'written' }),
        { budgetMs: 0 },
      );
      await move(1000, 'awaiting-customer');
      await move(1001, 'awaiting-customer');
      await move(1002, 'awaiting-customer');
      expect(await processor.runOnce()).toMatchObject({ written: 1 });
      expect(await states()).toEqual([
        ['INC1000', 'done', 1],
        ['INC1001', 'pending', 0],
        ['INC1002', 'pending', 0],
      ]);
      expect(await processor.runOnce()).toMatchObject({ written: 1 });
    },
  );
});
