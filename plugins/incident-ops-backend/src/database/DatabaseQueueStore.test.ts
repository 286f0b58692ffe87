import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { Incident } from '@acme/plugin-incident-ops-common';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseQueueStore, QueueFilter } from './DatabaseQueueStore';
import { makeIncident } from '../__fixtures__/incidents';
import { migratedDatabase } from '../__testUtils__/database';

jest.setTimeout(60_000);

const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;

/** The incident numbered INC`n`, its id made of `n`. */
const incident = (n: number, overrides: Partial<Incident>) =>
  makeIncident({ id: String(n).repeat(32), number: `INC${n}`, ...overrides });

/**
 * Open: INC1 (P2 L1 egress), INC2 (P1 L3 gitops), INC3 and INC7 (P1 L2, opened together),
 * INC6 (P4, another source, INC1's id). Not in the queue: INC4 (resolved), INC5 (removed).
 */
const INCIDENTS = [
  incident(1, {
    priority: 'P2',
    tier: 'L1',
    openedAt: at('08:00'),
    ticketType: 'egress',
    description: 'Not read by the queue',
  }),
  incident(2, {
    priority: 'P1',
    tier: 'L3',
    status: 'unassigned',
    assignedTo: undefined,
    openedAt: at('09:00'),
    ticketType: 'gitops',
  }),
  incident(3, {
    priority: 'P1',
    tier: 'L2',
    status: 'awaiting-customer',
    openedAt: at('07:00'),
  }),
  incident(4, {
    priority: 'P3',
    status: 'resolved',
    openedAt: at('06:00'),
    resolvedAt: at('08:30'),
  }),
  incident(5, { priority: 'P1', openedAt: at('05:00') }),
  incident(1, {
    number: 'INC6',
    source: 'jira',
    priority: 'P4',
    openedAt: at('10:00'),
  }),
  incident(7, {
    priority: 'P1',
    tier: 'L2',
    openedAt: at('07:00'),
    ticketType: 'egress',
  }),
];

describe('DatabaseQueueStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const { knex, database } = await migratedDatabase(databases, databaseId);
    const incidents = await DatabaseIncidentStore.create({ database });
    await incidents.upsertIncidents(INCIDENTS);
    await knex('incidents')
      .where({ number: 'INC5' })
      .update({ removed_at: new Date() });
    const store = await DatabaseQueueStore.create({ database });
    return { knex, store };
  }

  it.each(databases.eachSupportedId())(
    'pages open incidents in priority or opening order, with the total, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const page = async (
        filter: QueueFilter,
        options: Partial<Parameters<DatabaseQueueStore['listPage']>[1]> = {},
      ) => {
        const { rows, total } = await store.listPage(filter, {
          sort: 'priority',
          limit: 10,
          offset: 0,
          ...options,
        });
        return { numbers: rows.map(r => r.incident.number), total };
      };

      expect(await page({})).toEqual({
        // same priority and time: by number
        numbers: ['INC3', 'INC7', 'INC2', 'INC1', 'INC6'],
        total: 5,
      });
      expect(await page({}, { sort: 'opened' })).toEqual({
        numbers: ['INC6', 'INC2', 'INC1', 'INC3', 'INC7'],
        total: 5,
      });
      expect(await page({}, { limit: 2, offset: 1 })).toEqual({
        numbers: ['INC7', 'INC2'],
        total: 5,
      });
      expect(await page({}, { offset: 5 })).toEqual({ numbers: [], total: 5 });

      const { rows } = await store.listPage(
        { numbers: ['INC1'] },
        { sort: 'priority', limit: 1, offset: 0 },
      );
      const { description, ...shown } = INCIDENTS[0];
      expect(rows[0].incident).toMatchObject(shown);
      expect(rows[0].incident.description).toBeUndefined();
      expect(rows[0].due).toMatchObject({
        source: 'servicenow',
        sourceId: INCIDENTS[0].id,
        number: 'INC1',
        priority: 'P2',
        tier: 'L1',
        openedAt: at('08:00'),
        assigned: true,
        ticketType: 'egress',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'filters by status, priority, tier, ticket type and numbers, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const numbers = async (filter: QueueFilter) =>
        (
          await store.listPage(filter, {
            sort: 'priority',
            limit: 10,
            offset: 0,
          })
        ).rows.map(r => r.incident.number);

      // a removed incident is never listed, whatever the status asked
      expect(
        await numbers({ status: ['resolved', 'work-in-progress'] }),
      ).toEqual(['INC7', 'INC1', 'INC4', 'INC6']);
      expect(await numbers({ priority: ['P1'] })).toEqual([
        'INC3',
        'INC7',
        'INC2',
      ]);
      expect(await numbers({ tier: ['L2'] })).toEqual(['INC3', 'INC7']);
      expect(await numbers({ ticketType: ['egress'] })).toEqual([
        'INC7',
        'INC1',
      ]);
      expect(await numbers({ priority: ['P1'], tier: ['L3'] })).toEqual([
        'INC2',
      ]);
      // empty lists filter nothing, except an empty scope
      expect(await numbers({ priority: [], status: [] })).toHaveLength(5);
      expect(await numbers({ numbers: [] })).toEqual([]);
      // a scope longer than one IN list
      const scope = Array.from({ length: 1200 }, (_, i) => `INC9${i}`);
      scope[10] = 'INC1';
      scope[1100] = 'INC2';
      expect(await numbers({ numbers: scope })).toEqual(['INC2', 'INC1']);
    },
  );

  it.each(databases.eachSupportedId())(
    'reads what the escalation engine needs, and then the whole rows in that order, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await knex('incident_escalation_state')
        .where({ source: 'servicenow', source_id: INCIDENTS[0].id })
        .update({
          policy_id: 'default',
          policy_tier_entered_at: new Date(at('08:00')),
        });

      const all = await store.listAllDue({});
      expect(all.map(d => d.number).sort()).toEqual([
        'INC1',
        'INC2',
        'INC3',
        'INC6',
        'INC7',
      ]);
      expect(all.find(d => d.number === 'INC1')).toMatchObject({
        policyId: 'default',
        policyTierEnteredAt: at('08:00'),
      });
      expect(all.find(d => d.number === 'INC2')).toMatchObject({
        assigned: false,
        status: 'unassigned',
      });
      expect(
        (await store.listAllDue({ priority: ['P1'], tier: ['L2'] }))
          .map(d => d.number)
          .sort(),
      ).toEqual(['INC3', 'INC7']);

      // by number, whatever the status, but never a removed one
      const due = await store.listDue(['INC6', 'INC4', 'INC5', 'INC1', 'INC0']);
      expect(due.map(d => d.number).sort()).toEqual(['INC1', 'INC4', 'INC6']);
      expect(await store.listDue([])).toEqual([]);

      // INC6 and INC1 share an id at two sources: each row is its own
      const byNumber = (n: string) => due.find(d => d.number === n)!;
      const phantom = { ...byNumber('INC4'), sourceId: 'gone' };
      const rows = await store.rows([
        byNumber('INC6'),
        phantom,
        byNumber('INC1'),
        byNumber('INC4'),
      ]);
      expect(
        rows.map(r => [r.incident.number, r.incident.source, r.due.number]),
      ).toEqual([
        ['INC6', 'jira', 'INC6'],
        ['INC1', 'servicenow', 'INC1'],
        ['INC4', 'servicenow', 'INC4'],
      ]);
      expect(rows[1].due.policyId).toBe('default');
      expect(rows[1].incident.description).toBeUndefined();
      expect(await store.rows([])).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists write-backs newest first, by state, and those failing, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const t0 = new Date('2026-11-20T12:00:00.000Z');
      const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);
      const row = (
        key: string,
        status: string,
        extra: Record<string, unknown> = {},
      ) => ({
        dedupe_key: key,
        source: 'servicenow',
        source_id: INCIDENTS[0].id,
        payload: JSON.stringify({ number: 'INC1', status: 'resolved' }),
        status,
        attempts: 1,
        next_attempt_at: t0,
        created_at: t0,
        ...extra,
      });
      await knex('incident_outbox').insert([
        row('k1', 'done', { done_at: minutes(1) }),
        row('k2', 'pending', {
          attempts: 2,
          last_error: 'HTTP 503',
          next_attempt_at: minutes(5),
        }),
        row('k3', 'conflict', { last_error: 'version moved' }),
        row('k4', 'pending', { attempts: 0 }),
        // failed once, then went through
        row('k5', 'done', { last_error: 'HTTP 503', done_at: minutes(2) }),
      ]);
      const keys = async (
        options: Partial<Parameters<DatabaseQueueStore['listOutbox']>[0]>,
      ) => (await store.listOutbox({ limit: 10, ...options })).map(i => i.key);

      const items = await store.listOutbox({ limit: 10 });
      expect(items.map(i => i.key)).toEqual(['k5', 'k4', 'k3', 'k2', 'k1']);
      expect(items[3]).toEqual({
        id: expect.any(Number),
        source: 'servicenow',
        number: 'INC1',
        key: 'k2',
        status: 'pending',
        attempts: 2,
        lastError: 'HTTP 503',
        createdAt: t0.toISOString(),
        nextAttemptAt: minutes(5).toISOString(),
      });
      expect(items[4]).toEqual({
        id: expect.any(Number),
        source: 'servicenow',
        number: 'INC1',
        key: 'k1',
        status: 'done',
        attempts: 1,
        createdAt: t0.toISOString(),
        doneAt: minutes(1).toISOString(),
      });
      expect(items[2].nextAttemptAt).toBeUndefined();

      expect(await keys({ status: 'pending' })).toEqual(['k4', 'k2']);
      expect(await keys({ failing: true })).toEqual(['k3', 'k2']);
      expect(await keys({ failing: true, status: 'conflict' })).toEqual(['k3']);
      expect(await keys({ limit: 2 })).toEqual(['k5', 'k4']);
      expect(await keys({ status: 'running' })).toEqual([]);
    },
  );
});
