import { incidentOpsLessonsWritePermission } from '@acme/plugin-incident-ops-common';
import { NotFoundError } from '@backstage/errors';
import type { IncidentOpsRouter, RouteContext } from './context';

/** Lessons learned: one record per recurring issue, linked to incidents, articles, playbooks. */
export function registerLessonRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const { lessons, authorize, authorizeRead, actorOf, audited } = ctx;
  if (!lessons) return;

  router.get('/lessons', async (req, res) => {
    await authorizeRead(req);
    const { limit = 100, offset = 0, ...filters } = req.query;
    res.json(await lessons.store.list({ ...filters, limit, offset }));
  });

  router.get('/lessons/:id', async (req, res) => {
    await authorizeRead(req);
    const lesson = await lessons.store.get(req.params.id);
    if (!lesson) throw new NotFoundError(`No lesson '${req.params.id}'`);
    res.json(lesson);
  });

  router.post('/lessons', async (req, res) => {
    const credentials = await authorize(
      req,
      incidentOpsLessonsWritePermission,
      'write lessons learned',
    );
    const lesson = await audited(
      req,
      'lesson-create',
      { title: String(req.body.title) },
      async () => {
        const result = await lessons.create(req.body, actorOf(credentials));
        return { result, meta: { id: result.id } };
      },
    );
    res.status(201).json(lesson);
  });

  router.patch('/lessons/:id', async (req, res) => {
    const credentials = await authorize(
      req,
      incidentOpsLessonsWritePermission,
      'write lessons learned',
    );
    const { id } = req.params;
    const lesson = await audited(
      req,
      'lesson-update',
      { id, keys: Object.keys(req.body ?? {}) },
      async () => ({
        result: await lessons.update(id, req.body, actorOf(credentials)),
      }),
    );
    res.json(lesson);
  });
}
