import { incidentOpsPlaybookRunPermission } from '@acme/plugin-incident-ops-common';
import { NotFoundError } from '@backstage/errors';
import type { PlaybookView } from '../playbooks/PlaybookService';
import type { IncidentOpsRouter, RouteContext } from './context';

/** The view as the API sends it: each step's allowed statuses as a plain list. */
function toRunView(view: PlaybookView) {
  return {
    ...view,
    steps: view.steps.map(s => ({
      ...s,
      allowedStatuses: [...s.allowedStatuses],
    })),
  };
}

/** Playbooks, and playbook runs on incidents: start one, record its steps. */
export function registerPlaybookRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const { playbooks, authorize, authorizeRead, actorOf, audited } = ctx;
  if (!playbooks) return;

  router.get('/playbooks', async (req, res) => {
    await authorizeRead(req);
    res.json({
      items: playbooks.library.list().map(({ playbook, file }) => ({
        id: playbook.id,
        title: playbook.title,
        summary: playbook.summary,
        file,
      })),
      mapping: playbooks.library.mapping as Record<string, string>,
    });
  });

  router.get('/playbooks/:id', async (req, res) => {
    await authorizeRead(req);
    const loaded = playbooks.library.get(req.params.id);
    if (!loaded) throw new NotFoundError(`No playbook '${req.params.id}'`);
    const ticketTypes = Object.entries(playbooks.library.mapping)
      .filter(([, id]) => id === loaded.playbook.id)
      .map(([type]) => type);
    // what requestors said on the tickets it was run on
    const surveys = await ctx.reports?.surveys.figures({
      kind: 'playbook',
      id: loaded.playbook.id,
    });
    res.json({
      ...loaded.playbook,
      file: loaded.file,
      ticketTypes,
      ...(surveys ? { surveys } : {}),
    });
  });

  router.get('/incidents/:number/playbook', async (req, res) => {
    const credentials = await authorizeRead(req, req.params.number);
    res.json(toRunView(await playbooks.view(req.params.number, credentials)));
  });

  router.post('/incidents/:number/playbook', async (req, res) => {
    const { number } = req.params;
    const credentials = await authorize(
      req,
      incidentOpsPlaybookRunPermission,
      `run playbooks on ${number}`,
      number,
    );
    const body = req.body ?? {};
    const view = await audited(
      req,
      'incident-playbook-start',
      {
        number,
        ...(body.playbookId ? { playbookId: body.playbookId } : {}),
        replace: body.replace ?? false,
      },
      async () => {
        const result = await playbooks.start(
          number,
          body,
          actorOf(credentials),
          credentials,
        );
        return {
          result,
          meta: { playbookId: result.playbook!.id, runId: result.run!.id },
        };
      },
    );
    res.status(201).json(toRunView(view));
  });

  router.post('/incidents/:number/playbook/steps/:stepId', async (req, res) => {
    const { number, stepId } = req.params;
    const credentials = await authorize(
      req,
      incidentOpsPlaybookRunPermission,
      `run playbooks on ${number}`,
      number,
    );
    const { status, note, values } = req.body;
    const view = await audited(
      req,
      'incident-playbook-step',
      { number, stepId, status },
      async () => {
        const result = await playbooks.recordStep(
          number,
          stepId,
          { status, note, values },
          actorOf(credentials),
          credentials,
        );
        return {
          result,
          meta: { playbookId: result.playbook!.id, runId: result.run!.id },
        };
      },
    );
    res.status(201).json(toRunView(view));
  });
}
