/**
 * The clocks of an incident as people read them. Shared by the escalation rules, which read
 * them, and the queue and incident types, which show them; imports nothing of theirs.
 */

/** One clock against its limit, in milliseconds. @public */
export interface ClockReading {
  used: number;
  paused: number;
  limit?: number;
  left?: number;
  breached: boolean;
}

/**
 * The SLA clock that matters now: time to respond while nobody has worked the ticket, then
 * time to resolve. `paused` while the ticket awaits the customer (its clock stands still),
 * `stopped` once resolved or closed.
 * @public
 */
export interface SlaClock {
  target: 'respond' | 'resolve';
  state: 'running' | 'paused' | 'breached' | 'stopped';
  limitMs: number;
  /** Time on the clock: since opened, awaiting-customer time excluded. */
  usedMs: number;
  /** Time spent awaiting the customer. */
  pausedMs: number;
  /** Running or paused: what is left. */
  leftMs?: number;
  /** Breached: by how much. */
  overByMs?: number;
  /** Running: when it breaches if nothing changes (ISO 8601). */
  dueAt?: string;
}
