import { Box, Typography } from '@material-ui/core';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import type { NotificationRecord } from '../../api/IncidentOpsApi';
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
    return (
      <Box display="flex" alignItems="center" p={2} gridGap={8}>
        <CheckCircleOutline color="primary" />
        <Typography>No notification is refused.</Typography>
      </Box>
    );
  }
  return (
    <RefusedTable
      what="notification"
      items={props.items.map(refusedItem)}
      actions={props.actions}
    />
  );
}
