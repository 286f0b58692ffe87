import {
  STATUS_LABEL,
  type Incident,
  type IncidentStatus,
  type NotificationEvent,
  type Priority,
} from '@acme/plugin-incident-ops-common';
import type { NotificationMessage } from '@acme/plugin-incident-ops-node';
import type { NotificationEventPayload } from '../database/DatabaseNotificationStore';

const VENDOR_LABEL: Record<string, string> = {
  tanzu: 'VMware Tanzu',
  aws: 'AWS',
};

const CHANGE_LABEL: Record<string, string> = {
  priority: 'Priority',
  assignee: 'Assignee',
  'assignment-group': 'Assignment group',
};

const label = (status?: string) =>
  (status && STATUS_LABEL[status as IncidentStatus]) ?? status ?? 'unknown';

function severityOf(
  event: NotificationEvent,
  priority?: Priority,
): NotificationMessage['severity'] {
  if (event === 'management-alert' || event === 'vendor-sla-breach') {
    return 'critical';
  }
  if (event === 'daily-summary') return 'low';
  if (priority === 'P1') return 'critical';
  if (priority === 'P2') return 'high';
  return 'normal';
}

const time = (iso?: string) =>
  iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'unknown';

/**
 * What people are told about an event: a title that reads on a phone's lock screen, and a
 * few lines of body. `incident` is the ticket as stored when the event is routed.
 */
export function composeMessage(options: {
  event: NotificationEvent;
  payload: NotificationEventPayload;
  incident?: Incident;
  link?: string;
}): NotificationMessage {
  const { event, payload: p, incident: i, link } = options;
  const number = i?.number ?? '';
  const priority = p.priority ?? i?.priority;
  const what = i ? `${i.number} (${i.priority}): ${i.shortDescription}` : '';
  const where = i
    ? `Status: ${label(i.status)}${i.tier ? `, tier ${i.tier}` : ''}${
        i.assignedTo?.name ? `, assigned to ${i.assignedTo.name}` : ''
      }`
    : '';
  let title: string;
  let lines: string[];
  switch (event) {
    case 'escalation':
      title = `${number} escalated to ${p.toTier} (${priority})`;
      lines = [what, `${p.fromTier} → ${p.toTier}: ${p.explanation}`, where];
      break;
    case 'management-alert':
      title = `P1 ${number}: ${i?.shortDescription ?? ''}`.trim();
      lines = [what, p.explanation ?? '', where];
      break;
    case 'sla-breach':
      title = `${number} breached its SLA (${priority})`;
      lines = [what, p.explanation ?? '', where];
      break;
    case 'status-change':
      title = `${number} is now ${label(p.toStatus)}`;
      lines = [
        what,
        `${p.actor ?? 'Someone'} moved it from ${label(
          p.fromStatus,
        )} to ${label(p.toStatus)}${p.note ? `: ${p.note}` : ''}`,
      ];
      break;
    case 'incident-change': {
      const changes = p.changes ?? [];
      title = `P1 ${number} changed: ${changes
        .map(c => CHANGE_LABEL[c.field].toLowerCase())
        .join(', ')}`;
      lines = [
        what,
        ...changes.map(
          c =>
            `${CHANGE_LABEL[c.field]}: ${c.from ?? 'none'} → ${c.to ?? 'none'}`,
        ),
        where,
        p.actor ? `Changed in ${p.actor}` : '',
      ];
      break;
    }
    case 'stakeholder-update':
      title = `Update on ${number} (${priority})`;
      lines = [what, p.message ?? '', p.link ?? '', where, `— ${p.actor}`];
      break;
    case 'post-mortem':
      title = `Post-mortem for ${number}`;
      lines = [what, p.message ?? '', p.link ?? '', `— ${p.actor}`];
      break;
    case 'update-missed':
      title = `Hourly update for ${number} is overdue`;
      lines = [
        what,
        `The update for hour ${p.slot} was due at ${time(
          p.dueAt,
        )}; none was recorded. Send one to the stakeholders now.`,
        where,
      ];
      break;
    case 'status-report':
      title = `Status of ${number}: ${label(i?.status)}`;
      lines = [
        what,
        where,
        `Opened ${time(i?.openedAt)}. Hour ${
          p.slot
        } status, sent automatically.`,
      ];
      break;
    case 'post-mortem-overdue':
      title = `Post-mortem for ${number} is overdue`;
      lines = [
        what,
        `Resolved ${time(i?.resolvedAt)}; the post-mortem was due at ${time(
          p.dueAt,
        )}.`,
      ];
      break;
    case 'daily-summary': {
      const items = p.incidents ?? [];
      title = `Your open tickets: ${items.length}`;
      lines = [
        `Good morning ${p.requestor?.name ?? ''}. Your open tickets:`.replace(
          ' .',
          '.',
        ),
        ...items.map(
          t =>
            `• ${t.number} (${t.priority}) ${label(t.status)}: ${
              t.shortDescription
            }${t.url ? ` ${t.url}` : ''}`,
        ),
      ];
      break;
    }
    case 'vendor-engaged':
      title = `${
        VENDOR_LABEL[p.vendor?.vendor ?? ''] ?? p.vendor?.vendor
      } case ${p.vendor?.caseId} opened for ${number}`;
      lines = [
        what,
        `Vendor response due by ${time(p.vendor?.respondBy)}.`,
        p.note ?? '',
        p.actor ? `Opened by ${p.actor}` : '',
      ];
      break;
    case 'vendor-sla-breach':
      title = `${
        VENDOR_LABEL[p.vendor?.vendor ?? ''] ?? p.vendor?.vendor
      } has not answered case ${p.vendor?.caseId} (${number})`;
      lines = [
        what,
        `The vendor's response was due by ${time(
          p.vendor?.respondBy,
        )}. Escalate with the vendor.`,
      ];
      break;
    default:
      title = `${number} ${event}`;
      lines = [what];
  }
  return {
    title,
    body: lines.filter(Boolean).join('\n'),
    ...(link ? { link } : {}),
    severity: severityOf(event, priority),
    ...(number ? { incidentNumber: number } : {}),
    event,
  };
}
