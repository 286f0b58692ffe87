import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { startIncidentOpsBackend } from '../__testUtils__/testBackend';
import {
  insertDecisions,
  insertIncidents,
  numberOf,
} from '../reports/__fixtures__/history';

jest.setTimeout(60_000);

const user = (
  name: string,
  displayName: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, annotations },
  spec: { profile: { displayName }, memberOf: [] },
});

const entities: Entity[] = [
  user('jonas.weber', 'Jonas Weber', {
    'incident-ops.acme.com/servicenow-user': 'sys-jonas',
  }),
  // shares Jonas's display name, but is not him
  user('jonas.weber2', 'Jonas Weber'),
  user('emma.jansen', 'E. Jansen', {
    'incident-ops.acme.com/servicenow-user': 'sys-emma',
  }),
  user('sam.lead', 'Sam Lead'),
];

const JONAS = mockCredentials.user.header('user:default/jonas.weber');
const EMMA = mockCredentials.user.header('user:default/emma.jansen');
const LEAD = mockCredentials.user.header('user:default/sam.lead');
const NAMESAKE = mockCredentials.user.header('user:default/jonas.weber2');

describe('reports and survey API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function startBackend(
    databaseId: TestDatabaseId,
    options: { deny?: string[] } = {},
  ) {
    const knex = await databases.init(databaseId);
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async () => ({
        success: jest.fn(async () => {}),
        fail: jest.fn(async () => {}),
      })),
    });
    const { server, unvalidated } = await startIncidentOpsBackend({
      knex,
      entities,
      config: { incidentOps: { reports: { weekly: { enabled: false } } } },
      deny: options.deny,
      features: [auditor.factory],
    });
    const d = (day: number, hm: string) =>
      `2026-11-${String(day).padStart(2, '0')}T${hm}:00.000Z`;
    await insertIncidents(knex, [
      // resolved, requested by Jonas (known by his name)
      {
        n: 1,
        priority: 'P3',
        tier: 'L1',
        type: 'egress',
        opened: d(17, '09:00'),
        responded: d(17, '09:20'),
        resolved: d(17, '10:30'),
        callerId: 'sys-jonas',
        callerName: 'Jonas Weber',
      },
      // still open
      {
        n: 2,
        priority: 'P2',
        tier: 'L2',
        type: 'namespace-access',
        opened: d(18, '09:00'),
        callerId: 'sys-jonas',
        callerName: 'Jonas Weber',
      },
      // resolved, requested by Emma (known by her ServiceNow user annotation)
      {
        n: 3,
        priority: 'P4',
        tier: 'L1',
        type: 'gitlab-ci-access',
        opened: d(18, '10:00'),
        responded: d(18, '10:30'),
        resolved: d(18, '12:00'),
        callerId: 'sys-emma',
        callerName: 'Emma Jansen',
      },
    ]);
    await insertDecisions(knex, [
      {
        n: 2,
        at: d(18, '09:01'),
        rule: 'l1-to-l2-priority',
        from: 'L1',
        to: 'L2',
      },
    ]);
    return { server, unvalidated, knex, auditor };
  }

  it.each(databases.eachSupportedId())(
    'serves the weekly, monthly and quarterly reports as JSON and CSV, %p',
    async databaseId => {
      const { server, unvalidated } = await startBackend(databaseId);
      const weekly = await request(server).get(
        '/api/incident-ops/reports/weekly?week=2026-W47',
      );
      expect(weekly.status).toBe(200);
      expect(weekly.body.period).toEqual({
        kind: 'weekly',
        id: '2026-W47',
        start: '2026-11-16T00:00:00.000Z',
        end: '2026-11-23T00:00:00.000Z',
      });
      expect(weekly.body.escalations.total).toBe(1);
      expect(weekly.body.timeToResolve.overall).toEqual({
        key: 'all',
        count: 2,
        medianMs: 105 * 60_000,
        p90Ms: 117 * 60_000,
      });
      expect(weekly.body.recommendations).toBeUndefined();

      // CSV: past the proxy, which would read it as the JSON report
      const csv = await request(unvalidated).get(
        '/api/incident-ops/reports/weekly?week=2026-W47&format=csv',
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="incident-report-2026-W47.csv"',
      );
      expect(csv.text.split('\r\n')[0]).toBe(
        'section,dimension,key,period,metric,value',
      );
      expect(csv.text).toContain('escalations,total,all,2026-W47,count,1');

      const accepted = await request(unvalidated)
        .get('/api/incident-ops/reports/weekly?week=2026-W47')
        .set('Accept', 'text/csv');
      expect(accepted.headers['content-type']).toBe('text/csv; charset=utf-8');

      const monthly = await request(server).get(
        '/api/incident-ops/reports/monthly?month=2026-11',
      );
      expect(monthly.status).toBe(200);
      expect(monthly.body.period.id).toBe('2026-11');
      expect(monthly.body.trend.map((p: any) => p.id)).toEqual([
        '2026-06',
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
        '2026-11',
      ]);
      expect(Array.isArray(monthly.body.recommendations)).toBe(true);

      const quarterly = await request(server).get(
        '/api/incident-ops/reports/quarterly?quarter=2026-Q4',
      );
      expect(quarterly.status).toBe(200);
      expect(quarterly.body.period).toMatchObject({
        start: '2026-10-01T00:00:00.000Z',
        end: '2027-01-01T00:00:00.000Z',
      });

      // without a period: the last complete one
      const latest = await request(server).get(
        '/api/incident-ops/reports/weekly',
      );
      expect(latest.status).toBe(200);
      expect(Date.parse(latest.body.period.end)).toBeLessThanOrEqual(
        Date.now(),
      );
      expect(Date.now() - Date.parse(latest.body.period.end)).toBeLessThan(
        7 * 24 * 3_600_000,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'rejects a malformed or impossible period with 400, %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      for (const [path, message] of [
        ['weekly?week=2026-W54', '2026 has weeks 01 to 53'],
        ['weekly?week=2025-W53', '2025 has weeks 01 to 52'],
        ['weekly?week=2026-W00', '2026 has weeks 01 to 53'],
        ['weekly?week=2026-47', ''],
        ['monthly?month=2026-13', 'months are 01 to 12'],
        ['monthly?month=2026-00', 'months are 01 to 12'],
        ['monthly?month=Nov', ''],
        ['quarterly?quarter=2026-Q5', ''],
        ['weekly?week=2026-W47&format=xml', ''],
      ]) {
        const res = await request(server).get(
          `/api/incident-ops/reports/${path}`,
        );
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.body.error.message).toContain(message);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'needs the reports permission for reports, %p',
    async databaseId => {
      const { server } = await startBackend(databaseId, {
        deny: ['incident-ops.reports.read'],
      });
      const res = await request(server).get(
        '/api/incident-ops/reports/weekly?week=2026-W47',
      );
      expect(res.status).toBe(403);
    },
  );

  it.each(databases.eachSupportedId())(
    'takes the requestor’s survey once, editable for a week, on resolved incidents only, %p',
    async databaseId => {
      const { server, knex, auditor } = await startBackend(databaseId, {
        deny: ['incident-ops.survey.record'],
      });
      const post = (n: number, auth: string, body: object) =>
        request(server)
          .post(`/api/incident-ops/incidents/${numberOf(n)}/survey`)
          .set('Authorization', auth)
          .send(body);

      const first = await post(1, JONAS, { rating: 2, comment: 'Slow' });
      expect(first.status).toBe(201);
      expect(first.body.survey).toMatchObject({
        number: numberOf(1),
        requestor: 'sys-jonas',
        submittedBy: 'user:default/jonas.weber',
        rating: 2,
        comment: 'Slow',
      });
      expect(
        Date.parse(first.body.survey.editableUntil) -
          Date.parse(first.body.survey.createdAt),
      ).toBe(7 * 24 * 3_600_000);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'incident-survey',
          meta: { number: numberOf(1), rating: 2, onBehalf: false },
        }),
      );

      // changed within the week: the same survey
      const second = await post(1, JONAS, {
        rating: 4,
        comment: 'Fine after all',
      });
      expect(second.status).toBe(200);
      expect(second.body.survey).toMatchObject({
        rating: 4,
        comment: 'Fine after all',
        createdAt: first.body.survey.createdAt,
      });
      expect(await knex('incident_surveys')).toHaveLength(1);

      // a user known by their ServiceNow user annotation
      expect((await post(3, EMMA, { rating: 5 })).status).toBe(201);

      // not the requestor, and without the permission
      const other = await post(1, LEAD, { rating: 1 });
      expect(other.status).toBe(403);
      expect(other.body.error.message).toContain('only its requestor');
      expect((await post(3, JONAS, { rating: 1 })).status).toBe(403);
      // the same display name is not the same person
      expect((await post(1, NAMESAKE, { rating: 1 })).status).toBe(403);

      // open incident, unknown incident, bad ratings
      const open = await post(2, JONAS, { rating: 3 });
      expect(open.status).toBe(409);
      expect(open.body.error.message).toContain('work-in-progress');
      expect((await post(99, JONAS, { rating: 3 })).status).toBe(404);
      for (const body of [
        { rating: 0 },
        { rating: 6 },
        { rating: 3.5 },
        {},
        { rating: 3, extra: true },
      ]) {
        expect((await post(1, JONAS, body)).status).toBe(400);
      }

      // a week after the first submission it is final
      await knex('incident_surveys')
        .where({ number: numberOf(1) })
        .update({ created_at: new Date(Date.now() - 8 * 24 * 3_600_000) });
      const late = await post(1, JONAS, { rating: 5 });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toContain('final');
      const kept = await knex('incident_surveys')
        .where({ number: numberOf(1) })
        .first();
      expect(Number(kept.rating)).toBe(4);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets someone with the permission record it on the requestor’s behalf, %p',
    async databaseId => {
      const { server, knex } = await startBackend(databaseId);
      const res = await request(server)
        .post(`/api/incident-ops/incidents/${numberOf(1)}/survey`)
        .set('Authorization', LEAD)
        .send({ rating: 3, comment: 'Told us on the phone' });
      expect(res.status).toBe(201);
      expect(res.body.survey).toMatchObject({
        requestor: 'sys-jonas',
        submittedBy: 'user:default/sam.lead',
        onBehalf: true,
      });
      // the requestor's own answer replaces the one recorded for them
      const own = await request(server)
        .post(`/api/incident-ops/incidents/${numberOf(1)}/survey`)
        .set('Authorization', JONAS)
        .send({ rating: 4 });
      expect(own.status).toBe(200);
      expect(own.body.survey).toMatchObject({
        rating: 4,
        submittedBy: 'user:default/jonas.weber',
        onBehalf: false,
      });
      expect(await knex('incident_surveys')).toHaveLength(1);
      // and nobody else's answer ever replaces the requestor's
      const again = await request(server)
        .post(`/api/incident-ops/incidents/${numberOf(1)}/survey`)
        .set('Authorization', LEAD)
        .send({ rating: 1 });
      expect(again.status).toBe(409);
      const kept = await knex('incident_surveys').first();
      expect(Number(kept.rating)).toBe(4);
      expect(kept.submitted_by).toBe('user:default/jonas.weber');
    },
  );

  it.each(databases.eachSupportedId())(
    'links the survey to the KB article that helped and the playbook that was run, %p',
    async databaseId => {
      const { server, knex } = await startBackend(databaseId);
      const key = {
        incident_source: 'servicenow',
        incident_source_id: (1).toString(16).padStart(32, '0'),
        number: numberOf(1),
      };
      await knex('kb_feedback').insert([
        {
          ...key,
          article_source: 'servicenow',
          article_id: 'KB0010001',
          helpful: true,
          actor: 'user:default/engineer',
          created_at: new Date(),
        },
        {
          ...key,
          article_source: 'servicenow',
          article_id: 'KB0010002',
          helpful: false,
          actor: 'user:default/engineer',
          created_at: new Date(),
        },
      ]);
      await knex('playbook_runs').insert({
        source: 'servicenow',
        source_id: key.incident_source_id,
        number: numberOf(1),
        playbook_id: 'egress-access',
        playbook_title: 'Egress Access',
        definition: '{}',
        status: 'completed',
        field_values: '{}',
        started_by: 'user:default/engineer',
        started_at: new Date(),
        updated_at: new Date(),
      });
      const res = await request(server)
        .post(`/api/incident-ops/incidents/${numberOf(1)}/survey`)
        .set('Authorization', JONAS)
        .send({ rating: 1 });
      expect(res.status).toBe(201);
      // the article marked helpful; the one marked not helpful is left out
      expect(res.body.survey).toMatchObject({
        kbArticle: 'KB0010001',
        kbArticles: [{ source: 'servicenow', id: 'KB0010001', helpful: true }],
        playbook: 'egress-access',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'links a low score to the articles marked not helpful when none helped, and shows it on the article and the playbook, %p',
    async databaseId => {
      const { server, knex } = await startBackend(databaseId);
      const incident = (n: number) => ({
        incident_source: 'servicenow',
        incident_source_id: n.toString(16).padStart(32, '0'),
        number: numberOf(n),
      });
      const mark = (
        n: number,
        source: string,
        id: string,
        helpful: boolean,
        at: string,
      ) => ({
        ...incident(n),
        article_source: source,
        article_id: id,
        helpful,
        actor: 'user:default/engineer',
        created_at: new Date(at),
      });
      await knex('kb_feedback').insert([
        // ticket 1: two articles tried, neither helped (the first one was helpful at first)
        mark(
          1,
          'repository',
          'egress-access-livelink',
          true,
          '2026-11-17T09:30:00Z',
        ),
        mark(1, 'servicenow', 'KB0010002', false, '2026-11-17T09:40:00Z'),
        mark(
          1,
          'repository',
          'egress-access-livelink',
          false,
          '2026-11-17T09:50:00Z',
        ),
        // ticket 3: the same article helped
        mark(
          3,
          'repository',
          'egress-access-livelink',
          true,
          '2026-11-18T10:40:00Z',
        ),
      ]);
      const run = (n: number) => ({
        source: 'servicenow',
        source_id: incident(n).incident_source_id,
        number: numberOf(n),
        playbook_id: 'egress-access',
        playbook_title: 'Egress Access',
        definition: '{}',
        status: 'completed',
        field_values: '{}',
        started_by: 'user:default/engineer',
        started_at: new Date(),
        updated_at: new Date(),
      });
      await knex('playbook_runs').insert([run(1), run(3)]);

      const low = await request(server)
        .post(`/api/incident-ops/incidents/${numberOf(1)}/survey`)
        .set('Authorization', JONAS)
        .send({ rating: 1, comment: 'Three days for one firewall rule' });
      expect(low.status).toBe(201);
      expect(low.body.survey).toMatchObject({
        kbArticle: 'egress-access-livelink',
        kbArticles: [
          {
            source: 'repository',
            id: 'egress-access-livelink',
            helpful: false,
          },
          { source: 'servicenow', id: 'KB0010002', helpful: false },
        ],
        playbook: 'egress-access',
      });
      const good = await request(server)
        .post(`/api/incident-ops/incidents/${numberOf(3)}/survey`)
        .set('Authorization', EMMA)
        .send({ rating: 5 });
      expect(good.body.survey.kbArticles).toEqual([
        { source: 'repository', id: 'egress-access-livelink', helpful: true },
      ]);

      const article = await request(server).get(
        '/api/incident-ops/kb/articles/egress-access-livelink',
      );
      expect(article.status).toBe(200);
      expect(article.body.surveys).toEqual({
        responses: 2,
        averageRating: 3,
        low: 1,
        comments: [
          {
            number: numberOf(1),
            rating: 1,
            comment: 'Three days for one firewall rule',
            submittedAt: low.body.survey.updatedAt,
          },
        ],
      });
      // another article with nobody's survey on it
      expect(
        (
          await request(server).get(
            '/api/incident-ops/kb/articles/egress-nfs-mounts',
          )
        ).body.surveys,
      ).toEqual({ responses: 0, averageRating: null, low: 0, comments: [] });

      const playbook = await request(server).get(
        '/api/incident-ops/playbooks/egress-access',
      );
      expect(playbook.status).toBe(200);
      expect(playbook.body.surveys).toEqual(article.body.surveys);
    },
  );

  it.each(databases.eachSupportedId())(
    'shows the requestor their survey and whether it can still be changed, %p',
    async databaseId => {
      const { server, knex } = await startBackend(databaseId);
      const get = (n: number, auth: string) =>
        request(server)
          .get(`/api/incident-ops/incidents/${numberOf(n)}/survey`)
          .set('Authorization', auth);

      expect((await get(1, JONAS)).body).toEqual({
        number: numberOf(1),
        open: true,
        requestor: true,
        editable: true,
      });
      await request(server)
        .post(`/api/incident-ops/incidents/${numberOf(1)}/survey`)
        .set('Authorization', JONAS)
        .send({ rating: 4, comment: 'Quick' });
      const answered = await get(1, JONAS);
      expect(answered.body).toMatchObject({
        requestor: true,
        editable: true,
        survey: { rating: 4, comment: 'Quick', requestor: 'sys-jonas' },
      });
      // someone else who may read incidents sees the requestor's answer
      expect((await get(1, LEAD)).body).toMatchObject({
        requestor: false,
        editable: false,
        survey: { rating: 4 },
      });
      expect((await get(1, NAMESAKE)).body).toMatchObject({
        requestor: false,
      });
      // an open incident: not yet
      expect((await get(2, JONAS)).body).toEqual({
        number: numberOf(2),
        open: false,
        requestor: true,
        editable: false,
      });
      expect((await get(99, JONAS)).status).toBe(404);

      // a week on it is final
      await knex('incident_surveys')
        .where({ number: numberOf(1) })
        .update({ created_at: new Date(Date.now() - 8 * 24 * 3_600_000) });
      expect((await get(1, JONAS)).body).toMatchObject({
        editable: false,
        survey: { rating: 4 },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'checks the read permission before the incident, so 403 does not tell whether it exists, %p',
    async databaseId => {
      const { server } = await startBackend(databaseId, {
        deny: ['incident-ops.incident.read'],
      });
      const get = (n: number) =>
        request(server)
          .get(`/api/incident-ops/incidents/${numberOf(n)}/survey`)
          .set('Authorization', JONAS);
      const post = (n: number) =>
        request(server)
          .post(`/api/incident-ops/incidents/${numberOf(n)}/survey`)
          .set('Authorization', JONAS)
          .send({ rating: 3 });
      for (const res of [
        await get(1),
        await get(99),
        await post(1),
        await post(99),
      ]) {
        expect(res.status).toBe(403);
      }
    },
  );
});
