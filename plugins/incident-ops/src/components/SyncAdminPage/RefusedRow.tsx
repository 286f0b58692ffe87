import { Button, TableCell, TableRow, Typography } from '@material-ui/core';
import { useState } from 'react';
import { DialogForm } from '../common/DialogForm';
import { ErrorAlert } from '../common/ErrorAlert';
import { useAction } from '../common/useAction';
import { formatWhen } from './format';
import { useStyles } from './styles';

/** A refused outbox item as the sync page shows it. */
export interface RefusedItem {
  id: number;
  /** What it is, e.g. "INC0010001" or a notification's title. */
  label: string;
  /** What kind of write or where it goes, e.g. "transition" or "slack". */
  detail?: string;
  reason?: string;
  attempts: number;
  /** When it was refused. */
  at: string;
}

/** What an admin may do with a refused item; absent without the permission. */
export interface RefusedActions {
  requeue: (id: number) => Promise<unknown>;
  discard: (id: number) => Promise<unknown>;
  /** Called after either went through, to reload the page. */
  settled: () => void;
}

/** One refused item: its reason, attempts and when, and Re-queue / Discard for admins. */
export function RefusedRow(props: {
  item: RefusedItem;
  what: string;
  actions?: RefusedActions;
}) {
  const { item, what, actions } = props;
  const classes = useStyles();
  const requeue = useAction();
  const [discarding, setDiscarding] = useState(false);
  return (
    <TableRow data-testid={`refused-${what}-${item.id}`}>
      <TableCell className={classes.nowrap}>
        <Typography variant="body2">{item.label}</Typography>
        {item.detail && (
          <Typography variant="caption" className={classes.secondary}>
            {item.detail}
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.reasonCell}>{item.reason ?? '—'}</TableCell>
      <TableCell align="right">{item.attempts}</TableCell>
      <TableCell className={classes.nowrap}>{formatWhen(item.at)}</TableCell>
      {actions && (
        <TableCell className={classes.nowrap}>
          <Button
            size="small"
            color="primary"
            variant="outlined"
            disabled={requeue.busy}
            aria-label={`Re-queue ${what} ${item.label}`}
            onClick={async () => {
              if (await requeue.run(() => actions.requeue(item.id)))
                actions.settled();
            }}
          >
            {requeue.busy ? 'Re-queueing…' : 'Re-queue'}
          </Button>{' '}
          <Button
            size="small"
            aria-label={`Discard ${what} ${item.label}`}
            onClick={() => setDiscarding(true)}
          >
            Discard
          </Button>
          {requeue.error && <ErrorAlert>{requeue.error}</ErrorAlert>}
          {discarding && (
            <DialogForm
              title={`Discard the ${what} ${item.label}?`}
              submitLabel="Discard"
              busyLabel="Discarding…"
              ready
              onSubmit={async () => {
                await actions.discard(item.id);
                setDiscarding(false);
                actions.settled();
              }}
              onClose={() => setDiscarding(false)}
            >
              <Typography>
                It will never be sent. Later ones for the same incident go on.
              </Typography>
            </DialogForm>
          )}
        </TableCell>
      )}
    </TableRow>
  );
}
