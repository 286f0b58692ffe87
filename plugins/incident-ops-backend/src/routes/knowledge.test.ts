import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { IncidentWriteBack } from '@acme/plugin-incident-ops-node';
import request from 'supertest';
import { makeIncident } from '../__fixtures__/incidents';
import {
  asSent,
  startIncidentOpsBackend,
  tiers,
} from '../__testUtils__/testBackend';
import { KNOWLEDGE_DIR } from '../knowledge/__fixtures__/labelled';

jest.setTimeout(60_000);

const MIN = 60_000;

function incidents(now: number) {
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const l1 = { id: 'g1', name: 'Atlas-L1-Support' };
  return [
    // at L1 for five minutes: no clock has run out, only KB exhaustion can move it
    makeIncident({
      id: '1'.repeat(32),
      number: 'INC13090001',
      priority: 'P3',
      shortDescription: 'Add egress NFS access for livelink-prod',
      description: 'Pods need to mount nas-prd-02:/vol/livelink_docs (NFSv4.1)',
      category: 'network',
      subcategory: 'firewall',
      assignmentGroup: l1,
      tier: undefined,
      configurationItem: { id: 'c2', name: 'abrc1l:livelink-prod' },
      openedAt: at(5 * MIN),
      sourceUpdatedAt: at(5 * MIN),
    }),
    makeIncident({
      id: '2'.repeat(32),
      number: 'INC13090002',
      priority: 'P4',
      shortDescription: 'Whitelist Snowflake hosts for snowflake-connect',
      description: undefined,
      assignmentGroup: l1,
      openedAt: at(5 * MIN),
      sourceUpdatedAt: at(5 * MIN),
    }),
  ];
}

describe('knowledge suggestions and feedback', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function startBackend(
    databaseId: TestDatabaseId,
    options?: { denyFeedback?: boolean },
  ) {
    const knex = await databases.init(databaseId);
    const { server, connection } = await startIncidentOpsBackend({
      knex,
      config: {
        incidentOps: { knowledge: { directory: KNOWLEDGE_DIR }, tiers },
      },
      deny: options?.denyFeedback ? ['incident-ops.kb.feedback'] : undefined,
    });
    await connection.applyIncidents(asSent(incidents(Date.now())));
    const now = new Date().toISOString();
    await connection.applyKnowledgeArticles([
      {
        id: 'f'.repeat(32),
        number: 'KB0010004',
        title: 'FluxCD reconciliation stuck',
        text: 'flux get all -A --status-selector ready=false',
        workflowState: 'published',
        sourceUpdatedAt: now,
        sourceVersion: 2,
      },
    ]);
    const count = async (table: string) =>
      Number((await knex(table).count({ n: '*' }))[0].n);
    return { server, knex, count };
  }

  const api = '/api/incident-ops';

  it.each(databases.eachSupportedId())(
    'suggests for a text, ranked with reasons, recording nothing, %p',
    async databaseId => {
      const { server, count } = await startBackend(databaseId);
      const res = await request(server)
        .get(`${api}/kb/suggestions`)
        .query({ text: 'egrss to nfs for livelink-prod pls', limit: 3 });
      expect(res.status).toBe(200);
      expect(res.body.ticketTypeFrom).toBe('classification');
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      const nfs = res.body.items.find(
        (i: any) => i.articleId === 'egress-nfs-mounts',
      );
      expect(nfs).toMatchObject({
        title: 'NFS mounts from pods - egress to filers on TCP 2049 and 111',
        source: 'repository',
        playbook: 'egress-access',
      });
      expect(nfs.reasons.matchedTerms).toContainEqual({
        term: 'egress',
        typed: 'egrss',
        fields: ['title', 'tags', 'text'],
      });
      expect(res.body.items.map((i: any) => i.rank)).toEqual(
        res.body.items.map((_: any, n: number) => n + 1),
      );

      // a type given is used for the boost, and said to be the query's
      const typed = await request(server)
        .get(`${api}/kb/suggestions`)
        .query({ text: 'fluxcd reconciliation stuck on rtg', type: 'gitops' });
      expect(typed.body.ticketType).toBe('gitops');
      expect(typed.body.ticketTypeFrom).toBe('query');
      // the synced ServiceNow article ranks with the repository ones
      expect(typed.body.items.map((i: any) => i.articleId)).toContain(
        'KB0010004',
      );
      expect(
        typed.body.items.find((i: any) => i.articleId === 'KB0010004').reasons
          .ticketType,
      ).toEqual({ type: 'gitops', via: 'classification' });
      expect(await count('kb_suggestion_views')).toBe(0);

      // bad queries
      for (const query of [
        {},
        { text: '   ' },
        { incident: 'INC13090001', text: 'x' },
        { incident: 'INC13090001', type: 'egress' },
        { text: 'x', type: 'dns' },
        { text: 'x', limit: 0 },
      ]) {
        const bad = await request(server)
          .get(`${api}/kb/suggestions`)
          .query(query);
        expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      }
      const unknown = await request(server)
        .get(`${api}/kb/suggestions`)
        .query({ incident: 'INC404' });
      expect(unknown.status).toBe(404);
      expect(await count('kb_suggestion_views')).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'feedback makes an incident KB-exhausted, and the escalation engine moves it to L2, %p',
    async databaseId => {
      const { server, knex } = await startBackend(databaseId);
      // reading suggestions records nothing; the UI says what it showed, once per user
      const read = await request(server)
        .get(`${api}/kb/suggestions`)
        .query({ incident: 'INC13090001' });
      expect(read.status).toBe(200);
      expect(read.body.kb.shown).toBe(0);
      expect(await knex('kb_suggestion_views')).toHaveLength(0);
      const viewed = await request(server).post(
        `${api}/incidents/INC13090001/kb-views`,
      );
      expect([viewed.status, viewed.body]).toEqual([201, { recorded: true }]);
      const twice = await request(server).post(
        `${api}/incidents/INC13090001/kb-views`,
      );
      expect([twice.status, twice.body]).toEqual([200, { recorded: false }]);
      const shown = await request(server)
        .get(`${api}/kb/suggestions`)
        .query({ incident: 'INC13090001' });
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({
        incident: 'INC13090001',
        ticketType: 'egress',
        ticketTypeFrom: 'incident',
        kb: { shown: shown.body.items.length, notHelpful: 0, exhausted: false },
      });
      const ids: string[] = shown.body.items.map((i: any) => i.articleId);
      expect(ids).toContain('egress-nfs-mounts');
      expect(ids.length).toBeGreaterThan(1);
      const views = await knex('kb_suggestion_views').orderBy('rank');
      expect(views.map(v => [v.number, v.article_id, v.actor])).toEqual(
        ids.map(id => ['INC13090001', id, 'user:default/mock']),
      );

      // helpful, then changed to not helpful: the latest counts
      const first = await request(server)
        .post(`${api}/incidents/INC13090001/kb-feedback`)
        .send({ articleId: ids[0], helpful: true, note: 'close, but not it' });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        feedback: {
          articleId: ids[0],
          helpful: true,
          note: 'close, but not it',
          actor: 'user:default/mock',
        },
        kb: { shown: ids.length, notHelpful: 0, exhausted: false },
      });
      const figures = async (id: string) =>
        (await request(server).get(`${api}/kb/articles/${id}`)).body.feedback;
      expect(await figures(ids[0])).toEqual({
        suggestedOn: 1,
        helpful: 1,
        notHelpful: 0,
      });
      const again = await request(server)
        .get(`${api}/kb/suggestions`)
        .query({ incident: 'INC13090001' });
      expect(again.body.items[0].feedback).toMatchObject({
        helpful: true,
        note: 'close, but not it',
      });

      let last: request.Response | undefined;
      for (const articleId of ids) {
        last = await request(server)
          .post(`${api}/incidents/INC13090001/kb-feedback`)
          .send({ articleId, helpful: false });
        expect(last.status).toBe(201);
      }
      expect(last!.body.kb).toEqual({
        shown: ids.length,
        notHelpful: ids.length,
        exhausted: true,
      });
      // shown twice on the ticket, marked twice: one ticket, its latest mark
      expect(await figures(ids[0])).toEqual({
        suggestedOn: 1,
        helpful: 0,
        notHelpful: 1,
      });

      // the event the escalation engine reads, once
      const events = await request(server).get(
        `${api}/incidents/INC13090001/events`,
      );
      const exhausted = events.body.items.filter(
        (e: any) => e.type === 'kb-exhausted',
      );
      expect(exhausted).toHaveLength(1);
      expect(exhausted[0].details).toEqual({
        articles: expect.arrayContaining(ids),
        by: 'user:default/mock',
      });

      // the feedback route asked the escalation task to run now
      let escalation: any;
      for (let i = 0; i < 50 && !escalation; i++) {
        const res = await request(server).get(
          `${api}/incidents/INC13090001/events`,
        );
        escalation = res.body.items.find((e: any) => e.type === 'escalation');
        if (!escalation) await new Promise(r => setTimeout(r, 100));
      }
      expect(escalation).toMatchObject({
        from: 'work-in-progress',
        to: 'escalated',
        details: { rule: 'l1-to-l2-kb-exhausted', from: 'L1', to: 'L2' },
      });
      const incident = await request(server).get(
        `${api}/incidents/INC13090001`,
      );
      expect(incident.body).toMatchObject({ tier: 'L2', status: 'escalated' });
      // the other incident at L1 was not moved
      const other = await request(server).get(`${api}/incidents/INC13090002`);
      expect(other.body.tier).toBe('L1');
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses bad feedback with 404 or 400, and without the permission with 403, changing nothing, %p',
    async databaseId => {
      const { server, count } = await startBackend(databaseId);
      await request(server).post(`${api}/incidents/INC13090001/kb-views`);
      const post = (number: string, body: object) =>
        request(server)
          .post(`${api}/incidents/${number}/kb-feedback`)
          .send(body);

      const unknownIncident = await post('INC404', {
        articleId: 'egress-nfs-mounts',
        helpful: false,
      });
      expect(unknownIncident.status).toBe(404);
      expect(unknownIncident.body.error.message).toBe('No incident INC404');
      const unknownArticle = await post('INC13090001', {
        articleId: 'no-such-article',
        helpful: false,
      });
      expect(unknownArticle.status).toBe(404);
      expect(unknownArticle.body.error.message).toBe(
        'No knowledge article no-such-article',
      );
      // a real article, never suggested for this incident
      const notShown = await post('INC13090001', {
        articleId: 'p1-cluster-outage-runbook',
        helpful: false,
      });
      expect(notShown.status).toBe(400);
      expect(notShown.body.error.message).toMatch(
        /^Article p1-cluster-outage-runbook was never suggested for INC13090001/,
      );
      // shown on another incident only
      const elsewhere = await post('INC13090002', {
        articleId: 'egress-nfs-mounts',
        helpful: false,
      });
      expect(elsewhere.status).toBe(400);
      for (const body of [
        { articleId: 'egress-nfs-mounts' },
        { articleId: 'egress-nfs-mounts', helpful: 'no' },
        { articleId: '', helpful: false },
        { articleId: 'egress-nfs-mounts', helpful: false, extra: 1 },
      ]) {
        const bad = await post('INC13090001', body);
        expect({ body, status: bad.status }).toEqual({ body, status: 400 });
      }
      expect(await count('kb_feedback')).toBe(0);
      expect(await count('incident_events')).toBe(0);

      const denied = await startBackend(databaseId, { denyFeedback: true });
      const shown = await request(denied.server)
        .get(`${api}/kb/suggestions`)
        .query({ incident: 'INC13090001', limit: 1 });
      expect(shown.status).toBe(200);
      const refused = await request(denied.server)
        .post(`${api}/incidents/INC13090001/kb-feedback`)
        .send({ articleId: shown.body.items[0].articleId, helpful: false });
      expect(refused.status).toBe(403);
      expect(refused.body.error.name).toBe('NotAllowedError');
      expect(await denied.count('kb_feedback')).toBe(0);
      expect(await denied.count('incident_events')).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'suggests when an open ticket arrives: recorded as shown and one work note, once, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const writeBack = jest.fn(async (_change: IncidentWriteBack) => ({
        outcome: 'written' as const,
      }));
      const { server, connection } = await startIncidentOpsBackend({
        knex,
        config: {
          incidentOps: {
            knowledge: { directory: KNOWLEDGE_DIR, suggestOnArrival: true },
            tiers,
          },
        },
        provider: { writeBack },
        outboxOnDemand: true,
      });
      const [open] = incidents(Date.now());
      const closed = makeIncident({
        id: '3'.repeat(32),
        number: 'INC13090003',
        shortDescription: 'Add egress NFS access for livelink-uat',
        status: 'closed',
        sourceState: '7',
        closedAt: new Date().toISOString(),
      });
      await connection.applyIncidents(asSent([open, closed]));

      // the open one's suggestions are recorded as shown, by the suite; the closed one has none
      const views = await knex('kb_suggestion_views').orderBy('rank');
      expect(views.length).toBeGreaterThan(1);
      expect(views.map(v => [v.number, v.actor, v.ticket_type])).toEqual(
        views.map(() => ['INC13090001', 'incident-ops', 'egress']),
      );
      expect(views.map(v => v.rank)).toEqual(views.map((_, n) => n + 1));
      const ids = views.map(v => v.article_id);
      expect(ids).toContain('egress-nfs-mounts');
      expect(JSON.parse(views[0].reasons).matchedTerms.length).toBeGreaterThan(
        0,
      );

      // one work note for ServiceNow, through the outbox, naming each article and why
      const key = `kb-suggestions:servicenow:${'1'.repeat(32)}`;
      expect(await knex('incident_outbox').pluck('dedupe_key')).toEqual([key]);
      for (let i = 0; i < 50 && writeBack.mock.calls.length === 0; i++) {
        await new Promise(r => setTimeout(r, 100));
      }
      expect(writeBack).toHaveBeenCalledTimes(1);
      const change = writeBack.mock.calls[0][0];
      expect(change).toMatchObject({
        key,
        id: '1'.repeat(32),
        number: 'INC13090001',
        expectedVersion: open.sourceVersion,
      });
      expect(change.status).toBeUndefined();
      const lines = change.workNote.split('\n');
      expect(lines[0]).toBe(
        'Incident Ops suggests these knowledge articles for INC13090001:',
      );
      expect(lines.slice(1, -1)).toHaveLength(ids.length);
      expect(change.workNote).toMatch(
        /\n\d\. NFS mounts from pods - egress to filers on TCP 2049 and 111 \(egress-nfs-mounts\): Matches .*nfs/,
      );

      // the same tickets synced again (a newer version of the open one) add nothing
      await connection.applyIncidents(
        asSent([
          {
            ...open,
            shortDescription: `${open.shortDescription} - still waiting`,
            sourceVersion: open.sourceVersion + 1,
            sourceUpdatedAt: new Date().toISOString(),
          },
          closed,
        ]),
      );
      expect(await knex('kb_suggestion_views')).toHaveLength(views.length);
      expect(await knex('incident_outbox').pluck('dedupe_key')).toEqual([key]);
      expect(writeBack).toHaveBeenCalledTimes(1);

      // what was shown on arrival counts for KB exhaustion and the article's figures
      const onDemand = await request(server)
        .get(`${api}/kb/suggestions`)
        .query({ incident: 'INC13090001' });
      expect(onDemand.status).toBe(200);
      expect(onDemand.body.kb.shown).toBeGreaterThanOrEqual(ids.length);
      expect(
        (await request(server).get(`${api}/kb/articles/egress-nfs-mounts`)).body
          .feedback,
      ).toEqual({ suggestedOn: 1, helpful: 0, notHelpful: 0 });
    },
  );

  it.each(databases.eachSupportedId())(
    'serves articles from both sources, by id and in the list, %p',
    async databaseId => {
      const { server } = await startBackend(databaseId);
      const one = await request(server).get(
        `${api}/kb/articles/egress-access-livelink`,
      );
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        source: 'repository',
        number: 'egress-access-livelink',
        title: 'How to Request Egress Access for livelink-* Namespaces',
        format: 'markdown',
        ticketTypes: ['egress'],
        replaces: ['KB0010001'],
        workflowState: 'published',
        sourceVersion: 1,
        feedback: { suggestedOn: 0, helpful: 0, notHelpful: 0 },
      });
      expect(one.body.text).toMatch(/^# How to Request Egress Access/);
      expect(
        (await request(server).get(`${api}/kb/articles/KB0010004`)).body,
      ).toMatchObject({
        source: 'servicenow',
        title: 'FluxCD reconciliation stuck',
      });
      expect(
        (await request(server).get(`${api}/kb/articles/KB404`)).status,
      ).toBe(404);

      const list = await request(server)
        .get(`${api}/kb/articles`)
        .query({ limit: 500 });
      expect(list.status).toBe(200);
      expect(list.body.total).toBeGreaterThanOrEqual(13);
      expect(list.body.items.map((a: any) => a.source)).toEqual(
        expect.arrayContaining(['repository', 'servicenow']),
      );
    },
  );
});
