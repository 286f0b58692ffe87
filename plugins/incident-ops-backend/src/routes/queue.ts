import {
  Incident,
  IncidentAttachment,
  IncidentStatus,
  Priority,
  QueueItem,
  QueueResponse,
  QueueSort,
  SlaClock,
  Tier,
  allowedTransitions,
  atTriage,
  compareByBreach,
  escalationClocks,
  incidentOpsSyncAdminPermission,
  slaClock,
} from '@acme/plugin-incident-ops-common';
import { NotFoundError } from '@backstage/errors';
import type {
  OrderedDue,
  QueueStore,
  QueueFilter,
  QueueRow,
} from '../database/DatabaseQueueStore';
import type { DueIncident } from '../database/DatabaseEscalationStore';
import { incidentsOnEntity } from '../contacts/entityIncidents';
import { toSubject } from '../escalation/EscalationEngine';
import { entityRefParam } from './context';
import type { IncidentOpsRouter, RouteContext } from './context';

type ClockFields = Pick<QueueItem, 'sla' | 'tierClock'>;

/** Most incidents an entity scope is read with (the Incidents card reads 100). */
const SCOPE_LIMIT = 1000;

/** A query value the validator may hand over as one string or as a list. */
const list = <T>(v: T | T[] | undefined): T[] | undefined => {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [v];
};

/**
 * Each incident's SLA and tier clocks at `now`, read the way GET /incidents/{number} reads
 * them (escalationClocks over the incident's status history, on the policy in force for its
 * tier stay), with one history query per 500 incidents.
 */
export async function readClocks(
  ctx: Pick<RouteContext, 'escalations' | 'policies'>,
  dues: DueIncident[],
  now: Date,
): Promise<Map<string, ClockFields>> {
  const { policies } = ctx;
  const out = new Map<string, ClockFields>();
  if (dues.length === 0) return out;
  const context = await ctx.escalations.escalationContext(dues);
  for (const due of dues) {
    const { policy } = await policies.forIncident(due);
    const clocks = escalationClocks(toSubject(due, context), policy, now);
    out.set(`${due.source}:${due.sourceId}`, {
      sla: slaClock(clocks, due.status, now),
      tierClock: clocks.tier && {
        tier: clocks.tier.tier,
        usedMs: clocks.tier.used,
        limitMs: clocks.tier.limit,
        leftMs: clocks.tier.left,
        breached: clocks.tier.breached,
      },
    });
  }
  return out;
}

/**
 * The SLA clock's place in the breaching-first order, from what the escalation engine stored
 * (see OrderedDue): it agrees with slaClock as long as the incident has not changed since.
 */
function storedSla(
  due: OrderedDue,
  now: Date,
): Pick<SlaClock, 'state' | 'leftMs' | 'overByMs'> | undefined {
  if (due.slaBreachAt) {
    const left = due.slaBreachAt.getTime() - now.getTime();
    return left > 0
      ? { state: 'running', leftMs: left }
      : { state: 'breached', overByMs: -left };
  }
  if (due.slaFrozenOverMs === undefined) return undefined;
  return due.slaFrozenOverMs >= 0
    ? { state: 'breached', overByMs: due.slaFrozenOverMs }
    : { state: 'paused', leftMs: -due.slaFrozenOverMs };
}

/**
 * An open incident with no tier group is at L1 for triage: shown as `tier: 'L1'` with
 * `triage: true`.
 */
export function withTriage<T extends Incident>(
  incident: T,
): T & { triage?: boolean } {
  return atTriage(incident)
    ? { ...incident, tier: 'L1', triage: true }
    : incident;
}

/** Incidents with their SLA clock now, and triage shown (for the Incidents card). */
export async function withSla<T extends Incident>(
  ctx: Pick<RouteContext, 'escalations' | 'policies' | 'queue'>,
  triaged: T[],
): Promise<Array<T & Pick<QueueItem, 'sla'>>> {
  const incidents = triaged.map(withTriage);
  if (!ctx.queue || incidents.length === 0) return incidents;
  const now = new Date();
  const clocks = await readClocks(
    ctx,
    await ctx.queue.listDue(incidents.map(i => i.number)),
    now,
  );
  return incidents.map(i => {
    const sla = clocks.get(`${i.source}:${i.id}`)?.sla;
    return sla ? { ...i, sla } : i;
  });
}

function toItem(
  row: QueueRow,
  clocks: ClockFields | undefined,
  attachedTo?: IncidentAttachment,
): QueueItem {
  const { description: _d, ...incident } = withTriage(row.incident);
  return {
    ...incident,
    ...(attachedTo ? { attachedTo } : {}),
    ...clocks,
    transitions: [...allowedTransitions(row.incident.status)],
  };
}

/**
 * One page of the queue, its orders read in SQL, then the page's clocks. "Breaching first"
 * is read in the order of the clocks the escalation engine stored, those of incidents due
 * for it read exactly (listBreachCandidates).
 */
export async function readQueue(
  ctx: Pick<RouteContext, 'escalations' | 'policies'> & {
    queue: QueueStore;
  },
  filter: QueueFilter,
  options: { sort: QueueSort; limit: number; offset: number },
  attached?: Map<string, IncidentAttachment>,
  now = new Date(),
): Promise<QueueResponse> {
  const { sort, limit, offset } = options;
  const key = (r: QueueRow) => `${r.due.source}:${r.due.sourceId}`;
  let page: Array<{ row: QueueRow; clocks?: ClockFields }>;
  let total: number;
  if (sort === 'breaching') {
    // The stored clocks order the incidents the engine has evaluated since they last
    // changed (each stream read along its index); those due for the engine are read
    // exactly. The first offset + limit of each, merged, hold the page.
    const n = offset + limit;
    // (counted meanwhile: on PostgreSQL it is the longest read)
    const counting = ctx.queue.count(filter);
    counting.catch(() => {});
    const { stale, streams } = await ctx.queue.listBreachCandidates(
      filter,
      now,
      n,
    );
    const exact = await readClocks(ctx, stale, now);
    const dueKey = (d: DueIncident) => `${d.source}:${d.sourceId}`;
    const candidates = [
      ...stale.map(due => ({ due, sla: exact.get(dueKey(due))?.sla })),
      ...streams.flat().map(due => ({ due, sla: storedSla(due, now) })),
    ].sort((a, b) =>
      compareByBreach({ ...a.due, sla: a.sla }, { ...b.due, sla: b.sla }),
    );
    const slice = candidates.slice(offset, n).map(c => c.due);
    const [rows, clocks, counted] = await Promise.all([
      ctx.queue.rows(slice),
      readClocks(ctx, slice, now),
      counting,
    ]);
    total = counted;
    page = rows.map(row => ({ row, clocks: clocks.get(key(row)) }));
  } else {
    const found = await ctx.queue.listPage(filter, { sort, limit, offset });
    const clocks = await readClocks(
      ctx,
      found.rows.map(r => r.due),
      now,
    );
    total = found.total;
    page = found.rows.map(row => ({ row, clocks: clocks.get(key(row)) }));
  }
  return {
    items: page.map(({ row, clocks }) =>
      toItem(row, clocks, attached?.get(row.incident.number)),
    ),
    total,
    now: now.toISOString(),
  };
}

/**
 * The Ops queue across every entity, the outbox panel's list of write-backs, and the
 * assignment groups that map to no tier (for the sync page). Filters and orders are
 * applied in SQL (see readQueue).
 */
export function registerQueueRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const { authorizeRead } = ctx;
  const queueStore = (): QueueStore => {
    if (!ctx.queue) throw new Error('The queue store is not configured');
    return ctx.queue;
  };

  router.get('/queue', async (req, res) => {
    const { credentials, restrict } = await ctx.authorizeList(req);
    const q = req.query;
    const filter: QueueFilter = {
      priority: list<Priority>(q.priority),
      tier: list<Tier>(q.tier),
      status: list<IncidentStatus>(q.status),
      ticketType: list<string>(q.ticketType),
      restrict,
    };
    const sort = q.sort ?? 'breaching';
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;

    // An entity, a cluster or both narrow the queue to their scope (as the Incidents card
    // has it), remembering where each incident sits.
    let attached: Map<string, IncidentAttachment> | undefined;
    const scopes: string[] = [];
    if (q.entityRef) scopes.push(entityRefParam(q.entityRef));
    if (q.cluster) {
      const ref = entityRefParam(q.cluster, 'cluster', 'resource');
      const cluster = await ctx.catalog.getEntityByRef(ref, { credentials });
      if (cluster?.spec?.type !== 'kubernetes-cluster') {
        throw new NotFoundError(`No cluster ${q.cluster} in the catalog`);
      }
      scopes.push(ref);
    }
    for (const entityRef of scopes) {
      const { items } = await incidentsOnEntity(ctx, entityRef, credentials, {
        openOnly: !filter.status?.some(s => s === 'resolved' || s === 'closed'),
        limit: SCOPE_LIMIT,
      });
      const here = new Map(items.map(i => [i.number, i.attachedTo]));
      attached = attached
        ? new Map([...attached].filter(([n]) => here.has(n)))
        : here;
    }
    if (attached) filter.numbers = [...attached.keys()];

    const body = await readQueue(
      { ...ctx, queue: queueStore() },
      filter,
      { sort, limit, offset },
      attached,
    );
    res.json(body);
  });

  router.get('/sync/outbox', async (req, res) => {
    await ctx.authorize(
      req,
      incidentOpsSyncAdminPermission,
      'read the write-back outbox',
    );
    const items = await queueStore().listOutbox({
      status: req.query.status,
      failing: req.query.failing,
      limit: req.query.limit ?? 50,
    });
    res.json({ items });
  });

  router.get('/sync/unmapped-groups', async (req, res) => {
    await authorizeRead(req);
    const groups = await queueStore().listUnmappedGroups();
    res.json({
      items: groups.map(({ source, ...g }) => ({ provider: source, ...g })),
    });
  });
}
