import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_ESCALATION_POLICY,
  EscalationDecision,
  Incident,
} from '@acme/plugin-incident-ops-common';
import { createStores } from '.';
import { makeIncident } from '../__fixtures__/incidents';

jest.setTimeout(60_000);

describe('DatabaseEscalationStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const at = (minutes: number) =>
    new Date(Date.parse('2026-11-25T12:00:00Z') + minutes * 60_000);
  const incident = (n: number, overrides: Partial<Incident> = {}) =>
    makeIncident({
      id: String(n).padStart(32, '0'),
      number: `INC${1000 + n}`,
      priority: 'P3',
      tier: 'L1',
      status: 'work-in-progress',
      openedAt: at(0).toISOString(),
      sourceUpdatedAt: at(0).toISOString(),
      syncedAt: at(0).toISOString(),
      ...overrides,
    });
  const escalate = (key: string): EscalationDecision => ({
    action: 'escalate',
    rule: 'l1-to-l2-unresolved',
    from: 'L1',
    to: 'L2',
    explanation: 'Unresolved for 30 minutes at L1',
    clocks: { atTier: 1_800_000, open: 1_800_000, paused: 0 },
    key,
  });

  async function setup(databaseId: TestDatabaseId, incidents: Incident[]) {
    const knex = await databases.init(databaseId);
    const stores = await createStores({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await stores.incidents.upsertIncidents(incidents);
    return { knex, ...stores };
  }

  it.each(databases.eachSupportedId())(
    'lists what is due, earliest first, page by page, %p',
    async databaseId => {
      const { escalations } = await setup(databaseId, [
        incident(1),
        incident(2),
        incident(3),
      ]);
      const due = async (n: number) =>
        (await escalations.getDueIncident(`INC${1000 + n}`))!;
      await escalations.setEscalationDueAt([
        { incident: await due(1), at: at(30) },
        { incident: await due(2), at: at(10) },
        {
          incident: await due(3),
          at: at(90),
          policy: { id: 'p-1', tierEnteredAt: at(0) },
        },
      ]);
      const first = await escalations.listDueForEscalation(at(60), 1);
      expect(first.map(d => [d.number, d.dueAt])).toEqual([
        ['INC1002', at(10)],
      ]);
      const next = await escalations.listDueForEscalation(at(60), 5, {
        dueAt: first[0].dueAt,
        sourceId: first[0].sourceId,
      });
      expect(next.map(d => d.number)).toEqual(['INC1001']);
      expect(await due(3)).toMatchObject({
        number: 'INC1003',
        priority: 'P3',
        tier: 'L1',
        assigned: true,
        policyId: 'p-1',
        policyTierEnteredAt: at(0).toISOString(),
      });
      expect(await escalations.getDueIncident('INC9999')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'records a decision once; an escalation moves the ticket, queues its write-back and event, %p',
    async databaseId => {
      const { escalations, writeBacks, workflow, incidents } = await setup(
        databaseId,
        [incident(1)],
      );
      const due = (await escalations.getDueIncident('INC1001'))!;
      const decision = escalate('l1-to-l2:stay-1');
      expect(
        await escalations.recordDecision({
          incident: due,
          decision,
          assignmentGroup: 'Atlas-L2',
          now: at(30),
        }),
      ).toBe(true);
      // a second replica deciding the same: a no-op
      expect(
        await escalations.recordDecisions(
          [{ incident: due, decision }],
          at(31),
        ),
      ).toEqual([false]);
      expect(await incidents.getIncidentByNumber('INC1001')).toMatchObject({
        tier: 'L2',
        status: 'escalated',
        tierEnteredAt: at(30).toISOString(),
      });
      const [entry] = await writeBacks.claimDue(at(30), 10, 60_000);
      expect(entry.change).toMatchObject({
        key: `escalation:servicenow:${'0'.repeat(31)}1:l1-to-l2:stay-1`,
        status: 'escalated',
        assignmentGroup: 'Atlas-L2',
      });
      expect((await workflow.listEvents('INC1001')).map(e => e.type)).toEqual([
        'escalation',
      ]);
      const decisions = await escalations.listDecisions('INC1001');
      expect(decisions.map(d => [d.decision_key, d.to_tier])).toEqual([
        ['l1-to-l2:stay-1', 'L2'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'reads the decisions taken, the status history and the signals of a page, %p',
    async databaseId => {
      const { escalations, workflow } = await setup(databaseId, [
        incident(1),
        incident(2),
      ]);
      const one = (await escalations.getDueIncident('INC1001'))!;
      const two = (await escalations.getDueIncident('INC1002'))!;
      await escalations.recordDecisions(
        [{ incident: one, decision: escalate('k-1') }],
        at(30),
      );
      await workflow.transition({
        number: 'INC1002',
        to: 'awaiting-customer',
        actor: 'user:default/guest',
        now: at(5),
      });
      await workflow.recordEvent({
        source: 'servicenow',
        sourceId: two.sourceId,
        number: 'INC1002',
        type: 'kb-exhausted',
        now: at(6),
      });
      const context = await escalations.escalationContext([one, two]);
      expect(context.fired(one)).toEqual(['k-1']);
      expect(context.fired(two)).toEqual([]);
      expect(context.history(two)).toEqual([
        { at: at(5).toISOString(), status: 'awaiting-customer' },
      ]);
      expect(context.signals(two)).toEqual({ kbExhausted: true });
      expect(context.signals(one)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps each policy once by its id, %p',
    async databaseId => {
      const { escalations } = await setup(databaseId, []);
      await escalations.savePolicy('p-1', DEFAULT_ESCALATION_POLICY, at(0));
      const changed = {
        ...DEFAULT_ESCALATION_POLICY,
        l1ToL2: { ...DEFAULT_ESCALATION_POLICY.l1ToL2, atOnce: [] },
      };
      await escalations.savePolicy('p-1', changed, at(1));
      expect(await escalations.loadPolicy('p-1')).toEqual(
        DEFAULT_ESCALATION_POLICY,
      );
      expect(await escalations.loadPolicy('p-2')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'finds similar P2s before each one and lists the flags by entity and type, %p',
    async databaseId => {
      const p2 = (n: number, day: number, overrides: Partial<Incident> = {}) =>
        incident(n, {
          priority: 'P2',
          ticketType: 'gitlab-ci-access',
          configurationItem: { id: 'ci-1', name: 'runners' },
          openedAt: at(day * 24 * 60).toISOString(),
          ...overrides,
        });
      const { escalations, incidents, knex } = await setup(databaseId, [
        p2(1, 0),
        p2(2, 3),
        p2(3, 5),
        // another ticket type, and one removed at the source
        p2(4, 4, { ticketType: 'namespace-access' }),
        p2(5, 4),
      ]);
      await incidents.reconcile(
        'servicenow',
        [1, 2, 3, 4].map(n => String(n).padStart(32, '0')),
        at(6 * 24 * 60),
      );
      const three = (await escalations.getDueIncident('INC1003'))!;
      const similar = await escalations.similarP2s([three], 7 * 24 * 3_600_000);
      expect(
        similar.get(`servicenow:${three.sourceId}`)!.map(s => s.number),
      ).toEqual(['INC1001', 'INC1002']);

      const flag = (key: string): EscalationDecision => ({
        action: 'flag-recurring',
        rule: 'recurring-p2',
        explanation: `Recurring P2 (${key})`,
        clocks: { open: 0, paused: 0 },
        key,
      });
      await escalations.recordDecisions(
        [{ incident: three, decision: flag('recurring:3') }],
        at(5 * 24 * 60),
      );
      // a flag on an incident removed at the source is left out
      await knex('incident_escalations').insert({
        source: 'servicenow',
        source_id: '5'.padStart(32, '0'),
        number: 'INC1005',
        decision_key: 'recurring:5',
        action: 'flag-recurring',
        rule: 'recurring-p2',
        priority: 'P2',
        explanation: 'Recurring P2 (recurring:5)',
        clocks: '{}',
        created_at: at(5 * 24 * 60),
      });
      expect(
        await escalations.listRecurringP2s(at(0), at(6 * 24 * 60)),
      ).toEqual([
        {
          configurationItem: 'runners',
          ticketType: 'gitlab-ci-access',
          flagged: [
            {
              number: 'INC1003',
              flaggedAt: at(5 * 24 * 60).toISOString(),
              explanation: 'Recurring P2 (recurring:3)',
            },
          ],
        },
      ]);
      expect(
        await escalations.listRecurringP2s(at(6 * 24 * 60), at(7 * 24 * 60)),
      ).toEqual([]);
    },
  );
});
