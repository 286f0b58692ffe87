import { PolicyBook } from './PolicyBook';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_ESCALATION_POLICY,
  EscalationPolicy,
  Incident,
} from '@acme/plugin-incident-ops-common';
import { createStores } from '../database';
import { makeIncident } from '../__fixtures__/incidents';
import { EscalationEngine } from './EscalationEngine';
import { policyId } from './PolicyBook';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-11-25T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const incident = (n: number, overrides: Partial<Incident> = {}) =>
  makeIncident({
    id: String(n).padStart(32, '0'),
    number: `INC${3000 + n}`,
    priority: 'P3',
    tier: 'L1',
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
    openedAt: at(0).toISOString(),
    sourceUpdatedAt: at(0).toISOString(),
    syncedAt: at(0).toISOString(),
    sourceVersion: 1,
    status: 'work-in-progress',
    ...overrides,
  });

describe('escalation state', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const {
      incidents: store,
      workflow,
      escalations,
    } = await createStores({ database });
    let clock = at(0);
    const engine = (policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY) =>
      new EscalationEngine({
        store: escalations,
        policies: new PolicyBook(escalations, policy),
        groupOf: tier => `Atlas-${tier}`,
        logger: mockServices.logger.mock(),
        now: () => clock,
      });
    return {
      knex,
      store,
      workflow,
      escalations,
      engine,
      setClock: (d: Date) => {
        clock = d;
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'keeps a ticket on the policy in force when it entered its tier; a new tier takes the new one, %p',
    async databaseId => {
      const { store, engine, setClock, escalations } = await setup(databaseId);
      await store.upsertIncidents([incident(1)]);
      setClock(at(1));
      await engine().tick();

      // the quarterly review shortens L1 to 10 minutes; the ticket already at L1 keeps 30
      const stricter: EscalationPolicy = {
        ...DEFAULT_ESCALATION_POLICY,
        l1ToL2: {
          ...DEFAULT_ESCALATION_POLICY.l1ToL2,
          unresolved: { P3: 10 * 60_000, P4: 10 * 60_000 },
        },
      };
      await store.upsertIncidents([
        incident(2, { openedAt: at(2).toISOString() }),
      ]);
      setClock(at(2));
      await engine(stricter).tick();
      setClock(at(12));
      await engine(stricter).tick();
      expect((await escalations.listDecisions('INC3001')).length).toBe(0);
      const [second] = await escalations.listDecisions('INC3002');
      expect(second.rule).toBe('l1-to-l2-unresolved');

      setClock(at(30));
      await engine(stricter).tick();
      const [first] = await escalations.listDecisions('INC3001');
      expect(first).toMatchObject({ rule: 'l1-to-l2-unresolved' });
      expect(first.explanation).toContain(
        `(on policy ${policyId(DEFAULT_ESCALATION_POLICY).slice(
          0,
          12,
        )}, in force when it entered L1; the current one is ${policyId(
          stricter,
        ).slice(0, 12)})`,
      );
      // at L2 it runs on the policy in force now
      const due = (await escalations.getDueIncident('INC3001'))!;
      expect(due.policyId).toBe(policyId(stricter));
      expect(due.policyTierEnteredAt).toBe(at(30).toISOString());
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps `escalated` through sync until the receiving tier takes the ticket, %p',
    async databaseId => {
      const { store, engine, setClock } = await setup(databaseId);
      await store.upsertIncidents([incident(1, { priority: 'P2' })]);
      setClock(at(1));
      await engine().tick();
      expect((await store.getIncidentByNumber('INC3001'))!.status).toBe(
        'escalated',
      );
      // the write-back lands: ServiceNow shows In Progress at the L2 group, same assignee
      const l2 = {
        priority: 'P2' as const,
        tier: 'L2' as const,
        assignmentGroup: { id: 'g2', name: 'Atlas-L2-Platform' },
      };
      await store.upsertIncidents([
        incident(1, {
          ...l2,
          sourceVersion: 2,
          sourceUpdatedAt: at(2).toISOString(),
        }),
      ]);
      expect((await store.getIncidentByNumber('INC3001'))!.status).toBe(
        'escalated',
      );
      // an L2 engineer takes it
      await store.upsertIncidents([
        incident(1, {
          ...l2,
          assignedTo: { id: 'u2', name: 'Jonas Weber' },
          sourceVersion: 3,
          sourceUpdatedAt: at(5).toISOString(),
        }),
      ]);
      expect((await store.getIncidentByNumber('INC3001'))!.status).toBe(
        'work-in-progress',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'records ServiceNow status changes in the history and tells the requestor once, %p',
    async databaseId => {
      const { knex, store, workflow } = await setup(databaseId);
      await store.upsertIncidents([incident(1)]);
      const waiting = incident(1, {
        status: 'awaiting-customer',
        sourceState: '3',
        holdReason: '1',
        sourceVersion: 2,
        sourceUpdatedAt: at(10).toISOString(),
      });
      await store.upsertIncidents([waiting]);
      // the same version again (a repeated sync page) changes nothing
      await store.upsertIncidents([waiting]);
      const events = await workflow.listEvents('INC3001');
      expect(events.map(e => [e.type, e.from, e.to, e.createdAt])).toEqual([
        [
          'status-change',
          'work-in-progress',
          'awaiting-customer',
          at(10).toISOString(),
        ],
      ]);
      const told = await knex('incident_notifications')
        .where({ kind: 'event', event: 'status-change' })
        .pluck('dedupe_key');
      expect(told).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'knows first response from sync and from the suite’s own transitions, %p',
    async databaseId => {
      const { store, workflow, escalations } = await setup(databaseId);
      const waiting = {
        status: 'unassigned' as const,
        sourceState: '1',
        assignedTo: undefined,
      };
      await store.upsertIncidents([incident(1, waiting), incident(2, waiting)]);
      expect(
        (await escalations.getDueIncident('INC3001'))!.respondedAt,
      ).toBeUndefined();
      // someone takes INC3001 in ServiceNow at minute 7; later updates keep that time
      await store.upsertIncidents([
        incident(1, {
          assignedTo: { id: 'u1', name: 'Wei Zhang' },
          sourceVersion: 2,
          sourceUpdatedAt: at(7).toISOString(),
        }),
      ]);
      await store.upsertIncidents([
        incident(1, {
          assignedTo: { id: 'u1', name: 'Wei Zhang' },
          sourceVersion: 3,
          sourceUpdatedAt: at(9).toISOString(),
        }),
      ]);
      expect((await escalations.getDueIncident('INC3001'))!.respondedAt).toBe(
        at(7).toISOString(),
      );
      // INC3002 is started in the suite at minute 4
      await workflow.transition({
        number: 'INC3002',
        to: 'work-in-progress',
        actor: 'user:default/wei.zhang',
        now: at(4),
      });
      expect((await escalations.getDueIncident('INC3002'))!.respondedAt).toBe(
        at(4).toISOString(),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'lists recurring P2s flagged in a period, grouped by entity and ticket type, %p',
    async databaseId => {
      const { store, engine, setClock, escalations } = await setup(databaseId);
      const runner = (n: number, day: number) =>
        incident(n, {
          priority: 'P2',
          ticketType: 'gitlab-ci-access',
          configurationItem: { id: 'ci-gr', name: 'abrc1l:gitlab-runners' },
          openedAt: at(day * 24 * 60).toISOString(),
          sourceUpdatedAt: at(day * 24 * 60).toISOString(),
          syncedAt: at(day * 24 * 60).toISOString(),
        });
      // days 0, 3 and 9: never three within 7 days; day 10 has days 3 and 9 within 7 days
      // (the window is inclusive), day 11 has days 9 and 10
      for (const [n, day] of [
        [1, 0],
        [2, 3],
        [3, 9],
        [4, 10],
        [5, 11],
      ]) {
        await store.upsertIncidents([runner(n, day)]);
        setClock(at(day * 24 * 60));
        await engine().tick();
      }
      const flagged = await escalations.listRecurringP2s(
        at(0),
        at(12 * 24 * 60),
      );
      expect(flagged).toEqual([
        {
          configurationItem: 'abrc1l:gitlab-runners',
          ticketType: 'gitlab-ci-access',
          flagged: [
            expect.objectContaining({ number: 'INC3004' }),
            expect.objectContaining({ number: 'INC3005' }),
          ],
        },
      ]);
      expect(flagged[0].flagged[0].explanation).toBe(
        'Recurring P2: 3 P2s of this type on this entity within 7 days (INC3002, INC3003 before it): for the weekly stakeholder review',
      );
    },
  );
});
