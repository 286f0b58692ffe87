import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  AccountableRole,
  DEFAULT_ESCALATION_POLICY,
  MATRIX_ROLES,
  OwnershipMatrix,
  OwnershipRow,
  parseReportPeriod,
  ReportPeriod,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import { migrate } from '../database/migrate';
import { DatabaseReportStore } from '../database/DatabaseReportStore';
import { ReportBuilder } from './ReportBuilder';
import {
  HistoryDecision,
  HistoryIncident,
  insertDecisions,
  insertIncidents,
  insertKnowledgeUse,
  insertLesson,
  insertPlaybookRun,
  insertSurveys,
  insertVendorCases,
  numberOf,
} from './__fixtures__/history';

jest.setTimeout(120_000);

const month = parseReportPeriod('monthly', '2026-11') as ReportPeriod;
const quarter = parseReportPeriod('quarterly', '2026-Q4') as ReportPeriod;
const at = (day: number, hm = '09:00') =>
  `2026-11-${String(day).padStart(2, '0')}T${hm}:00.000Z`;
const plus = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

const playbook = {
  id: 'egress-access',
  title: 'Egress Access',
  steps: [
    { id: 'validate', title: 'Namespace validation' },
    { id: 'firewall', title: 'Firewall rule template' },
    { id: 'verify', title: 'Test verification' },
  ],
};

/** A P3 egress ticket at L1 opened in November (day 2…28 by its number), resolved in 2 h. */
const egress = (
  n: number,
  extra: Partial<HistoryIncident> = {},
): HistoryIncident => {
  const opened = extra.opened ?? at((n % 27) + 2);
  return {
    n,
    priority: 'P3',
    tier: 'L1',
    type: 'egress',
    ci: 'abrc1l:livelink-prod',
    opened,
    responded: plus(opened, 10),
    resolved: plus(opened, 120),
    ...extra,
  };
};

/**
 * A healthy month: every threshold is reached by some tickets but not most; egress tickets
 * mostly stay at L1; a KB article helped; the playbook's steps were all done; the surveys
 * are good; nothing recurred.
 */
async function seedHealthy(db: Knex) {
  await insertIncidents(
    db,
    Array.from({ length: 12 }, (_, i) => egress(i + 1)),
  );
  await insertDecisions(db, [
    {
      n: 1,
      at: at(2, '09:31'),
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 2,
      at: at(3, '09:31'),
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
    },
    { n: 3, at: at(4, '13:00'), rule: 'sla-respond' },
    { n: 4, at: at(5, '13:00'), rule: 'sla-respond' },
    { n: 5, at: at(9, '09:00'), rule: 'sla-resolve' },
    { n: 6, at: at(10, '09:00'), rule: 'sla-resolve' },
  ]);
  await insertKnowledgeUse(db, {
    shown: [{ n: 1, article: 'KB0010001', at: at(2, '09:01'), type: 'egress' }],
    feedback: [
      { n: 1, article: 'KB0010001', helpful: true, at: at(2, '09:05') },
    ],
  });
  for (let n = 1; n <= 10; n++) {
    await insertPlaybookRun(db, {
      n,
      playbook,
      at: at(n + 1, '10:00'),
      steps: [
        { id: 'validate', status: 'done' },
        { id: 'firewall', status: 'done' },
        { id: 'verify', status: 'verified' },
      ],
    });
  }
  await insertSurveys(db, [
    {
      n: 1,
      rating: 4,
      at: at(3),
      kbArticle: 'KB0010001',
      playbook: 'egress-access',
    },
    { n: 2, rating: 5, at: at(4), playbook: 'egress-access' },
    { n: 3, rating: 4, at: at(5), playbook: 'egress-access' },
  ]);
}

describe('recommendations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function setUp(
    databaseId: TestDatabaseId,
    options: { ownership?: () => Promise<OwnershipMatrix> } = {},
  ) {
    const knex = await databases.init(databaseId);
    await migrate({ getClient: async () => knex } as any);
    const builder = new ReportBuilder({
      store: new DatabaseReportStore(knex),
      policy: DEFAULT_ESCALATION_POLICY,
      ownership: options.ownership,
    });
    await seedHealthy(knex);
    const build = (period: ReportPeriod) =>
      builder.build(period, new Date('2026-12-01T08:00:00Z'));
    const recommend = async (period = month) =>
      (await build(period)).recommendations!;
    return { knex, recommend, build };
  }

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

  it.each(databases.eachSupportedId())(
    'finds a recurring issue without lessons learned, until one is written, %p',
    async databaseId => {
      const { knex, recommend } = await setUp(databaseId);
      const recurring = [401, 402, 403].map(n =>
        egress(n, {
          priority: 'P2',
          tier: 'L2',
          ci: 'mecc:egress-gateway',
          opened: at(n - 380),
        }),
      );
      await insertIncidents(knex, recurring);
      await insertDecisions(
        knex,
        recurring.flatMap((i): HistoryDecision[] => [
          {
            n: i.n,
            at: plus(i.opened, 1),
            rule: 'l1-to-l2-priority',
            from: 'L1',
            to: 'L2',
          },
          {
            n: i.n,
            at: plus(i.opened, 2),
            rule: 'recurring-p2',
            action: 'flag-recurring',
          },
        ]),
      );
      expect(await recommend()).toEqual([
        expect.objectContaining({
          kind: 'record-lessons-learned',
          subject: 'egress on mecc:egress-gateway',
          evidence: {
            issue: 'egress on mecc:egress-gateway',
            configurationItem: 'mecc:egress-gateway',
            ticketType: 'egress',
            incidents: [401, 402, 403].map(numberOf),
          },
        }),
      ]);
      // a lesson linked to an earlier incident of the same issue covers it
      await insertIncidents(knex, [
        egress(400, {
          priority: 'P2',
          ci: 'mecc:egress-gateway',
          opened: '2026-09-01T09:00:00.000Z',
          responded: '2026-09-01T09:10:00.000Z',
          resolved: '2026-09-01T11:00:00.000Z',
        }),
      ]);
      await insertLesson(knex, {
        id: 'egress-gateway-drops',
        title: 'Egress gateway drops connections under load',
        incidents: [400],
      });
      expect(await recommend()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'turns low survey scores into a recommendation with the comments, %p',
    async databaseId => {
      const { knex, recommend } = await setUp(databaseId);
      await insertSurveys(knex, [
        {
          n: 7,
          rating: 1,
          comment: 'The firewall step took days',
          at: at(9),
          playbook: 'egress-access',
        },
        {
          n: 8,
          rating: 1,
          comment: 'Had to ask twice',
          at: at(10),
          playbook: 'egress-access',
        },
        { n: 9, rating: 2, at: at(11), playbook: 'egress-access' },
        { n: 10, rating: 1, at: at(12), playbook: 'egress-access' },
      ]);
      // egress-access: 4, 5, 4, 1, 1, 2, 1 → 2.57 on 7 responses: not yet low
      expect(await recommend()).toEqual([]);
      await insertSurveys(knex, [
        { n: 11, rating: 1, at: at(13), playbook: 'egress-access' },
      ]);
      // 19 / 8 = 2.375 — and per ticket type egress the same
      expect(await recommend()).toEqual([
        expect.objectContaining({
          kind: 'review-low-survey-scores',
          subject: 'playbook/egress-access',
          evidence: {
            subjectKind: 'playbook',
            subject: 'egress-access',
            responses: 8,
            averageRating: 2.38,
            // the lowest first, the latest first among equals
            comments: ['Had to ask twice', 'The firewall step took days'],
          },
        }),
        expect.objectContaining({
          kind: 'review-low-survey-scores',
          subject: 'ticket-type/egress',
          evidence: expect.objectContaining({
            responses: 8,
            averageRating: 2.38,
          }),
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts surveys linked to articles marked not helpful, and sends at most five comments, %p',
    async databaseId => {
      const { knex, recommend } = await setUp(databaseId);
      // tickets 4…10: the one article shown was marked not helpful; the survey names it
      await insertSurveys(
        knex,
        [4, 5, 6, 7, 8, 9, 10].map(n => ({
          n,
          rating: n === 10 ? 2 : 1,
          comment: `Comment on ${n}`,
          at: at(n + 5),
          kbArticles: [{ id: 'KB0010009', helpful: false }],
        })),
      );
      const recs = await recommend();
      const article = recs.find(r => r.subject === 'kb-article/KB0010009');
      expect(article?.evidence).toEqual({
        subjectKind: 'kb-article',
        subject: 'KB0010009',
        responses: 7,
        averageRating: 1.14,
        // the lowest first, the latest first among equals; five at most
        comments: [9, 8, 7, 6, 5].map(n => `Comment on ${n}`),
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'cuts long lists of recurring P2s and says how many there were, %p',
    async databaseId => {
      const { knex, build } = await setUp(databaseId);
      const recurring = Array.from({ length: 205 }, (_, i) =>
        egress(1001 + i, {
          priority: 'P2',
          tier: 'L2',
          ci: 'mecc:egress-gateway',
        }),
      );
      await insertIncidents(knex, recurring);
      await insertDecisions(
        knex,
        recurring.map(
          (i): HistoryDecision => ({
            n: i.n,
            at: plus(i.opened, 2),
            rule: 'recurring-p2',
            action: 'flag-recurring',
          }),
        ),
      );
      const report = await build(month);
      expect(report.recurringP2sTotal).toBe(205);
      expect(
        report.recurringP2s.reduce((n, g) => n + g.incidents.length, 0),
      ).toBe(200);
      const lessons = report.recommendations!.find(
        r => r.kind === 'record-lessons-learned',
      );
      expect(lessons?.evidence).toMatchObject({
        issue: 'egress on mecc:egress-gateway',
        totalIncidents: 205,
      });
      expect(lessons?.evidence.incidents).toHaveLength(20);
      expect(lessons?.detail).toMatch(/^205 incidents/);
    },
  );

  describe('roles (the quarterly review)', () => {
    /** A namespace of the ownership matrix with its CMDB CI and the roles nobody holds. */
    const row = (
      name: string,
      configurationItem: string,
      unheld: AccountableRole[] = [],
    ): OwnershipRow => ({
      entityRef: `resource:default/${name}`,
      name,
      type: 'namespace',
      configurationItem,
      cells: MATRIX_ROLES.map(role =>
        unheld.includes(role)
          ? { role, holders: [], inherited: false, gap: true }
          : {
              role,
              holders: ['group:default/atlas'],
              from: `resource:default/${name}`,
              inherited: false,
              gap: false,
            },
      ),
    });
    const matrix =
      (rows: OwnershipRow[]) => async (): Promise<OwnershipMatrix> => ({
        roles: [...MATRIX_ROLES],
        rows,
        people: [],
        domains: [],
        gaps: { total: 0, byRole: [] },
      });

    it.each(databases.eachSupportedId())(
      'stays silent when the roles are held where the tickets were, %p',
      async databaseId => {
        const { recommend } = await setUp(databaseId, {
          ownership: matrix([
            row('livelink-prod', 'abrc1l:livelink-prod'),
            // nobody at all on a namespace without tickets: nothing to say
            row('livelink-uat', 'abrc1l:livelink-uat', [...MATRIX_ROLES]),
          ]),
        });
        expect(await recommend(quarter)).toEqual([]);
      },
    );

    it.each(databases.eachSupportedId())(
      'names the roles nobody holds where the quarter’s tickets, L3 escalations and vendor cases were, %p',
      async databaseId => {
        const { knex, recommend } = await setUp(databaseId, {
          ownership: matrix([
            row('livelink-prod', 'abrc1l:livelink-prod', [
              'support-engineer',
              'evangelist',
              'vendor-liaison',
            ]),
          ]),
        });
        const supportEngineer = expect.objectContaining({
          kind: 'assign-role',
          subject: 'role/support-engineer',
          title:
            'Nobody is Support Engineer on 1 cluster or namespace with tickets',
          evidence: {
            role: 'Support Engineer',
            annotation: 'incident-ops.acme.com/support-engineer',
            tickets: 12,
            entityCount: 1,
            entities: ['resource:default/livelink-prod (12)'],
          },
        });
        // no ticket reached L3 and no vendor case was opened: only the Support Engineer
        expect(await recommend(quarter)).toEqual([supportEngineer]);
        // the monthly report leaves roles to the quarterly review
        expect(await recommend(month)).toEqual([]);

        await insertDecisions(knex, [
          {
            n: 1,
            at: at(2, '12:00'),
            rule: 'manual-complexity',
            from: 'L2',
            to: 'L3',
          },
        ]);
        await insertVendorCases(knex, [
          {
            n: 2,
            vendor: 'tanzu',
            caseId: 'T-9',
            opened: at(3, '11:00'),
            slaMinutes: 240,
          },
          {
            n: 3,
            vendor: 'aws',
            caseId: 'A-9',
            opened: at(4, '11:00'),
            slaMinutes: 60,
          },
        ]);
        expect(await recommend(quarter)).toEqual([
          supportEngineer,
          expect.objectContaining({
            subject: 'role/evangelist',
            evidence: expect.objectContaining({
              ticketsAtL3: 1,
              entities: ['resource:default/livelink-prod (1)'],
            }),
          }),
          expect.objectContaining({
            subject: 'role/vendor-liaison',
            evidence: expect.objectContaining({
              vendorCases: 2,
              entities: ['resource:default/livelink-prod (2)'],
            }),
          }),
        ]);
      },
    );
  });
});
