import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_ESCALATION_POLICY,
  EscalationPolicy,
  Incident,
  Priority,
  compareByBreach,
} from '@acme/plugin-incident-ops-common';
import { mockServices } from '@backstage/backend-test-utils';
import { createStores } from '../database';
import type { QueueFilter } from '../database/DatabaseQueueStore';
import { EscalationEngine } from '../escalation/EscalationEngine';
import { PolicyBook } from '../escalation/PolicyBook';
import { makeIncident } from '../__fixtures__/incidents';
import { readClocks, readQueue } from './queue';

jest.setTimeout(120_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];

/**
 * 48 open tickets and 4 closed ones whose clocks spread over every state: breached long ago
 * and a moment ago, running with little and much left, paused (awaiting the customer) with
 * time left and past its limit, nobody on it yet (the respond clock). Opened at distinct
 * odd times, so that no two tie in the order.
 */
function tickets(): Incident[] {
  return Array.from({ length: 52 }, (_, n) => {
    const openedAt = new Date(T0 - (n * 97 * MIN + n * 1_313)).toISOString();
    let status: Incident['status'] = 'work-in-progress';
    if (n >= 48) status = 'closed';
    else if (n % 5 === 0) status = 'awaiting-customer';
    else if (n % 7 === 0) status = 'unassigned';
    return makeIncident({
      id: String(n).padStart(32, '0'),
      number: `INC${2_000_000 + n}`,
      priority: PRIORITIES[n % 4],
      status,
      sourceState: status === 'awaiting-customer' ? '3' : '2',
      holdReason: status === 'awaiting-customer' ? '1' : undefined,
      assignedTo: status === 'unassigned' ? undefined : { id: 'u', name: 'U' },
      tier: undefined,
      assignmentGroup: {
        id: `g${n % 3}`,
        name: ['Atlas-L1-Support', 'Atlas-L2-Platform', 'Atlas-L3-Evangelists'][
          n % 3
        ],
      },
      openedAt,
      sourceUpdatedAt: openedAt,
      sourceVersion: 1,
      closedAt:
        status === 'closed' ? new Date(T0 - HOUR).toISOString() : undefined,
      syncedAt: new Date(T0 - MIN).toISOString(),
    });
  });
}

describe('the queue, breaching first, in the order the engine stored', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const stores = await createStores({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await stores.incidents.upsertIncidents(tickets());
    const tick = (book: PolicyBook, at: number) =>
      new EscalationEngine({
        store: stores.escalations,
        policies: book,
        groupOf: tier => `Atlas-${tier}`,
        logger: mockServices.logger.mock(),
        now: () => new Date(at),
      }).tick();
    /** Every page of the queue, read the way GET /queue reads it, at `at`. */
    const paged = async (
      book: PolicyBook,
      filter: QueueFilter,
      at: number,
      limit = 7,
    ) => {
      const ctx = {
        escalations: stores.escalations,
        policies: book,
        queue: stores.queue,
      };
      const out: string[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = await readQueue(
          ctx,
          { ...filter },
          { sort: 'breaching', limit, offset },
          undefined,
          new Date(at),
        );
        out.push(...page.items.map(i => i.number));
        if (offset + limit >= page.total) {
          expect(out).toHaveLength(page.total);
          return out;
        }
      }
    };
    /** The order from every matching ticket's clocks read now (what the queue must equal). */
    const exact = async (book: PolicyBook, filter: QueueFilter, at: number) => {
      const dues = await stores.queue.listAllDue(filter);
      const clocks = await readClocks(
        { escalations: stores.escalations, policies: book },
        dues,
        new Date(at),
      );
      return dues
        .map(d => ({ ...d, sla: clocks.get(`${d.source}:${d.sourceId}`)?.sla }))
        .sort(compareByBreach)
        .map(d => d.number);
    };
    return { knex, stores, tick, paged, exact };
  }

  const FILTERS: QueueFilter[] = [
    {},
    { priority: ['P2', 'P3'] },
    { tier: ['L1'] },
    { status: ['awaiting-customer', 'closed'] },
    { numbers: ['INC2000003', 'INC2000010', 'INC2000011', 'INC2000049'] },
    {
      numbers: ['INC2000003', 'INC2000012', 'INC2000013', 'INC2000049'],
      status: ['work-in-progress', 'awaiting-customer', 'closed'],
    },
  ];

  it.each(databases.eachSupportedId())(
    'agrees with every clock read now, before and after ticks and changes, on %p',
    async databaseId => {
      const { knex, stores, tick, paged, exact } = await setup(databaseId);
      const book = new PolicyBook(
        stores.escalations,
        DEFAULT_ESCALATION_POLICY,
      );
      const check = async (b: PolicyBook, at: number) => {
        for (const filter of FILTERS) {
          expect(await paged(b, filter, at)).toEqual(
            await exact(b, filter, at),
          );
        }
      };

      // nothing evaluated yet: every open ticket is due, its clock read exactly
      await check(book, T0);

      // evaluated: the order comes from the stored clocks, read later on
      const first = await tick(book, T0);
      expect(first.evaluated).toBe(48);
      const stored = await knex('incidents as i')
        .join('incident_escalation_state as d', function join() {
          this.on('i.source', 'd.source').andOn('i.source_id', 'd.source_id');
        })
        .where('i.is_open', true)
        .whereNull('d.sla_breach_at')
        .whereNull('d.sla_frozen_over_ms')
        .count({ n: '*' });
      expect(Number(stored[0].n)).toBe(0);
      await check(book, T0 + 5 * MIN);
      await check(book, T0 + 3 * HOUR);

      // changed in ServiceNow since: those are due again and read exactly
      const now = T0 + 10 * MIN;
      const changed = tickets()
        .slice(0, 12)
        .map(t => ({
          ...t,
          status:
            t.status === 'awaiting-customer'
              ? ('work-in-progress' as const)
              : ('awaiting-customer' as const),
          sourceState: t.status === 'awaiting-customer' ? '2' : '3',
          priority: t.number === 'INC2000004' ? ('P1' as const) : t.priority,
          sourceUpdatedAt: new Date(now - 2 * MIN).toISOString(),
          sourceVersion: 2,
          syncedAt: new Date(now - MIN).toISOString(),
        }));
      // and one closed there: its stored clock no longer counts
      const closed = {
        ...tickets()[12],
        status: 'closed' as const,
        sourceState: '7',
        closedAt: new Date(now - 2 * MIN).toISOString(),
        sourceUpdatedAt: new Date(now - 2 * MIN).toISOString(),
        sourceVersion: 2,
        syncedAt: new Date(now - MIN).toISOString(),
      };
      await stores.incidents.upsertIncidents([...changed, closed]);
      await check(book, now);
      await tick(book, now);
      await check(book, now + HOUR);

      // a new policy (shorter P3 and P4 clocks) marks every open ticket due
      const stricter: EscalationPolicy = {
        ...DEFAULT_ESCALATION_POLICY,
        sla: {
          ...DEFAULT_ESCALATION_POLICY.sla,
          P3: { respond: 30 * MIN, resolve: 2 * HOUR },
          P4: { respond: HOUR, resolve: 4 * HOUR },
        },
      };
      const next = new PolicyBook(stores.escalations, stricter);
      await next.ensureSaved(new Date(now + HOUR));
      await check(next, now + 2 * HOUR);
      await tick(next, now + 2 * HOUR);
      await check(next, now + 2 * HOUR + MIN);
    },
  );
});
