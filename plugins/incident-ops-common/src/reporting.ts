import type { CommunicationPolicy } from './communication';
import type { NotificationEvent, NotificationRule } from './notifications';
import { type Priority, priorityFromServiceNow } from './priority';
import type { Tier } from './types';

/** ServiceNow's impact and urgency codes: 1 High, 2 Medium, 3 Low. @public */
export type ImpactOrUrgency = '1' | '2' | '3';

/**
 * The tier a newly reported incident goes to (operational model, section II): P1 to L3
 * (Evangelist), P2 to L2, P3 and P4 to L1.
 * @public
 */
export function tierForPriority(priority: Priority): Tier {
  if (priority === 'P1') return 'L3';
  if (priority === 'P2') return 'L2';
  return 'L1';
}

/**
 * The priority a report would get from impact × urgency (ServiceNow's default lookup rules,
 * 5 Planning counted as P4), and the tier it goes to.
 * @public
 */
export function previewPriority(
  impact: ImpactOrUrgency,
  urgency: ImpactOrUrgency,
): { priority: Priority; tier: Tier } {
  const priority = priorityFromServiceNow({ impact, urgency });
  if (!priority) {
    throw new Error(`impact '${impact}' and urgency '${urgency}' must be 1-3`);
  }
  return { priority, tier: tierForPriority(priority) };
}

/** The communication cadence a priority is on, in the terms the report form shows. @public */
export interface ReportCadence {
  /** real-time: every change at once; hourly: an update every `everyMinutes`; daily: a summary at `dailyAt`. */
  kind: 'real-time' | 'hourly' | 'daily' | 'none';
  everyMinutes?: number;
  /** HH:MM, UTC. */
  dailyAt?: string;
  postMortemWithinHours?: number;
  /** The notification roles the updates go to. */
  audience: string[];
  summary: string;
}

const CADENCE_EVENTS: Record<ReportCadence['kind'], NotificationEvent[]> = {
  'real-time': ['stakeholder-update', 'status-change', 'incident-change'],
  hourly: ['stakeholder-update', 'status-report'],
  daily: ['daily-summary'],
  none: ['status-change'],
};

/**
 * The cadence of a priority under `policy` (incidentOps.communication), with the roles the
 * notification `rules` send its updates to.
 * @public
 */
export function cadenceForPriority(
  priority: Priority,
  policy: CommunicationPolicy,
  rules: readonly NotificationRule[],
): ReportCadence {
  const minutes = Math.round(policy.hourlyUpdates.every / 60_000);
  let cadence: Omit<ReportCadence, 'audience'>;
  if (policy.realTime.priorities.includes(priority)) {
    cadence = {
      kind: 'real-time',
      summary: 'Stakeholders are updated on every change',
    };
  } else if (policy.hourlyUpdates.priorities.includes(priority)) {
    cadence = {
      kind: 'hourly',
      everyMinutes: minutes,
      summary: `An update every ${minutes} minutes until resolved`,
    };
  } else if (policy.dailySummary.priorities.includes(priority)) {
    cadence = {
      kind: 'daily',
      dailyAt: policy.dailySummary.at,
      summary: `A daily summary at ${policy.dailySummary.at} UTC`,
    };
  } else {
    cadence = { kind: 'none', summary: 'Updates when its status changes' };
  }
  if (
    cadence.kind !== 'hourly' &&
    policy.hourlyUpdates.priorities.includes(priority)
  ) {
    cadence.everyMinutes = minutes;
  }
  if (policy.postMortem.priorities.includes(priority)) {
    const hours = Math.round(policy.postMortem.within / 3_600_000);
    cadence.postMortemWithinHours = hours;
    cadence.summary += `; a post-mortem within ${hours} h of resolution`;
  }
  const events = new Set(CADENCE_EVENTS[cadence.kind]);
  const audience = new Set<string>();
  for (const rule of rules) {
    if (!events.has(rule.on)) continue;
    if (rule.priorities && !rule.priorities.includes(priority)) continue;
    for (const role of rule.roles) audience.add(role);
  }
  return { ...cadence, audience: [...audience].sort() };
}
