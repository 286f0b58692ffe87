import type { ClockReading, SlaClock } from './clocks';
import { comparePriority } from './priority';
import type { Incident, IncidentAttachment, Tier } from './types';
import { type IncidentStatus, isOpenStatus } from './workflow';

/** Time at the tier against the policy's limit for it: when it escalates by itself. @public */
export interface TierClock {
  tier: Tier;
  usedMs: number;
  limitMs?: number;
  leftMs?: number;
  breached: boolean;
}

/** An incident in the Ops queue: with its clocks now and the moves it may make. @public */
export interface QueueItem extends Incident {
  /** Where it sits when the queue is scoped to an entity. */
  attachedTo?: IncidentAttachment;
  sla?: SlaClock;
  tierClock?: TierClock;
  /** The statuses it may move to now (the workflow's legal transitions). */
  transitions: IncidentStatus[];
}

/** Response of `GET /queue`. @public */
export interface QueueResponse {
  items: QueueItem[];
  /** How many match the filters (items is one page of them). */
  total: number;
  /** The time the clocks were read at (ISO 8601). */
  now: string;
}

/** Sort orders of the queue. @public */
export type QueueSort = 'breaching' | 'priority' | 'opened';

/**
 * The SLA clock to show for an incident, from its respond and resolve readings (see
 * escalationClocks). Pure: time is an argument.
 * @public
 */
export function slaClock(
  clocks: { respond: ClockReading; resolve: ClockReading },
  status: IncidentStatus,
  now: Date,
): SlaClock {
  const respondOpen =
    clocks.respond.left !== undefined || clocks.respond.breached;
  const target = respondOpen ? 'respond' : 'resolve';
  const c = respondOpen ? clocks.respond : clocks.resolve;
  const base = {
    target,
    limitMs: c.limit ?? 0,
    usedMs: c.used,
    pausedMs: c.paused,
  } as const;
  if (!isOpenStatus(status)) return { ...base, state: 'stopped' };
  if (c.breached) {
    return {
      ...base,
      state: 'breached',
      overByMs: c.used - (c.limit ?? 0),
    };
  }
  const leftMs = c.left ?? Math.max(0, (c.limit ?? 0) - c.used);
  if (status === 'awaiting-customer') {
    return { ...base, state: 'paused', leftMs };
  }
  return {
    ...base,
    state: 'running',
    leftMs,
    dueAt: new Date(now.getTime() + leftMs).toISOString(),
  };
}

/** Breached, then running, then paused, then stopped (or no clock). */
const STATE_RANK: Record<SlaClock['state'] | 'none', number> = {
  breached: 0,
  running: 1,
  paused: 2,
  stopped: 3,
  none: 3,
};

/** What the breaching-first order compares of an incident. @public */
export interface BreachOrdered
  extends Pick<QueueItem, 'priority' | 'openedAt'> {
  /** What of its SLA clock the order reads (the whole SlaClock will do). */
  sla?: Pick<SlaClock, 'state' | 'leftMs' | 'overByMs'>;
}

/**
 * Breaching first: breached tickets (longest overdue first), then running clocks with the
 * least time left, then paused ones (least left first), then the rest; ties by priority,
 * then the oldest first.
 * @public
 */
export function compareByBreach(a: BreachOrdered, b: BreachOrdered): number {
  const ra = STATE_RANK[a.sla?.state ?? 'none'];
  const rb = STATE_RANK[b.sla?.state ?? 'none'];
  if (ra !== rb) return ra - rb;
  if (a.sla && b.sla) {
    if (a.sla.state === 'breached') {
      const d = (b.sla.overByMs ?? 0) - (a.sla.overByMs ?? 0);
      if (d !== 0) return d;
    } else if (a.sla.leftMs !== undefined && b.sla.leftMs !== undefined) {
      const d = a.sla.leftMs - b.sla.leftMs;
      if (d !== 0) return d;
    }
  }
  return (
    comparePriority(a.priority, b.priority) ||
    a.openedAt.localeCompare(b.openedAt)
  );
}
