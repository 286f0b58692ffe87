import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { SourceIncident } from '@acme/plugin-incident-ops-common';
import type {
  IncidentProviderConnection,
  NewIncident,
  NewIncidentResult,
} from '@acme/plugin-incident-ops-node';
import type { Knex } from 'knex';
import request from 'supertest';
import type http from 'http';
import { startIncidentOpsBackend, tiers } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const NS = 'incident-ops.acme.com';
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'livelink-prod',
      annotations: { [`${NS}/servicenow-cmdb-ci`]: 'abrc1l:livelink-prod' },
    },
    spec: { type: 'kubernetes-namespace', owner: 'group:default/livelink' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: 'mock',
      annotations: { [`${NS}/servicenow-user`]: 'a'.repeat(32) },
    },
    spec: {
      profile: { displayName: 'Mock User', email: 'mock@acme.com' },
      memberOf: [],
    },
  },
];

/**
 * A stand-in for ServiceNow behind the provider's createIncident: records by key, found
 * again on a retry as the real provider finds them by correlation_id. `next` scripts the
 * coming calls: `down` fails before anything is created, `lost` creates the record and then
 * fails as a lost answer does, `refused` is a data policy's refusal.
 */
function fakeServiceNow() {
  const byKey = new Map<string, SourceIncident>();
  const next: Array<'down' | 'lost' | 'refused'> = [];
  let seq = 10100;
  const calls: NewIncident[] = [];
  const createIncident = async (
    incident: NewIncident,
  ): Promise<NewIncidentResult> => {
    calls.push(incident);
    const mode = next.shift();
    if (mode === 'down') {
      throw Object.assign(new Error('connect ECONNREFUSED'), {
        name: 'ServiceNowUnavailableError',
      });
    }
    if (mode === 'refused') {
      return { outcome: 'refused', reason: 'Data policy: caller is mandatory' };
    }
    const found = byKey.get(incident.key);
    if (found) return { outcome: 'found', incident: found };
    const now = new Date().toISOString();
    seq++;
    const record: SourceIncident = {
      id: seq.toString(16).padStart(32, '0'),
      number: `INC00${seq}`,
      shortDescription: incident.shortDescription,
      description: incident.description,
      priority: 'P2',
      impact: incident.impact,
      urgency: incident.urgency,
      status: 'unassigned',
      sourceState: '1',
      category: incident.category,
      subcategory: incident.subcategory,
      assignmentGroup: incident.assignmentGroup
        ? { id: 'g2', name: incident.assignmentGroup }
        : undefined,
      configurationItem: incident.configurationItem
        ? { id: 'ci1', name: incident.configurationItem }
        : undefined,
      caller: { id: incident.requestedBy.id ?? 'u0', name: 'Mock User' },
      openedAt: now,
      sourceUpdatedAt: now,
      sourceVersion: 0,
    };
    byKey.set(incident.key, record);
    if (mode === 'lost') {
      throw Object.assign(new Error('POST /api/now/table/incident: 502'), {
        name: 'ServiceNowUncertainWriteError',
      });
    }
    return { outcome: 'created', incident: record };
  };
  return { byKey, next, calls, createIncident };
}

/** The scheduler's tasks, run when a test says so (runSoon does nothing). */
function manualScheduler() {
  const tasks = new Map<string, () => Promise<unknown>>();
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: jest.fn(async task => {
      tasks.set(task.id, () => task.fn(new AbortController().signal) as any);
    }),
    triggerTask: jest.fn(async () => {}),
  });
  return {
    factory: scheduler.factory,
    run: (id: string) => tasks.get(id)!(),
  };
}

const KEY = '0f8b6c2a-4e1d-4b7a-9c3e-5d2f1a0b9c8e';
const body = (over: Record<string, unknown> = {}) => ({
  clientKey: KEY,
  shortDescription: 'NFS mounts time out on livelink-prod (TCP 2049)',
  description: 'document-archive pods cannot reach nas-prd-03',
  impact: '1',
  urgency: '2',
  entityRef: 'resource:default/livelink-prod',
  ...over,
});

describe('Report an incident', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function start(
    databaseId: Parameters<typeof databases.init>[0],
    options: { deny?: string[] } = {},
  ) {
    const knex: Knex = await databases.init(databaseId);
    const sn = fakeServiceNow();
    const scheduler = manualScheduler();
    const { server, connection } = await startIncidentOpsBackend({
      knex,
      entities,
      deny: options.deny,
      provider: { createIncident: sn.createIncident },
      config: { incidentOps: { tiers } },
      features: [scheduler.factory],
    });
    const api = (p: string) => `/api/incident-ops${p}`;
    const fileReports = async () => {
      // what is waiting for a retry is due now
      await knex('incident_reports')
        .where({ status: 'pending' })
        .update({ next_attempt_at: new Date(0) });
      await scheduler.run('incident-ops-report-outbox');
    };
    return {
      sn,
      knex,
      server,
      connection: connection as IncidentProviderConnection,
      fileReports,
      get: (p: string) => request(server as http.Server).get(api(p)),
      post: (p: string, b: object) =>
        request(server as http.Server)
          .post(api(p))
          .send(b),
    };
  }

  const queueNumbers = async (t: Awaited<ReturnType<typeof start>>) => {
    const res = await t.get('/queue');
    expect(res.status).toBe(200);
    return res.body.items.map((i: { number: string }) => i.number);
  };

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('previews a draft: priority, tier, group, cadence, type, CI, knowledge, playbook', async () => {
      const t = await start(databaseId);
      const res = await t.post('/incidents/drafts', {
        shortDescription: 'Need egress from livelink-prod to nas-prd-03 NFS',
        description: 'TCP 2049 and 111 for the document-archive pods',
        impact: '1',
        urgency: '2',
        entityRef: 'resource:default/livelink-prod',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        priority: 'P2',
        tier: 'L2',
        assignmentGroup: 'Atlas-L2-Platform',
        cadence: { kind: 'hourly', everyMinutes: 60 },
        ticketType: { id: 'egress', label: 'Egress', rule: 'text-egress' },
        configurationItem: 'abrc1l:livelink-prod',
        playbook: { id: 'egress-access' },
      });
      expect(res.body.cadence.audience).toContain('requestor');
      expect(res.body.articles.length).toBeGreaterThan(0);
      // a preview stores nothing
      expect(
        Number((await t.knex('incident_reports').count({ n: '*' }))[0].n),
      ).toBe(0);

      const p1 = await t.post('/incidents/drafts', {
        shortDescription: 'Cluster down: abrc1l API server unreachable',
        impact: '1',
        urgency: '1',
      });
      expect(p1.body).toMatchObject({
        priority: 'P1',
        tier: 'L3',
        assignmentGroup: 'Atlas-L3-Evangelists',
        cadence: { kind: 'real-time', postMortemWithinHours: 24 },
        ticketType: { id: 'cluster-outage' },
      });
      const p4 = await t.post('/incidents/drafts', {
        shortDescription: 'question',
        impact: '3',
        urgency: '3',
      });
      expect(p4.body).toMatchObject({
        priority: 'P4',
        tier: 'L1',
        cadence: { kind: 'daily', dailyAt: '08:00' },
      });
    });

    it('takes any draft text: through GET /kb/suggestions and POST /incidents/drafts', async () => {
      const t = await start(databaseId);
      const hard =
        'Égress "NFS" (TCP 2049) & portmapper #111 + 10% für livelink-prod? a=b;c/d';
      const long = `${hard} ${'x'.repeat(4000 - hard.length - 1)}`;
      expect(long).toHaveLength(4000);
      for (const text of [hard, long]) {
        const encoded = await t.get(
          `/kb/suggestions?text=${encodeURIComponent(text)}`,
        );
        expect(encoded.status).toBe(200);
        // a form encoder's spaces (curl --data-urlencode, URLSearchParams)
        const form = await t.get(
          `/kb/suggestions?${new URLSearchParams({ text })}`,
        );
        expect(form.status).toBe(200);
        expect(form.body.items).toEqual(encoded.body.items);
        const draft = await t.post('/incidents/drafts', {
          shortDescription: text.slice(0, 160),
          description: text,
          impact: '2',
          urgency: '2',
        });
        expect(draft.status).toBe(200);
      }
      const tooLong = await t.post('/incidents/drafts', {
        shortDescription: 'x',
        description: 'y'.repeat(4001),
        impact: '2',
        urgency: '2',
      });
      expect(tooLong.status).toBe(400);
    });

    it('files a report exactly once: shown at once, the same key again is the same record', async () => {
      const t = await start(databaseId);
      const res = await t.post('/incidents', body());
      expect(res.status).toBe(202);
      const provisional = res.body.incident.provisionalNumber;
      expect(res.body.incident).toMatchObject({
        clientKey: KEY,
        status: 'queued',
        priority: 'P2',
        tier: 'L2',
        assignmentGroup: 'Atlas-L2-Platform',
        ticketType: 'connectivity',
        configurationItem: 'abrc1l:livelink-prod',
        reportedBy: 'user:default/mock',
      });
      expect(provisional).toMatch(/^RPT\d{7}$/);
      expect(res.body.incident.number).toBeUndefined();
      // in the queue and on the entity's card before ServiceNow answers
      expect(await queueNumbers(t)).toContain(provisional);
      const card = await t.get(
        '/incidents?entityRef=resource:default/livelink-prod',
      );
      expect(card.body.items.map((i: any) => i.number)).toContain(provisional);

      // nothing to write back to until ServiceNow has it
      const early = await t.post(`/incidents/${provisional}/transitions`, {
        to: 'work-in-progress',
      });
      expect(early.status).toBe(409);
      expect(early.body.error.message).toBe(
        `${provisional} is not filed in ServiceNow yet; it can be worked once it has its number there`,
      );

      const again = await t.post('/incidents', body());
      expect(again.status).toBe(200);
      expect(again.body.incident.provisionalNumber).toBe(provisional);
      const other = await t.post('/incidents', body({ urgency: '1' }));
      expect(other.status).toBe(409);

      await t.fileReports();
      expect(t.sn.calls).toHaveLength(1);
      expect(t.sn.calls[0]).toMatchObject({
        key: KEY,
        impact: '1',
        urgency: '2',
        configurationItem: 'abrc1l:livelink-prod',
        assignmentGroup: 'Atlas-L2-Platform',
        requestedBy: {
          id: 'a'.repeat(32),
          name: 'Mock User',
          email: 'mock@acme.com',
        },
      });
      const filed = await t.get(`/incidents/reports/${KEY}`);
      expect(filed.body.incident).toMatchObject({
        status: 'filed',
        number: 'INC0010101',
        provisionalNumber: provisional,
      });
      expect(filed.body.incident.filedAt).toBeDefined();
      // the INC number replaces the provisional one
      let numbers = await queueNumbers(t);
      expect(numbers).toContain('INC0010101');
      expect(numbers).not.toContain(provisional);
      // the next sync brings the same record: still one row
      await t.connection.applyIncidents([
        { ...t.sn.byKey.get(KEY)!, sourceVersion: 1 },
      ]);
      numbers = await queueNumbers(t);
      expect(numbers.filter((n: string) => n === 'INC0010101')).toHaveLength(1);
      // filing again changes nothing
      await t.fileReports();
      expect(t.sn.calls).toHaveLength(1);
      expect((await t.post('/incidents', body())).body.incident.status).toBe(
        'filed',
      );
    });

    it('a lost answer (ServiceNow created it, then 502): the retry finds it, one record', async () => {
      const t = await start(databaseId);
      t.sn.next.push('lost');
      await t.post('/incidents', body());
      await t.fileReports();
      const queued = await t.get(`/incidents/reports/${KEY}`);
      expect(queued.body.incident).toMatchObject({
        status: 'queued',
        attempts: 1,
        lastError: expect.stringContaining('ServiceNowUncertainWriteError'),
      });
      // the sync brings the record first (it carries the key): one row, not two
      await t.connection.applyIncidents([
        { ...t.sn.byKey.get(KEY)!, correlationId: KEY },
      ]);
      expect(await queueNumbers(t)).toEqual(['INC0010101']);
      await t.fileReports();
      const filed = await t.get(`/incidents/reports/${KEY}`);
      expect(filed.body.incident).toMatchObject({
        status: 'filed',
        number: 'INC0010101',
      });
      expect(t.sn.byKey.size).toBe(1);
      expect(await queueNumbers(t)).toEqual(['INC0010101']);
    });

    it('ServiceNow down: queued, will be filed; filed when it is back', async () => {
      const t = await start(databaseId);
      t.sn.next.push('down', 'down');
      await t.post('/incidents', body());
      await t.fileReports();
      await t.fileReports();
      const queued = await t.get(`/incidents/reports/${KEY}`);
      expect(queued.body.incident).toMatchObject({
        status: 'queued',
        attempts: 2,
        lastError: expect.stringContaining('ECONNREFUSED'),
      });
      expect(t.sn.byKey.size).toBe(0);
      expect(await queueNumbers(t)).toEqual([
        queued.body.incident.provisionalNumber,
      ]);
      await t.fileReports();
      const filed = await t.get(`/incidents/reports/${KEY}`);
      expect(filed.body.incident.status).toBe('filed');
      expect(t.sn.byKey.size).toBe(1);
    });

    it('a refusal leaves it refused with the reason', async () => {
      const t = await start(databaseId);
      t.sn.next.push('refused');
      await t.post('/incidents', body());
      await t.fileReports();
      const res = await t.get(`/incidents/reports/${KEY}`);
      expect(res.body.incident).toMatchObject({
        status: 'refused',
        lastError: 'Data policy: caller is mandatory',
      });
    });

    it('says clearly what is wrong with a report: 400, 404, 403', async () => {
      const t = await start(databaseId);
      const bad = [
        body({ clientKey: 'not-a-uuid' }),
        body({ impact: '4' }),
        body({ shortDescription: '   ' }),
        body({ shortDescription: 's'.repeat(161) }),
        body({ entityRef: undefined }),
        body({ entityRef: 'livelink-prod' }),
        body({ ticketType: 'coffee' }),
      ];
      for (const b of bad) {
        const res = await t.post('/incidents', b);
        expect([res.status, b]).toEqual([400, b]);
        expect(res.body.error.message).toBeTruthy();
      }
      const unknown = await t.post(
        '/incidents',
        body({ entityRef: 'resource:default/nowhere' }),
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe(
        'No entity resource:default/nowhere in the catalog',
      );
      const notFound = await t.get(
        '/incidents/reports/0f8b6c2a-4e1d-4b7a-9c3e-000000000000',
      );
      expect(notFound.status).toBe(404);

      const denied = await start(databaseId, {
        deny: ['incident-ops.incident.create'],
      });
      const res = await denied.post('/incidents', body());
      expect(res.status).toBe(403);
      // the form's help is for everyone signed in
      const draft = await denied.post('/incidents/drafts', {
        shortDescription: 'x',
        impact: '2',
        urgency: '2',
      });
      expect(draft.status).toBe(200);
    });

    it('records "This solved it" as a deflection', async () => {
      const t = await start(databaseId);
      const { body: suggestions } = await t.get(
        `/kb/suggestions?text=${encodeURIComponent(
          'egress NFS livelink-prod',
        )}`,
      );
      const articleId = suggestions.items[0].articleId;
      const res = await t.post('/kb/deflections', {
        articleId,
        text: 'Need egress (TCP 2049) from livelink-prod',
        entityRef: 'resource:default/livelink-prod',
      });
      expect(res.status).toBe(201);
      expect(res.body.deflection).toMatchObject({
        articleId,
        ticketType: 'egress',
        entityRef: 'resource:default/livelink-prod',
        actor: 'user:default/mock',
      });
      const rows = await t.knex('kb_deflections').select();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        article_id: articleId,
        actor: 'user:default/mock',
      });

      const unknown = await t.post('/kb/deflections', {
        articleId: 'KB9999999',
        text: 'x',
      });
      expect(unknown.status).toBe(404);
      const empty = await t.post('/kb/deflections', { articleId, text: ' ' });
      expect(empty.status).toBe(400);
    });
  });
});
