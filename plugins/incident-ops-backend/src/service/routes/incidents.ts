import {
  EntityIncident,
  EntityIncidentsResponse,
  Incident,
  ENTITY_TYPE_CLUSTER,
  escalationClocks,
  incidentOpsIncidentEscalatePermission,
  incidentOpsIncidentTransitionPermission,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import { NotFoundError } from '@backstage/errors';
import { resolveEntityScope } from '../entityScope';
import { manualEscalation, toSubject } from '../EscalationEngine';
import type { IncidentOpsRouter, RouteContext } from './context';

/** Whether `text` names the Kubernetes name `name` as a whole word. */
export function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9-])${escaped}($|[^a-z0-9-])`, 'i').test(text);
}

/** Incidents on entities, one incident with its timeline, and the workflow's writes. */
export function registerIncidentRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const {
    store,
    catalog,
    workflow,
    policy,
    groupOf,
    authorize,
    authorizeRead,
    actorOf,
    audited,
    deliverSoon,
  } = ctx;

  router.get('/incidents', async (req, res) => {
    const credentials = await authorizeRead(req);
    const { entityRef, status = 'open', limit = 100 } = req.query;
    const scope = await resolveEntityScope(catalog, entityRef, credentials);

    const byCi = new Map<string, (typeof scope)[number]>();
    for (const s of scope) {
      if (s.configurationItem && !byCi.has(s.configurationItem)) {
        byCi.set(s.configurationItem, s);
      }
    }
    const byNamespace = new Map<string, (typeof scope)[number]>();
    for (const s of scope) {
      if (s.namespace && !byNamespace.has(s.namespace)) {
        byNamespace.set(s.namespace, s);
      }
    }
    const incidents = await store.listIncidentsByCi([...byCi.keys()], {
      openOnly: status === 'open',
      limit,
      mentioning: [...byNamespace.keys()],
    });
    // By CMDB CI, or by a namespace named in the text as a whole word (the store matched
    // substrings, so "livelink-prod2" is dropped here for livelink-prod). A mention only
    // places a ticket within its own cluster: it counts when the ticket has no CI or its CI
    // is that namespace's cluster, and then the namespace is the more precise place.
    const items = incidents.flatMap((i: Incident): EntityIncident[] => {
      const ci = i.configurationItem;
      const byCiMatch = byCi.get(ci?.name ?? '') ?? byCi.get(ci?.id ?? '');
      const text = `${i.shortDescription}\n${i.description ?? ''}`;
      const byMention = [...byNamespace.entries()].find(
        ([name, ns]) =>
          (!ci ||
            (ns.clusterCi !== undefined &&
              [ci.name, ci.id].includes(ns.clusterCi))) &&
          mentions(text, name),
      )?.[1];
      if (byMention && (!byCiMatch || byCiMatch.type === ENTITY_TYPE_CLUSTER)) {
        return [
          {
            ...i,
            attachedTo: {
              entityRef: byMention.entityRef,
              relation: byMention.relation,
              by: 'mention',
            },
          },
        ];
      }
      if (byCiMatch) {
        return [
          {
            ...i,
            attachedTo: {
              entityRef: byCiMatch.entityRef,
              relation: byCiMatch.relation,
              by: 'cmdb-ci',
            },
          },
        ];
      }
      return [];
    });
    const body: EntityIncidentsResponse = {
      entities: scope.map(
        ({ namespace: _ns, clusterCi: _ci, ...entity }) => entity,
      ),
      items,
      totalOpen: items.filter(i => isOpenStatus(i.status)).length,
    };
    res.json(body);
  });

  router.get('/incidents/:number', async (req, res) => {
    await authorizeRead(req);
    const incident = await store.getIncidentByNumber(req.params.number);
    if (!incident) {
      throw new NotFoundError(`No incident ${req.params.number}`);
    }
    // Why it is where it is: what happened, what was decided and why, and its clocks now.
    const due = await workflow.getDueIncident(req.params.number);
    const clocks = due
      ? escalationClocks(
          toSubject(due, await workflow.escalationContext([due])),
          policy,
          new Date(),
        )
      : undefined;
    res.json({
      ...incident,
      timeline: {
        events: (await workflow.timeline(req.params.number)) as any,
        clocks: clocks as any,
      },
    });
  });

  router.post('/incidents/:number/escalations', async (req, res) => {
    const actor = actorOf(
      await authorize(
        req,
        incidentOpsIncidentEscalatePermission,
        'escalate incidents',
      ),
    );
    const { number } = req.params;
    const { trigger, note } = req.body;
    const decision = await audited(
      req,
      'incident-escalation',
      { number, trigger },
      async () => {
        const incident = await workflow.getDueIncident(number);
        if (!incident) throw new NotFoundError(`No incident ${number}`);
        const now = new Date();
        const d = manualEscalation({ incident, trigger, note, actor, now });
        await workflow.recordDecision({
          incident,
          decision: d,
          assignmentGroup: groupOf(d.to!),
          now,
        });
        // look at it again now: the new tier's clocks start
        await workflow.setEscalationDueAt([{ incident, at: now }]);
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
    const actor = actorOf(
      await authorize(
        req,
        incidentOpsIncidentTransitionPermission,
        'move incidents through the workflow',
      ),
    );
    const { number } = req.params;
    const { to, note, closeCode } = req.body;
    const { event, writeBackKey } = await audited(
      req,
      'incident-transition',
      { number, to },
      async () => {
        const result = await workflow.transition({
          number,
          to,
          note,
          closeCode,
          actor,
          now: new Date(),
        });
        return {
          result,
          meta: { eventId: result.event.id, from: result.event.from! },
        };
      },
    );
    deliverSoon();
    res.status(201).json({
      event: event as any,
      writeBack: { key: writeBackKey, status: 'pending' },
    });
  });

  router.get('/incidents/:number/events', async (req, res) => {
    await authorizeRead(req);
    if (!(await store.getIncidentByNumber(req.params.number))) {
      throw new NotFoundError(`No incident ${req.params.number}`);
    }
    res.json({
      items: (await workflow.listEvents(req.params.number)) as any,
    });
  });
}
