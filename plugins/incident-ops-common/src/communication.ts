import type { StatusChange } from './escalation';
import type { Priority } from './priority';
import type { IncidentStatus } from './workflow';

/**
 * The communication cadence (operational model, section VI.1): P1 — an update to
 * stakeholders on every change and a post-mortem within 24 h of resolution; P2 — an update
 * every hour until resolved; P3/P4 — a daily summary to requestors. Durations in ms.
 * @public
 */
export interface CommunicationPolicy {
  hourlyUpdates: { priorities: Priority[]; every: number };
  postMortem: { priorities: Priority[]; within: number; remindEvery: number };
  /** `at` is a time of day in UTC, `HH:MM`. */
  dailySummary: { priorities: Priority[]; at: string };
  /** Priorities whose every change is sent to stakeholders at once. */
  realTime: { priorities: Priority[] };
}

const HOUR = 3_600_000;

/** @public */
export const DEFAULT_COMMUNICATION_POLICY: CommunicationPolicy = {
  hourlyUpdates: { priorities: ['P2'], every: HOUR },
  postMortem: { priorities: ['P1'], within: 24 * HOUR, remindEvery: 24 * HOUR },
  dailySummary: { priorities: ['P3', 'P4'], at: '08:00' },
  realTime: { priorities: ['P1'] },
};

/** An update (or post-mortem) a person recorded as sent. @public */
export interface CommunicationUpdate {
  kind: 'update' | 'post-mortem';
  at: string;
}

/** What the cadence needs to know of one incident. @public */
export interface CadenceSubject {
  priority: Priority;
  status: IncidentStatus;
  openedAt: string;
  resolvedAt?: string;
  /** Status changes, oldest first (for the time spent awaiting the customer). */
  history: StatusChange[];
  updates: CommunicationUpdate[];
}

/**
 * One communication owed. `hourly-update` slot n covers the n-th hour since the ticket was
 * opened and is met by any update inside that hour; one that falls due while the ticket
 * awaits the customer is waived. `post-mortem` is due `within` after resolution.
 * `daily-summary` is sent by the suite itself at the daily time.
 * @public
 */
export interface CommunicationObligation {
  kind: 'hourly-update' | 'post-mortem' | 'daily-summary';
  /** Hour number for hourly updates, 1 for a post-mortem, the UTC date for a summary. */
  slot: number | string;
  dueAt: string;
  state: 'upcoming' | 'met' | 'missed' | 'waived' | 'overdue' | 'scheduled';
  /** When it was met. */
  metAt?: string;
}

/** @public */
export interface CadenceReading {
  obligations: CommunicationObligation[];
  /** The first obligation people still have to meet: upcoming or overdue. */
  next?: CommunicationObligation;
}

const ms = (iso: string) => new Date(iso).getTime();
const iso = (t: number) => new Date(t).toISOString();

/** The status the incident held at `t`, from its history (before the first change: the first). @public */
export function statusAt(
  history: StatusChange[],
  t: number,
): IncidentStatus | undefined {
  let status: IncidentStatus | undefined = history[0]?.status;
  for (const change of history) {
    if (ms(change.at) <= t) status = change.status;
  }
  return status;
}

/** The next daily time `HH:MM` (UTC) strictly after `t`, and the UTC date it falls on. @public */
export function nextDailyTime(
  at: string,
  t: number,
): { at: number; date: string } {
  const [h, m] = at.split(':').map(Number);
  const day = new Date(t);
  let next = Date.UTC(
    day.getUTCFullYear(),
    day.getUTCMonth(),
    day.getUTCDate(),
    h,
    m,
  );
  if (next <= t) next += 24 * HOUR;
  return { at: next, date: iso(next).slice(0, 10) };
}

/** The most recent daily time `HH:MM` (UTC) at or before `t`. @public */
export function lastDailyTime(
  at: string,
  t: number,
): { at: number; date: string } {
  const next = nextDailyTime(at, t).at;
  const last = next - 24 * HOUR;
  return { at: last, date: iso(last).slice(0, 10) };
}

/**
 * The incident's communication obligations at `now`, oldest first, and the next one a
 * person must meet. Pure: time is an argument.
 * @public
 */
export function communicationObligations(
  subject: CadenceSubject,
  policy: CommunicationPolicy,
  now: Date,
): CadenceReading {
  const t = now.getTime();
  const obligations: CommunicationObligation[] = [];
  const opened = ms(subject.openedAt);
  const resolved = subject.resolvedAt ? ms(subject.resolvedAt) : undefined;
  const open = subject.status !== 'resolved' && subject.status !== 'closed';
  const updates = subject.updates
    .filter(u => u.kind === 'update')
    .map(u => ms(u.at))
    .sort((a, b) => a - b);

  if (policy.hourlyUpdates.priorities.includes(subject.priority)) {
    const every = policy.hourlyUpdates.every;
    // Hour n runs from opened + (n-1)·every to opened + n·every. Owed: every hour that ended
    // before resolution; while open, those so far and the one in progress (or, when that one
    // is already met, the next).
    for (let n = 1; ; n++) {
      const from = opened + (n - 1) * every;
      const due = opened + n * every;
      if (!open && (resolved === undefined || due > resolved)) break;
      const metAt = updates.find(u => u > from && u <= due);
      let state: CommunicationObligation['state'];
      if (metAt !== undefined) state = 'met';
      else if (due > t) state = 'upcoming';
      else if (statusAt(subject.history, due) === 'awaiting-customer') {
        state = 'waived';
      } else state = 'missed';
      obligations.push({
        kind: 'hourly-update',
        slot: n,
        dueAt: iso(due),
        state,
        ...(metAt !== undefined ? { metAt: iso(metAt) } : {}),
      });
      if (open && due > t && state !== 'met') break;
    }
  }

  if (
    policy.postMortem.priorities.includes(subject.priority) &&
    resolved !== undefined &&
    !open
  ) {
    const due = resolved + policy.postMortem.within;
    const done = subject.updates
      .filter(u => u.kind === 'post-mortem')
      .map(u => ms(u.at))
      .sort((a, b) => a - b)[0];
    let state: CommunicationObligation['state'] = 'upcoming';
    if (done !== undefined) state = 'met';
    else if (due <= t) state = 'overdue';
    obligations.push({
      kind: 'post-mortem',
      slot: 1,
      dueAt: iso(due),
      state,
      ...(done !== undefined ? { metAt: iso(done) } : {}),
    });
  }

  if (policy.dailySummary.priorities.includes(subject.priority) && open) {
    const next = nextDailyTime(policy.dailySummary.at, t);
    obligations.push({
      kind: 'daily-summary',
      slot: next.date,
      dueAt: iso(next.at),
      state: 'scheduled',
    });
  }

  // Next to meet: an hourly update overdue since a missed hour (until one is sent), else
  // the hour in progress; or the post-mortem; whichever is due first.
  const hourly = obligations.filter(o => o.kind === 'hourly-update');
  const lastPast = [...hourly].reverse().find(o => ms(o.dueAt) <= t);
  let nextHourly: CommunicationObligation | undefined = hourly.find(
    o => o.state === 'upcoming',
  );
  if (
    open &&
    lastPast?.state === 'missed' &&
    !updates.some(u => u > ms(lastPast.dueAt))
  ) {
    nextHourly = { ...lastPast, state: 'overdue' };
  }
  const postMortem = obligations.find(
    o =>
      o.kind === 'post-mortem' &&
      (o.state === 'upcoming' || o.state === 'overdue'),
  );
  const next = [nextHourly, postMortem]
    .filter((o): o is CommunicationObligation => Boolean(o))
    .sort((a, b) => ms(a.dueAt) - ms(b.dueAt))[0];
  return { obligations, ...(next ? { next } : {}) };
}

/**
 * The hourly slots whose time has come and that no update met (nor waived), as of `now`:
 * each is a reminder to the assignee and a status report to the requestors.
 * @public
 */
export function missedHourlyUpdates(
  subject: CadenceSubject,
  policy: CommunicationPolicy,
  now: Date,
): number[] {
  return communicationObligations(subject, policy, now)
    .obligations.filter(o => o.kind === 'hourly-update' && o.state === 'missed')
    .map(o => o.slot as number);
}

/** A case opened with a vendor (operational model, VI.2). @public */
export interface VendorEngagement {
  id: number;
  number: string;
  vendor: 'tanzu' | 'aws';
  caseId: string;
  openedAt: string;
  /** The vendor's response SLA, ms. */
  responseSla: number;
  respondedAt?: string;
  note?: string;
  openedBy?: string;
}

/** @public */
export interface VendorResponseClock {
  respondBy: string;
  /** Time to the vendor's response, or so far while waiting, ms. */
  timeToResponse: number;
  responded: boolean;
  breached: boolean;
  /** Time left before the SLA breaches, while waiting. */
  left?: number;
}

/** Where a vendor engagement stands against the vendor's response SLA. @public */
export function vendorResponseClock(
  engagement: Pick<
    VendorEngagement,
    'openedAt' | 'responseSla' | 'respondedAt'
  >,
  now: Date,
): VendorResponseClock {
  const opened = ms(engagement.openedAt);
  const respondBy = opened + engagement.responseSla;
  const responded = engagement.respondedAt !== undefined;
  const until = responded ? ms(engagement.respondedAt!) : now.getTime();
  return {
    respondBy: iso(respondBy),
    timeToResponse: Math.max(0, until - opened),
    responded,
    breached: until > respondBy,
    ...(responded ? {} : { left: Math.max(0, respondBy - until) }),
  };
}
