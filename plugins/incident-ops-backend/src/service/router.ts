import {
  EntityIncident,
  EntityIncidentsResponse,
  Incident,
  ENTITY_TYPE_CLUSTER,
  EscalationPolicy,
  Tier,
  escalationClocks,
  incidentOpsIncidentEscalatePermission,
  incidentOpsIncidentReadPermission,
  incidentOpsIncidentTransitionPermission,
  incidentOpsSyncRunPermission,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import type { IncidentProvider } from '@acme/plugin-incident-ops-node';
import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { DatabaseWorkflowStore } from '../database/DatabaseWorkflowStore';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Request } from 'express';
import { IncidentStore } from '../database/IncidentStore';
import { spec } from '../schema/openapi.generated';
import { resolveEntityScope } from './entityScope';
import { manualEscalation, toSubject } from './EscalationEngine';

export interface RouterOptions {
  store: IncidentStore;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  auth: AuthService;
  providers: IncidentProvider[];
  workflow: DatabaseWorkflowStore;
  scheduler?: SchedulerService;
  policy: EscalationPolicy;
  groupOf: (tier: Tier) => string | undefined;
}

/** The outbox task: a write-back is tried as soon as it is queued, then on its schedule. */
export const OUTBOX_TASK = 'incident-ops-outbox';

/** Whether `text` names the Kubernetes name `name` as a whole word. */
export function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9-])${escaped}($|[^a-z0-9-])`, 'i').test(text);
}

/** The REST API at /api/incident-ops, validated against src/schema/openapi.yaml. */
export async function createRouter(options: RouterOptions) {
  const {
    store,
    catalog,
    httpAuth,
    permissions,
    auditor,
    auth,
    providers,
    workflow,
    scheduler,
    policy,
    groupOf,
  } = options;
  const router = createValidatedOpenApiRouter(spec);

  const authorize = async (
    req: Request<any, any, any, any>,
    permission: BasicPermission,
    what: string,
  ) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to ${what}`);
    }
    return credentials;
  };
  const authorizeRead = (req: Request<any, any, any, any>) =>
    authorize(req, incidentOpsIncidentReadPermission, 'read incidents');

  /** Who a change is attributed to in events and work notes. */
  const actorOf = (credentials: BackstageCredentials) =>
    auth.isPrincipal(credentials, 'user')
      ? credentials.principal.userEntityRef
      : 'service';

  /** Runs a write with an audit event that records its success or its failure. */
  const audited = async <T>(
    req: Request<any, any, any, any>,
    eventId: string,
    meta: JsonObject,
    work: () => Promise<{ result: T; meta?: JsonObject }>,
  ): Promise<T> => {
    const audit = await auditor.createEvent({
      eventId,
      request: req,
      severityLevel: 'medium',
      meta,
    });
    try {
      const { result, meta: outcome } = await work();
      await audit.success({ meta: outcome });
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  };

  /** Tries queued write-backs now rather than at the next tick (a running task picks them up). */
  const deliverSoon = () => {
    scheduler?.triggerTask(OUTBOX_TASK).catch(() => {});
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

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

  router.get('/sync/status', async (req, res) => {
    await authorizeRead(req);
    const states = await store.listProviderStates();
    const now = Date.now();
    res.json({
      outbox: await workflow.outboxDepth(),
      providers: states.map(s => ({
        provider: s.provider,
        cursor: s.cursor,
        quarantined: s.quarantined,
        lagSeconds: s.windowEnd
          ? Math.max(0, Math.round((now - s.windowEnd.getTime()) / 1000))
          : undefined,
        lastReconciliation: s.lastReconciliation && {
          at: s.lastReconciliation.at.toISOString(),
          removed: s.lastReconciliation.removed,
        },
        lastRun: s.lastRun && {
          startedAt: s.lastRun.startedAt.toISOString(),
          finishedAt: s.lastRun.finishedAt.toISOString(),
          durationMs:
            s.lastRun.finishedAt.getTime() - s.lastRun.startedAt.getTime(),
          fetched: s.lastRun.fetched,
          stored: s.lastRun.stored,
          quarantined: s.lastRun.quarantined,
          error: s.lastRun.error,
        },
      })),
    });
  });

  router.get('/kb/articles', async (req, res) => {
    await authorizeRead(req);
    const { items, total } = await store.listKnowledgeArticles({
      state: req.query.state,
      limit: req.query.limit ?? 50,
      offset: req.query.offset ?? 0,
    });
    res.json({ items, total });
  });

  router.get('/sync/quarantine', async (req, res) => {
    await authorizeRead(req);
    const records = await store.listQuarantine({
      source: req.query.provider,
      limit: req.query.limit ?? 100,
    });
    res.json({
      items: records.map(r => ({
        provider: r.source,
        key: r.key,
        number: r.number,
        reason: r.reason,
        payload: r.payload as any,
        firstSeenAt: r.firstSeenAt.toISOString(),
        lastSeenAt: r.lastSeenAt.toISOString(),
        occurrences: r.occurrences,
      })),
    });
  });

  router.post('/sync', async (req, res) => {
    await authorize(req, incidentOpsSyncRunPermission, 'start a sync');
    const wanted = req.query.provider;
    const selected = providers.filter(
      p => p.triggerSync && (!wanted || p.getProviderName() === wanted),
    );
    if (wanted && selected.length === 0) {
      throw new InputError(
        `No incident provider '${wanted}' can sync on demand`,
      );
    }
    await audited(
      req,
      'sync-trigger',
      { providers: selected.map(p => p.getProviderName()) },
      async () => {
        for (const p of selected) await p.triggerSync!();
        return { result: undefined };
      },
    );
    res.status(202).json({
      triggered: selected.map(p => p.getProviderName()),
    });
  });

  return router;
}
