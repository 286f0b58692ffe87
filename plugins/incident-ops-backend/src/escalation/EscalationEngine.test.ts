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
import knexFactory from 'knex';
import { createStores } from '../database';
import { DatabaseEscalationStore } from '../database/DatabaseEscalationStore';
import { makeIncident } from '../__fixtures__/incidents';
import { EscalationEngine } from './EscalationEngine';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-11-25T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

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
});
