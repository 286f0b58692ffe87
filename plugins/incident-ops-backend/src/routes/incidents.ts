import {
  EntityIncidentsResponse,
  incidentOpsIncidentEscalatePermission,
  incidentOpsIncidentTransitionPermission,
  incidentOpsPlaybookOverridePermission,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import { InputError, NotFoundError } from '@backstage/errors';
import { incidentsOnEntity } from '../contacts/entityIncidents';
import { withSla, withTriage } from './queue';
import { incidentClocks } from '../escalation/incidentClocks';
import { entityRefParam } from './context';
import type { IncidentOpsRouter, RouteContext } from './context';

export { mentions } from '../contacts/entityIncidents';

/** Incidents on entities, one incident with its timeline, and the workflow's writes. */
export function registerIncidentRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  router.get('/recurring-p2s', async (req, res) => {
    const { restrict } = await ctx.authorizeList(req);
    const from = new Date(req.query.from);
    const to = new Date(req.query.to);
    if (!(from < to)) {
      throw new InputError('from must be before to');
    }
    const groups = await ctx.escalations.listRecurringP2s(from, to);
    const items = [];
    for (const g of groups) {
      const flagged = await ctx.visibleTo(restrict, g.flagged);
      if (flagged.length > 0) items.push({ ...g, flagged });
    }
    res.json({ items });
  });

  const {
    store,
    workflow,
    authorize,
    authorizeRead,
    actorOf,
    audited,
    deliverSoon,
  } = ctx;

  router.get('/incidents', async (req, res) => {
    const { credentials, restrict } = await ctx.authorizeList(req);
    const { status = 'open', limit = 100 } = req.query;
    const entityRef = entityRefParam(req.query.entityRef);
    const { scope, items } = await incidentsOnEntity(
      ctx,
      entityRef,
      credentials,
      {
        openOnly: status === 'open',
        limit,
        restrict,
      },
    );
    // a cluster's scope holds thousands of namespaces: those without a listed incident
    // are counted, not sent
    const attached = new Set(items.map(i => i.attachedTo.entityRef));
    const body: EntityIncidentsResponse = {
      entities: scope
        .filter(s => s.relation !== 'dependent' || attached.has(s.entityRef))
        .map(({ namespace: _ns, clusterCi: _ci, ...entity }) => entity),
      scope: {
        entities: scope.length,
        withConfigurationItem: scope.filter(s => s.configurationItem).length,
      },
      items: await withSla(ctx, items),
      totalOpen: items.filter(i => isOpenStatus(i.status)).length,
    };
    res.json(body);
  });

  router.get('/incidents/:number', async (req, res) => {
    await authorizeRead(req, req.params.number);
    const incident = await store.getIncidentByNumber(req.params.number);
    if (!incident) {
      throw new NotFoundError(`No incident ${req.params.number}`);
    }
    // Why it is where it is: what happened, what was decided and why, and its clocks now.
    const { due, clocks, policy } = await incidentClocks(
      ctx,
      req.params.number,
    );
    res.json({
      ...withTriage(incident),
      timeline: {
        events: await workflow.timeline(req.params.number),
        clocks: clocks,
        policy,
      },
      respondedAt: due?.respondedAt,
    });
  });

  router.post('/incidents/:number/escalations', async (req, res) => {
    const { number } = req.params;
    const actor = actorOf(
      await authorize(
        req,
        incidentOpsIncidentEscalatePermission,
        `escalate ${number}`,
        number,
      ),
    );
    const { trigger, note } = req.body;
    const decision = await audited(
      req,
      'incident-escalation',
      { number, trigger },
      async () => {
        const d = await ctx.incidentWorkflow.escalate({
          number,
          trigger,
          note,
          actor,
        });
        return { result: d, meta: { from: d.from!, to: d.to! } };
      },
    );
    deliverSoon();
    res.status(201).json({
      decision: {
        rule: decision.rule,
        from: decision.from!,
        to: decision.to!,
        explanation: decision.explanation,
        key: decision.key,
      },
    });
  });

  router.post('/incidents/:number/transitions', async (req, res) => {
    const { number } = req.params;
    const actor = actorOf(
      await authorize(
        req,
        incidentOpsIncidentTransitionPermission,
        `move ${number} through the workflow`,
        number,
      ),
    );
    const { to, note, closeCode, overrideReason } = req.body;
    if (overrideReason) {
      await authorize(
        req,
        incidentOpsPlaybookOverridePermission,
        `override the playbook gate of ${number}`,
        number,
      );
    }
    const { event, writeBackKey } = await audited(
      req,
      'incident-transition',
      { number, to, ...(overrideReason ? { overrideReason } : {}) },
      async () => {
        const result = await ctx.incidentWorkflow.transition({
          number,
          to,
          note,
          closeCode,
          overrideReason,
          actor,
        });
        const { overridden } = result;
        return {
          result,
          meta: {
            eventId: result.event.id,
            from: result.event.from!,
            ...(overridden ? { overriddenSteps: overridden.steps } : {}),
          },
        };
      },
    );
    deliverSoon();
    res.status(201).json({
      event: event,
      writeBack: { key: writeBackKey, status: 'pending' },
    });
  });

  router.get('/incidents/:number/events', async (req, res) => {
    await authorizeRead(req, req.params.number);
    if (!(await store.getIncidentByNumber(req.params.number))) {
      throw new NotFoundError(`No incident ${req.params.number}`);
    }
    res.json({
      items: await workflow.listEvents(req.params.number),
    });
  });
}
