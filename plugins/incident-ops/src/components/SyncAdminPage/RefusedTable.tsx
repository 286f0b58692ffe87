import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import { RefusedActions, RefusedItem, RefusedRow } from './RefusedRow';
import { useStyles } from './styles';

/**
 * Refused outbox items, which wait for an admin and hold later ones for their incident:
 * reason, attempts and when, with Re-queue and Discard when `actions` is given.
 */
export function RefusedTable(props: {
  /** What the items are, e.g. "write-back" or "notification". */
  what: string;
  items: RefusedItem[];
  actions?: RefusedActions;
}) {
  const { what, items, actions } = props;
  const classes = useStyles();
  return (
    <Table size="small" aria-label={`Refused ${what}s`}>
      <TableHead>
        <TableRow className={classes.nowrap}>
          <TableCell>
            {what === 'notification' ? 'Notification' : 'Incident'}
          </TableCell>
          <TableCell>Reason</TableCell>
          <TableCell align="right">Attempts</TableCell>
          <TableCell>Refused</TableCell>
          {actions && <TableCell>Actions</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map(item => (
          <RefusedRow key={item.id} item={item} what={what} actions={actions} />
        ))}
      </TableBody>
    </Table>
  );
}
