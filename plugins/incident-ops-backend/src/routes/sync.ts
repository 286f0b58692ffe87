import {
  incidentOpsSyncAdminPermission,
  incidentOpsSyncRunPermission,
} from '@acme/plugin-incident-ops-common';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { OutboxRows, RefusedAction } from '../database/outbox';
import type { IncidentOpsRouter, RouteContext } from './context';

/**
 * An admin re-queues or discards a refused outbox item (`what` names the outbox), audited:
 * 404 for an unknown id, 409 for an item that is not refused. Answers its new state.
 */
export async function settleRefusedItem(
  ctx: RouteContext,
  req: Parameters<RouteContext['authorize']>[0],
  outbox: {
    what: 'write-back' | 'notification';
    items: Pick<OutboxRows, 'settleRefused'>;
  },
  id: number,
  action: RefusedAction,
) {
  const { what, items } = outbox;
  await ctx.authorize(
    req,
    incidentOpsSyncAdminPermission,
    `${action} a refused ${what}`,
  );
  const status = await ctx.audited(
    req,
    `outbox-${action}`,
    { outbox: what, id },
    async () => {
      const outcome = await items.settleRefused(id, action, new Date());
      if (outcome === 'not-found') throw new NotFoundError(`No ${what} ${id}`);
      if (outcome === 'not-refused') {
        throw new ConflictError(`The ${what} ${id} is not refused`);
      }
      return {
        result:
          outcome === 'requeued'
            ? ('pending' as const)
            : ('discarded' as const),
      };
    },
  );
  // re-queued, or no longer holding later items back: either way, work to do
  ctx.deliverSoon();
  return { id, status };
}

/** Sync status, quarantine, "sync now", and the synced KB articles. */
export function registerSyncRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const { store, writeBacks, providers, authorize, authorizeRead, audited } =
    ctx;

  router.get('/sync/status', async (req, res) => {
    await authorizeRead(req);
    const states = await store.listProviderStates();
    const now = Date.now();
    res.json({
      outbox: await writeBacks.outboxDepth(),
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
          refused: s.lastReconciliation.refused,
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

  // raw source records: for admins only
  router.get('/sync/quarantine', async (req, res) => {
    await authorize(
      req,
      incidentOpsSyncAdminPermission,
      'read quarantined source records',
    );
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
        payload: r.payload,
        firstSeenAt: r.firstSeenAt.toISOString(),
        lastSeenAt: r.lastSeenAt.toISOString(),
        occurrences: r.occurrences,
      })),
    });
  });

  for (const action of ['requeue', 'discard'] as const) {
    router.post(`/sync/outbox/:id/${action}`, async (req, res) => {
      res.json(
        await settleRefusedItem(
          ctx,
          req,
          { what: 'write-back', items: writeBacks },
          Number(req.params.id),
          action,
        ),
      );
    });
  }

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
}
