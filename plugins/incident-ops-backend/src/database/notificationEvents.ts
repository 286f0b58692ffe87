import type {
  EscalationDecision,
  IncidentStatus,
  NotificationEvent,
  Priority,
  SourceRef,
} from '@acme/plugin-incident-ops-common';
import type { NotificationEventRow } from './DatabaseNotificationStore';

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

/** What a P1's "update on every change" compares between two synced versions. */
export interface AssignmentFields {
  priority: Priority;
  assignedTo?: SourceRef;
  assignmentGroup?: SourceRef;
}

const refName = (r?: SourceRef) => (r ? r.name ?? r.id : undefined);

/**
 * The `incident-change` event when sync brings a new priority, assignee or assignment group
 * for a P1 (before or after the change), keyed by the version that showed it, so a repeated
 * sync adds nothing. Enqueue it in the upsert's transaction.
 */
export function notificationsForIncidentChange(options: {
  incident: EventIncident;
  version: number;
  before: AssignmentFields;
  after: AssignmentFields;
  actor: string;
  now: Date;
}): NotificationEventRow[] {
  const { incident, version, before, after, actor, now } = options;
  if (before.priority !== 'P1' && after.priority !== 'P1') return [];
  const changes: NonNullable<NotificationEventRow['payload']['changes']> = [];
  if (before.priority !== after.priority) {
    changes.push({
      field: 'priority',
      from: before.priority,
      to: after.priority,
    });
  }
  if (before.assignedTo?.id !== after.assignedTo?.id) {
    changes.push({
      field: 'assignee',
      from: refName(before.assignedTo),
      to: refName(after.assignedTo),
    });
  }
  if (before.assignmentGroup?.id !== after.assignmentGroup?.id) {
    changes.push({
      field: 'assignment-group',
      from: refName(before.assignmentGroup),
      to: refName(after.assignmentGroup),
    });
  }
  if (changes.length === 0) return [];
  return [
    {
      key: `notify:incident-change:${incident.source}:${incident.sourceId}:${version}`,
      event: 'incident-change',
      incident: {
        source: incident.source,
        sourceId: incident.sourceId,
        number: incident.number,
      },
      // routed as a P1's change, also when this change took it off P1
      payload: { priority: 'P1', changes, actor },
      now,
    },
  ];
}
