import { TestDatabases } from '@backstage/backend-test-utils';
import {
  HistoryDecision,
  insertDecisions,
  insertIncidents,
  insertKnowledgeUse,
  numberOf,
} from './__fixtures__/history';
import {
  at,
  egress,
  plus,
  quarter,
  recommendationsSetUp,
} from './__testUtils__/recommendations';

jest.setTimeout(120_000);

describe('recommendations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const setUp = recommendationsSetUp(databases);

  it.each(databases.eachSupportedId())(
    'stays silent on a healthy month, %p',
    async databaseId => {
      const { recommend } = await setUp(databaseId);
      expect(await recommend()).toEqual([]);
      expect(await recommend(quarter)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds a threshold most tickets breach, monthly and quarterly, %p',
    async databaseId => {
      const { knex, recommend } = await setUp(databaseId);
      // five more egress tickets go past the 30 min L1 limit: 7 of 12
      await insertDecisions(
        knex,
        [3, 4, 5, 6, 7].map(
          (n): HistoryDecision => ({
            n,
            at: plus(at(n + 1), 31),
            rule: 'l1-to-l2-unresolved',
            from: 'L1',
            to: 'L2',
          }),
        ),
      );
      const expected = [
        expect.objectContaining({
          kind: 'threshold-breached-by-most',
          subject: 'l1-to-l2-unresolved/P3',
          evidence: {
            rule: 'l1-to-l2-unresolved',
            priority: 'P3',
            limit: '30 min',
            configKey: 'incidentOps.escalation.l1ToL2.unresolved.P3',
            tickets: 12,
            reached: 7,
            share: '58%',
          },
        }),
      ];
      expect(await recommend()).toEqual(expected);
      expect(await recommend(quarter)).toEqual(expected);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds a threshold no ticket reaches, %p',
    async databaseId => {
      const { knex, recommend } = await setUp(databaseId);
      await knex('incident_escalations').where('rule', 'sla-resolve').delete();
      expect(await recommend()).toEqual([
        expect.objectContaining({
          kind: 'threshold-never-reached',
          subject: 'sla-resolve/P3',
          evidence: expect.objectContaining({
            limit: '3 d',
            tickets: 12,
            reached: 0,
          }),
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds a ticket type that always escalates past L1, not counting policy routing, %p',
    async databaseId => {
      const { knex, recommend } = await setUp(databaseId);
      // ten node-provisioning tickets, every one escalated from L1 as too complex
      await insertIncidents(
        knex,
        Array.from({ length: 10 }, (_, i) =>
          egress(101 + i, { type: 'node-provisioning', tier: 'L2' }),
        ),
      );
      // ten namespace-access P2s, sent to L2 by their priority: not a finding
      await insertIncidents(
        knex,
        Array.from({ length: 10 }, (_, i) =>
          egress(201 + i, {
            priority: 'P2',
            type: 'namespace-access',
            tier: 'L2',
          }),
        ),
      );
      const decisions: HistoryDecision[] = [];
      for (let i = 0; i < 10; i++) {
        decisions.push(
          {
            n: 101 + i,
            at: at(i + 2, '09:20'),
            rule: 'manual-complexity',
            from: 'L1',
            to: 'L2',
          },
          {
            n: 201 + i,
            at: at(i + 2, '09:01'),
            rule: 'l1-to-l2-priority',
            from: 'L1',
            to: 'L2',
          },
        );
      }
      // some P2s reach the P2 limits (so those thresholds stay quiet)
      decisions.push(
        {
          n: 201,
          at: at(2, '10:10'),
          rule: 'l2-to-l3-unresolved',
          from: 'L2',
          to: 'L3',
        },
        { n: 202, at: at(3, '10:10'), rule: 'sla-respond' },
        { n: 203, at: at(4, '18:00'), rule: 'sla-resolve' },
      );
      await insertDecisions(knex, decisions);
      await insertKnowledgeUse(knex, {
        feedback: [
          { n: 101, article: 'KB0010003', helpful: true, at: at(2, '10:00') },
          { n: 201, article: 'KB0010004', helpful: true, at: at(2, '10:00') },
        ],
      });
      expect(await recommend()).toEqual([
        expect.objectContaining({
          kind: 'route-to-l2',
          subject: 'node-provisioning',
          evidence: {
            ticketType: 'node-provisioning',
            atL1: 10,
            escalatedFromL1: 10,
            share: '100%',
          },
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds a ticket type no KB article helps with, %p',
    async databaseId => {
      const { knex, recommend } = await setUp(databaseId);
      await insertIncidents(
        knex,
        Array.from({ length: 10 }, (_, i) =>
          egress(301 + i, { type: 'gitops' }),
        ),
      );
      await insertKnowledgeUse(knex, {
        shown: [301, 302, 303].map(n => ({
          n,
          article: 'KB0010009',
          at: at(3),
          type: 'gitops',
        })),
        feedback: [301, 302, 303].map(n => ({
          n,
          article: 'KB0010009',
          helpful: false,
          at: at(3, '09:30'),
        })),
      });
      expect(await recommend()).toEqual([
        expect.objectContaining({
          kind: 'write-kb-article',
          subject: 'gitops',
          evidence: {
            ticketType: 'gitops',
            tickets: 10,
            suggested: 3,
            helpful: 0,
            notHelpful: 3,
          },
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds the playbook step skipped or failed most, %p',
    async databaseId => {
      const { knex, recommend } = await setUp(databaseId);
      await knex('playbook_step_results')
        .whereIn(
          'run_id',
          knex('playbook_runs')
            .whereIn('number', [1, 2, 3, 4].map(numberOf))
            .select('id'),
        )
        .andWhere('step_id', 'firewall')
        .update({ status: 'skipped' });
      await knex('playbook_step_results')
        .whereIn(
          'run_id',
          knex('playbook_runs')
            .whereIn('number', [5, 6].map(numberOf))
            .select('id'),
        )
        .andWhere('step_id', 'verify')
        .update({ status: 'failed' });
      expect(await recommend()).toEqual([
        expect.objectContaining({
          kind: 'fix-playbook-step',
          subject: 'Egress Access/Firewall rule template',
          evidence: {
            playbook: 'Egress Access',
            step: 'Firewall rule template',
            runs: 10,
            skipped: 4,
            failed: 0,
            share: '40%',
          },
        }),
      ]);
    },
  );
});
