import type { NotificationRecord } from '../../api/IncidentOpsApi';
import { AllClear } from './AllClear';
import { RefusedActions, RefusedItem } from './RefusedRow';
import { RefusedTable } from './RefusedTable';

/** A refused notification as the refused table shows it. */
function refusedItem(n: NotificationRecord): RefusedItem {
  return {
    id: n.id,
    label: n.title ?? n.event,
    detail: [n.number, n.channel ?? n.kind].filter(Boolean).join(' · '),
    reason: n.lastError,
    attempts: n.attempts,
    at: n.doneAt ?? n.createdAt,
  };
}

/** The notifications out of attempts, with Re-queue and Discard for admins. */
export function RefusedNotifications(props: {
  items: NotificationRecord[];
  actions?: RefusedActions;
}) {
  if (props.items.length === 0) {
    return <AllClear>No notification is refused.</AllClear>;
  }
  return (
    <RefusedTable
      what="notification"
      items={props.items.map(refusedItem)}
      actions={props.actions}
    />
  );
}
