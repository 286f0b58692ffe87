import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import fs from 'fs';
import os from 'os';
import { join } from 'path';
import request from 'supertest';
import { makeIncident } from '../__fixtures__/incidents';
import { asSent, startIncidentOpsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

describe('lessons learned API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function startBackend(
    databaseId: TestDatabaseId,
    options?: {
      deny?: string[];
      knex?: Awaited<ReturnType<typeof databases.init>>;
    },
  ) {
    const knex = options?.knex ?? (await databases.init(databaseId));
    const { server, connection } = await startIncidentOpsBackend({
      knex,
      config: {},
      deny: options?.deny,
    });
    await connection.applyKnowledgeArticles([
      {
        id: 'b'.repeat(32),
        number: 'KB0010008',
        title:
          'Pod visibility loss: missing RoleBindings or NetworkPolicies after Flux prune',
        text: 'Check whether Flux pruned a RoleBinding',
        workflowState: 'published',
        sourceUpdatedAt: '2026-11-01T00:00:00.000Z',
        sourceVersion: 1,
      },
    ]);
    await connection.applyIncidents(
      asSent(
        ['INC13076950', 'INC13076961'].map((number, i) =>
          makeIncident({ id: String(i + 1).repeat(32), number }),
        ),
      ),
    );
    return {
      knex,
      get: (path: string) => request(server).get(`/api/incident-ops${path}`),
      post: (path: string, body: object) =>
        request(server).post(`/api/incident-ops${path}`).send(body),
      patch: (path: string, body: object) =>
        request(server).patch(`/api/incident-ops${path}`).send(body),
    };
  }

  it.each(databases.eachSupportedId())(
    'loads the shipped lesson once, and serves it, %p',
    async databaseId => {
      const { get, patch, knex } = await startBackend(databaseId);
      const res = await get('/lessons/gitlab-runner-verdict-drops');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: 'gitlab-runner-verdict-drops',
        title: 'GitLab runner verdict drops',
        status: 'monitoring',
        ticketType: 'gitlab-ci-access',
        incidents: ['INC13076942', 'INC13076950', 'INC13076961'],
        kbArticles: ['gitlab-runner-jobs-failing'],
        playbooks: ['gitlab-ci-access'],
        source: 'lessons/gitlab-runner-verdict-drops.yaml',
        createdBy: 'incident-ops',
      });
      expect(res.body.actions).toHaveLength(4);
      expect(res.body.rootCause).toMatch(/pod_labels|Kubernetes executor/);

      // edited through the API, it is not overwritten by the file at the next start
      expect(
        (
          await patch('/lessons/gitlab-runner-verdict-drops', {
            status: 'closed',
          })
        ).status,
      ).toBe(200);
      const again = await startBackend(databaseId, { knex });
      expect(
        (await again.get('/lessons/gitlab-runner-verdict-drops')).body.status,
      ).toBe('closed');
      expect((await again.get('/lessons')).body.total).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'warns about lesson files that link unknown articles, and starts, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // the shipped lesson links only what exists
      const shipped = mockServices.logger.mock();
      await startIncidentOpsBackend({
        knex,
        config: {},
        features: [shipped.factory],
      });
      const lessonWarnings = (logger: typeof shipped) =>
        logger.warn.mock.calls
          .map(([message]) => String(message))
          .filter(m => m.startsWith('Lesson file'));
      expect(lessonWarnings(shipped)).toEqual([]);

      const dir = fs.mkdtempSync(join(os.tmpdir(), 'lessons-'));
      fs.writeFileSync(
        join(dir, 'runner-drops.yaml'),
        'title: Runner drops\nsummary: x\nkbArticles: [gitlab-runner-jobs-failing, KB0099999]\nplaybooks: [gitlab-ci-access]\nincidents: [INC404]\n',
      );
      const logger = mockServices.logger.mock();
      const { server } = await startIncidentOpsBackend({
        knex: await databases.init(databaseId),
        config: { incidentOps: { lessons: { directory: dir } } },
        features: [logger.factory],
      });
      expect(lessonWarnings(logger)).toEqual([
        'Lesson file lessons/runner-drops.yaml links what is not known: kbArticles: no article KB0099999 (a ServiceNow article is known once sync has brought it)',
      ]);
      // loaded all the same
      const res = await request(server).get(
        '/api/incident-ops/lessons/runner-drops',
      );
      expect(res.status).toBe(200);
      expect(res.body.kbArticles).toEqual([
        'KB0099999',
        'gitlab-runner-jobs-failing',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'creates, edits and finds lessons by what they are linked to, %p',
    async databaseId => {
      const { get, post, patch } = await startBackend(databaseId);
      const created = await post('/lessons', {
        title: 'Flux prunes RoleBindings moved between Kustomizations',
        summary: 'Teams lose access when a RoleBinding moves.',
        rootCause: 'Flux deletes objects that leave a Kustomization.',
        actions: [{ description: 'Move with a two-step change' }],
        incidents: ['INC13076961'],
        kbArticles: ['KB0010008'],
        playbooks: ['namespace-access'],
        ticketType: 'namespace-access',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: 'flux-prunes-rolebindings-moved-between-kustomizations',
        status: 'open',
        actions: [
          { description: 'Move with a two-step change', status: 'open' },
        ],
        source: 'api',
        createdBy: 'user:default/mock',
      });
      const id = created.body.id;

      const changed = await patch(`/lessons/${id}`, {
        status: 'monitoring',
        playbooks: ['namespace-access', 'fluxcd-gitops'],
        incidents: [],
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        status: 'monitoring',
        playbooks: ['fluxcd-gitops', 'namespace-access'],
        incidents: [],
        kbArticles: ['KB0010008'],
        title: 'Flux prunes RoleBindings moved between Kustomizations',
        updatedBy: 'user:default/mock',
      });

      const byPlaybook = await get('/lessons?playbook=fluxcd-gitops');
      expect(byPlaybook.body.items.map((l: any) => l.id)).toEqual([id]);
      const byIncident = await get('/lessons?incident=INC13076961');
      expect(byIncident.body.items.map((l: any) => l.id)).toEqual([
        'gitlab-runner-verdict-drops',
      ]);
      const byStatus = await get('/lessons?status=monitoring');
      expect(byStatus.body.total).toBe(2);
      const byArticle = await get(
        '/lessons?kbArticle=gitlab-runner-jobs-failing',
      );
      expect(byArticle.body.items.map((l: any) => l.id)).toEqual([
        'gitlab-runner-verdict-drops',
      ]);
      // most recently updated first
      expect((await get('/lessons')).body.items.map((l: any) => l.id)).toEqual([
        id,
        'gitlab-runner-verdict-drops',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'answers 400, 404 and 409 for bad requests and 403 without the permission, changing nothing, %p',
    async databaseId => {
      const { get, post, patch, knex } = await startBackend(databaseId);
      const before = await knex('lessons_learned').orderBy('id');

      expect((await post('/lessons', { summary: 'no title' })).status).toBe(
        400,
      );
      const badLinks = await post('/lessons', {
        title: 'Drops',
        summary: 'x',
        incidents: ['INC999'],
        playbooks: ['nope'],
        kbArticles: ['KB0010008', 'KB0099999'],
      });
      expect(badLinks.status).toBe(400);
      expect(badLinks.body.error.message).toBe(
        'playbooks: no playbook nope; incidents: no incident INC999; kbArticles: no article KB0099999',
      );
      const badType = await post('/lessons', {
        title: 'Drops',
        summary: 'x',
        ticketType: 'printer',
      });
      expect(badType.status).toBe(400);
      expect(badType.body.error.message).toMatch(/^ticketType: must be one of/);
      expect(
        (await post('/lessons', { title: 'x', summary: 'y', colour: 'red' }))
          .status,
      ).toBe(400);
      const duplicate = await post('/lessons', {
        title: 'GitLab runner verdict drops',
        summary: 'again',
      });
      expect(duplicate.status).toBe(409);

      expect((await get('/lessons/nope')).status).toBe(404);
      expect((await get('/lessons/Not_An_Id')).status).toBe(400);
      expect((await patch('/lessons/nope', { status: 'closed' })).status).toBe(
        404,
      );
      expect(
        (await patch('/lessons/gitlab-runner-verdict-drops', {})).status,
      ).toBe(400);
      expect(
        (
          await patch('/lessons/gitlab-runner-verdict-drops', {
            status: 'finished',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await patch('/lessons/gitlab-runner-verdict-drops', {
            id: 'other',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await patch('/lessons/gitlab-runner-verdict-drops', {
            title: 'New title',
            playbooks: ['nope'],
          })
        ).status,
      ).toBe(400);
      expect(await knex('lessons_learned').orderBy('id')).toEqual(before);

      const denied = await startBackend(databaseId, {
        deny: ['incident-ops.lessons.write'],
        knex,
      });
      expect((await denied.get('/lessons')).status).toBe(200);
      const create = await denied.post('/lessons', {
        title: 'Denied',
        summary: 'x',
      });
      expect(create.status).toBe(403);
      const edit = await denied.patch('/lessons/gitlab-runner-verdict-drops', {
        status: 'closed',
      });
      expect(edit.status).toBe(403);
      expect(await knex('lessons_learned').orderBy('id')).toEqual(before);
    },
  );
});
