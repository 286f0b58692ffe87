import { PolicyBook } from './PolicyBook';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_ESCALATION_POLICY,
  Incident,
} from '@acme/plugin-incident-ops-common';
import knexFactory, { type Knex } from 'knex';
import { createStores } from '../database';
import { DatabaseEscalationStore } from '../database/DatabaseEscalationStore';
import { makeIncident } from '../__fixtures__/incidents';
import { EscalationEngine } from './EscalationEngine';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-11-25T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A ticket as sync stores it with no assignment group, or one mapped to no tier. */
const unassigned = (n: number, overrides: Partial<Incident> = {}) =>
  makeIncident({
    id: String(n).padStart(32, '0'),
    number: `INC${4000 + n}`,
    tier: undefined,
    assignmentGroup: undefined,
    assignedTo: undefined,
    status: 'unassigned',
    sourceState: '1',
    openedAt: at(0).toISOString(),
    sourceUpdatedAt: at(0).toISOString(),
    syncedAt: at(0).toISOString(),
    sourceVersion: 1,
    ...overrides,
  });

/** The write-backs queued for a ticket, as the outbox holds them. */
const queued = async (knex: Knex, number: string) =>
  (await knex('incident_outbox').orderBy('id').select('payload'))
    .map(r => JSON.parse(r.payload))
    .filter(c => c.number === number);

describe('EscalationEngine', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function setup(databaseId: TestDatabaseId, incidents: Incident[]) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const {
      incidents: store,
      workflow,
      escalations,
      writeBacks,
    } = await createStores({ database });
    await store.upsertIncidents(incidents);
    let clock = at(0);
    const engine = (w = escalations) =>
      new EscalationEngine({
        store: w,
        policies: new PolicyBook(w, DEFAULT_ESCALATION_POLICY),
        groupOf: tier => `Atlas-${tier}`,
        logger: mockServices.logger.mock(),
        now: () => clock,
      });
    return {
      knex,
      store,
      workflow,
      escalations,
      writeBacks,
      engine,
      setClock: (d: Date) => {
        clock = d;
      },
      /** One tick at minute `m`. */
      tickAt: (m: number) => {
        clock = at(m);
        return engine().tick();
      },
    };
  }

  const incident = (n: number, overrides: Partial<Incident>) =>
    makeIncident({
      id: String(n).padStart(32, '0'),
      number: `INC${2000 + n}`,
      openedAt: at(0).toISOString(),
      sourceUpdatedAt: at(0).toISOString(),
      syncedAt: at(0).toISOString(),
      status: 'work-in-progress',
      assignedTo: { id: 'u', name: 'Priya Raman' },
      ...overrides,
    });

  it.each(databases.eachSupportedId())(
    'sends a P1 at L1 straight to L3 once, alerts management once, and writes it back, %p',
    async databaseId => {
      const { engine, workflow, store, setClock, escalations, writeBacks } =
        await setup(databaseId, [incident(1, { priority: 'P1', tier: 'L1' })]);
      setClock(at(1));
      expect(await engine().tick()).toEqual({ evaluated: 1, decisions: 2 });
      const decisions = await escalations.listDecisions('INC2001');
      expect(decisions.map(d => [d.action, d.rule, d.to_tier])).toEqual([
        ['escalate', 'p1-straight-to-l3', 'L3'],
        ['alert-management', 'p1-management-alert', null],
      ]);
      expect(await store.getIncidentByNumber('INC2001')).toMatchObject({
        tier: 'L3',
        status: 'escalated',
        tierEnteredAt: at(1).toISOString(),
      });
      const [entry] = await writeBacks.claimDue(at(1), 10, 60_000);
      expect(entry.change).toMatchObject({
        status: 'escalated',
        assignmentGroup: 'Atlas-L3',
        workNote: expect.stringMatching(
          /^Incident Ops escalated INC2001 from L1 to L3 \(rule p1-straight-to-l3\): P1 at L1/,
        ),
      });
      const events = await workflow.listEvents('INC2001');
      expect(events.map(e => [e.type, e.to])).toEqual([
        ['escalation', 'escalated'],
      ]);
      // later ticks: nothing new, and nothing read until it is due
      setClock(at(2));
      expect(await engine().tick()).toEqual({ evaluated: 0, decisions: 0 });
    },
  );

  it.each(databases.eachSupportedId())(
    'escalates a P3 after 30 minutes at L1, not before, and reads only what is due, %p',
    async databaseId => {
      const { engine, setClock, escalations } = await setup(databaseId, [
        incident(1, { priority: 'P3', tier: 'L1' }),
        incident(2, {
          priority: 'P4',
          tier: 'L1',
          status: 'awaiting-customer',
        }),
      ]);
      setClock(at(5));
      expect(await engine().tick()).toEqual({ evaluated: 2, decisions: 0 });
      // idle ticks read nothing until the stored due time
      setClock(at(20));
      expect(await engine().tick()).toEqual({ evaluated: 0, decisions: 0 });
      setClock(at(30));
      expect(await engine().tick()).toEqual({ evaluated: 1, decisions: 1 });
      const [d] = await escalations.listDecisions('INC2001');
      expect(d).toMatchObject({ rule: 'l1-to-l2-unresolved', to_tier: 'L2' });
      expect(JSON.parse(d.clocks)).toMatchObject({ atTier: 30 * 60_000 });
      // the one awaiting the customer never escalates on time
      setClock(at(600));
      await engine().tick();
      expect(await escalations.listDecisions('INC2002')).toEqual([]);
    },
  );

  it('records each decision once with two replicas ticking at the same moment on PostgreSQL', async () => {
    if (!databases.eachSupportedId().some(([id]) => id === 'POSTGRES_15')) {
      throw new Error('PostgreSQL is not configured for the tests');
    }
    const many = Array.from({ length: 40 }, (_, n) =>
      incident(n, { priority: n % 2 ? 'P1' : 'P2', tier: 'L1' }),
    );
    const { knex, engine, escalations, setClock, writeBacks } = await setup(
      'POSTGRES_15',
      many,
    );
    const knex2 = knexFactory(knex.client.config);
    try {
      const escalations2 = await DatabaseEscalationStore.create({
        database: mockServices.database({ knex: knex2 }),
      });
      setClock(at(1));
      const [a, b] = await Promise.all([
        engine(escalations).tick(),
        engine(escalations2).tick(),
      ]);
      // 20 P1s: escalation and alert each; 20 P2s: one escalation each
      expect(a.decisions + b.decisions).toBe(60);
      const rows = await knex('incident_escalations').count({ n: '*' });
      expect(Number(rows[0].n)).toBe(60);
      expect(await writeBacks.outboxDepth()).toEqual({ pending: 40 });
      // and one notification event per decision, whichever replica recorded it
      const events = await knex('incident_notifications')
        .where({ kind: 'event' })
        .count({ n: '*' });
      expect(Number(events[0].n)).toBe(60);
    } finally {
      await knex2.destroy();
    }
  });

  // Triage: a ticket with no assignment group, or one mapped to no tier, is at L1.
  it.each(databases.eachSupportedId())(
    'sends an unassigned P1 to L3 at once, alerts management, and writes L3’s group back once, %p',
    async databaseId => {
      const { knex, tickAt, escalations, store, workflow } = await setup(
        databaseId,
        [unassigned(1, { priority: 'P1' })],
      );
      expect(await tickAt(1)).toEqual({
        evaluated: 1,
        decisions: 2,
      });
      // a second tick, as another replica's a moment later, decides nothing again
      await tickAt(1);
      await tickAt(2);
      const decisions = await escalations.listDecisions('INC4001');
      expect(
        decisions.map(d => [d.action, d.rule, d.from_tier, d.to_tier]),
      ).toEqual([
        ['escalate', 'p1-straight-to-l3', 'L1', 'L3'],
        ['alert-management', 'p1-management-alert', null, null],
      ]);
      expect(await store.getIncidentByNumber('INC4001')).toMatchObject({
        tier: 'L3',
        status: 'escalated',
      });
      const explanation =
        'no assignment group: at L1 for triage; P1 at L1: P1 tickets go to L3 (Evangelist) at once';
      expect(await queued(knex, 'INC4001')).toEqual([
        expect.objectContaining({
          assignmentGroup: 'Atlas-L3',
          status: 'escalated',
          workNote: `Incident Ops escalated INC4001 from L1 to L3 (rule p1-straight-to-l3): ${explanation}`,
        }),
      ]);
      const timeline = await workflow.timeline('INC4001');
      expect(timeline).toContainEqual(
        expect.objectContaining({ type: 'escalation', summary: explanation }),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'sends a P2 in a group mapped to no tier to L2 at once, naming the group, %p',
    async databaseId => {
      const { knex, tickAt, escalations } = await setup(databaseId, [
        unassigned(1, {
          priority: 'P2',
          assignmentGroup: { id: 'gn', name: 'Atlas-Network' },
        }),
      ]);
      await tickAt(0);
      const [d] = await escalations.listDecisions('INC4001');
      expect(d).toMatchObject({
        rule: 'l1-to-l2-priority',
        from_tier: 'L1',
        to_tier: 'L2',
        explanation:
          'assignment group Atlas-Network maps to no tier: at L1 for triage; P2 at L1: P2 tickets go to L2 at once',
      });
      expect(
        (await queued(knex, 'INC4001')).map(c => c.assignmentGroup),
      ).toEqual(['Atlas-L2']);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps an unassigned P3 at triage for L1’s 30 minutes, then sends it to L2, %p',
    async databaseId => {
      const { knex, tickAt, escalations } = await setup(databaseId, [
        unassigned(1, { priority: 'P3' }),
        unassigned(2, {
          priority: 'P4',
          status: 'awaiting-customer',
          sourceState: '3',
        }),
      ]);
      expect(await tickAt(5)).toEqual({
        evaluated: 2,
        decisions: 0,
      });
      // due at minute 30: nothing is read before
      expect(await tickAt(29)).toEqual({
        evaluated: 0,
        decisions: 0,
      });
      expect(await tickAt(30)).toEqual({
        evaluated: 1,
        decisions: 1,
      });
      const [d] = await escalations.listDecisions('INC4001');
      expect(d).toMatchObject({ rule: 'l1-to-l2-unresolved', to_tier: 'L2' });
      expect(d.explanation).toBe(
        'no assignment group: at L1 for triage; P3 unresolved 30 min at L1 (limit 30 min, 0 min awaiting the customer not counted)',
      );
      expect(
        (await queued(knex, 'INC4001')).map(c => c.assignmentGroup),
      ).toEqual(['Atlas-L2']);
      // the one awaiting the customer does not escalate on time
      await tickAt(600);
      expect(await escalations.listDecisions('INC4002')).toEqual([]);
    },
  );

  it('records each triage decision and write-back once with two replicas on PostgreSQL', async () => {
    if (!databases.eachSupportedId().some(([id]) => id === 'POSTGRES_15')) {
      throw new Error('PostgreSQL is not configured for the tests');
    }
    // (taken by a person, so no SLA response breach adds decisions of its own)
    const many = Array.from({ length: 30 }, (_, n) =>
      unassigned(n, {
        priority: (['P1', 'P2', 'P3'] as const)[n % 3],
        status: 'work-in-progress',
        sourceState: '2',
        assignedTo: { id: 'u1', name: 'Wei Zhang' },
      }),
    );
    const { knex, engine, setClock } = await setup('POSTGRES_15', many);
    const knex2 = knexFactory(knex.client.config);
    try {
      const second = await DatabaseEscalationStore.create({
        database: mockServices.database({ knex: knex2 }),
      });
      for (const minute of [1, 30]) {
        setClock(at(minute));
        await Promise.all([engine().tick(), engine(second).tick()]);
      }
      // 10 P1s: L3 and an alert; 10 P2s: L2 at once; 10 P3s: L2 at minute 30
      const rows: Array<{ rule: string; n: unknown }> = await knex(
        'incident_escalations',
      )
        .groupBy('rule')
        .orderBy('rule')
        .select('rule', knex.raw('count(*) as n'));
      expect(rows.map(r => [r.rule, Number(r.n)])).toEqual([
        ['l1-to-l2-priority', 10],
        ['l1-to-l2-unresolved', 10],
        ['p1-management-alert', 10],
        ['p1-straight-to-l3', 10],
      ]);
      for (const [n, ticket] of many.entries()) {
        expect(
          (await queued(knex, ticket.number)).map(c => c.assignmentGroup),
        ).toEqual([n % 3 === 0 ? 'Atlas-L3' : 'Atlas-L2']);
      }
    } finally {
      await knex2.destroy();
    }
  });
});
