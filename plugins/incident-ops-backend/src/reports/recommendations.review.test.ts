import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AccountableRole,
  MATRIX_ROLES,
  OwnershipMatrix,
  OwnershipRow,
} from '@acme/plugin-incident-ops-common';
import {
  HistoryDecision,
  insertDecisions,
  insertIncidents,
  insertLesson,
  insertSurveys,
  insertVendorCases,
  numberOf,
} from './__fixtures__/history';
import {
  at,
  egress,
  month,
  plus,
  quarter,
  recommendationsSetUp,
} from './__testUtils__/recommendations';

jest.setTimeout(120_000);

describe('recommendations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const setUp = recommendationsSetUp(databases);

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
