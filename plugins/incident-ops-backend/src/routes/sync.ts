import { incidentOpsSyncRunPermission } from '@acme/plugin-incident-ops-common';
import { InputError } from '@backstage/errors';
import type { IncidentOpsRouter, RouteContext } from './context';

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
        payload: r.payload,
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
}
