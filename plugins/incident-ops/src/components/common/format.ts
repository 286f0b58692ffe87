import type {
  IncidentStatus,
  PlaybookStepKind,
  SlaClock,
  TicketType,
  TierClock,
} from '@acme/plugin-incident-ops-common';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": a duration for people, to the minute. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MIN) return `${Math.round(abs / 1000)} s`;
  const minutes = Math.round(abs / MIN);
  if (minutes < 60) return `${minutes} min`;
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const rest = minutes % 60;
  if (abs >= DAY) return hours ? `${days} d ${hours} h` : `${days} d`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "12 min ago", "3 h 5 min ago": how long ago `iso` was, in {@link formatDuration}'s words. */
export function formatAge(iso: string, now: number = Date.now()): string {
  return `${formatDuration(Math.max(0, now - Date.parse(iso)))} ago`;
}

/** What the button that moves a ticket to a status says. */
export const TRANSITION_LABEL: Record<IncidentStatus, string> = {
  unassigned: 'Unassign',
  'work-in-progress': 'Start work',
  'awaiting-customer': 'Await customer',
  escalated: 'Mark escalated',
  resolved: 'Resolve',
  closed: 'Close',
};

/** The button's words for a move from `from` to `to`: back to work from resolved is a reopen. */
export function transitionLabel(from: IncidentStatus, to: IncidentStatus) {
  if (to === 'work-in-progress' && (from === 'resolved' || from === 'closed')) {
    return 'Reopen';
  }
  if (to === 'work-in-progress' && from === 'awaiting-customer') {
    return 'Resume work';
  }
  return TRANSITION_LABEL[to];
}

export const TICKET_TYPE_LABEL: Record<TicketType, string> = {
  egress: 'Egress',
  'gitlab-ci-access': 'GitLab CI access',
  'node-provisioning': 'Node provisioning',
  gitops: 'GitOps / FluxCD',
  'namespace-access': 'Namespace access',
  'cluster-outage': 'Cluster outage',
  security: 'Security',
  connectivity: 'Connectivity',
  other: 'Other',
};

const TARGET = { respond: 'to respond', resolve: 'to resolve' } as const;

/**
 * The SLA clock in a few words ("4 h 12 min left to resolve", "Resolution overdue 1 h",
 * "Paused, 70 h left") and in a sentence for the tooltip and screen readers.
 */
export function slaText(sla: SlaClock): { short: string; long: string } {
  const target = TARGET[sla.target];
  const of = `${formatDuration(sla.usedMs)} used of ${formatDuration(
    sla.limitMs,
  )}`;
  const paused = sla.pausedMs
    ? `, ${formatDuration(sla.pausedMs)} paused awaiting the customer`
    : '';
  switch (sla.state) {
    case 'breached':
      return {
        short: `${
          sla.target === 'respond' ? 'Response' : 'Resolution'
        } overdue ${formatDuration(sla.overByMs ?? 0)}`,
        long: `SLA ${target} breached by ${formatDuration(
          sla.overByMs ?? 0,
        )} (${of}${paused})`,
      };
    case 'paused':
      return {
        short: `Paused, ${formatDuration(sla.leftMs ?? 0)} left`,
        long: `SLA ${target} paused while awaiting the customer, ${formatDuration(
          sla.leftMs ?? 0,
        )} left (${of}${paused})`,
      };
    case 'running':
      return {
        short: `${formatDuration(sla.leftMs ?? 0)} left ${target}`,
        long: `${formatDuration(sla.leftMs ?? 0)} left ${target}${
          sla.dueAt ? `, due ${formatTime(sla.dueAt)}` : ''
        } (${of}${paused})`,
      };
    default:
      return {
        short: 'Clock stopped',
        long: `SLA clock stopped: the ticket is resolved or closed (${of}${paused})`,
      };
  }
}

/** Whether a running clock is nearly out: under a quarter of its time, or 30 minutes. */
export function isClose(sla: SlaClock): boolean {
  return (
    sla.state === 'running' &&
    sla.leftMs !== undefined &&
    (sla.leftMs < 30 * MIN || sla.leftMs < sla.limitMs / 4)
  );
}

/** "Escalates to L2 in 12 min", "L2 limit passed", or nothing when its tier has no limit. */
export function tierClockText(clock: TierClock): string | undefined {
  if (clock.limitMs === undefined) return undefined;
  const next = clock.tier === 'L1' ? 'L2' : 'L3';
  if (clock.breached) {
    return `${formatDuration(clock.usedMs)} at ${
      clock.tier
    }, limit ${formatDuration(clock.limitMs)}: due for ${next}`;
  }
  return clock.leftMs === undefined
    ? undefined
    : `Escalates to ${next} in ${formatDuration(clock.leftMs)}`;
}

/** "Wed 26 Nov, 14:32" in the viewer's time zone. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** What a playbook step's kind means to the engineer who runs it. */
export const STEP_KIND_LABEL: Record<PlaybookStepKind, string> = {
  task: 'Task',
  check: 'Check',
  verification: 'Verification',
};
