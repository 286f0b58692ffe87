import type {
  EscalationDecision,
  IncidentStatus,
  NotificationEvent,
  Priority,
} from '@acme/plugin-incident-ops-common';
import type { NotificationEventRow } from '../../database/DatabaseNotificationStore';

/** The incident an event is about, as the workflow store has it. */
export interface EventIncident {
  source: string;
  sourceId: string;
  number: string;
  priority: Priority;
}

/** Decisions people hear of (a recurring-P2 flag waits for the weekly review). */
const EVENT_OF: Partial<
  Record<EscalationDecision['action'], NotificationEvent>
> = {
  escalate: 'escalation',
  'alert-management': 'management-alert',
  'sla-breach': 'sla-breach',
};

/**
 * The notification event for an escalation decision, keyed by the decision's own key: the
 * decision is recorded once (unique key), and so is its event, even when two replicas
 * decide at the same moment. Enqueue it in the decision's transaction.
 */
export function notificationsForDecision(options: {
  incident: EventIncident;
  decision: EscalationDecision;
  now: Date;
}): NotificationEventRow[] {
  const { incident, decision, now } = options;
  const event = EVENT_OF[decision.action];
  if (!event) return [];
  return [
    {
      key: `notify:decision:${incident.source}:${incident.sourceId}:${decision.key}`,
      event,
      incident: {
        source: incident.source,
        sourceId: incident.sourceId,
        number: incident.number,
      },
      payload: {
        priority: incident.priority,
        fromTier: decision.from,
        toTier: decision.to,
        rule: decision.rule,
        explanation: decision.explanation,
      },
      now,
    },
  ];
}

/**
 * The notification event for a workflow transition made in the suite, keyed by the
 * transition's write-back key (one per transition event). Enqueue it in the transition's
 * transaction.
 */
export function notificationsForTransition(options: {
  incident: EventIncident;
  key: string;
  from: IncidentStatus;
  to: IncidentStatus;
  actor: string;
  note?: string;
  now: Date;
}): NotificationEventRow[] {
  const { incident, key, from, to, actor, note, now } = options;
  return [
    {
      key: `notify:${key}`,
      event: 'status-change',
      incident: {
        source: incident.source,
        sourceId: incident.sourceId,
        number: incident.number,
      },
      payload: {
        priority: incident.priority,
        fromStatus: from,
        toStatus: to,
        actor,
        ...(note ? { note } : {}),
      },
      now,
    },
  ];
}
