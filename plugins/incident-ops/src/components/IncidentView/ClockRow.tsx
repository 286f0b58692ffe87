import { ClockReading } from '@acme/plugin-incident-ops-common';
import { TableCell, TableRow, makeStyles } from '@material-ui/core';
import { ReactNode } from 'react';
import { formatDuration } from '../common/format';
import { breachedText } from '../common/emphasis';

const useStyles = makeStyles(theme => ({
  breached: breachedText(theme),
}));

/** One clock: time used, paused, its limit and what is left (or by how much it is breached). */
export function ClockRow(props: {
  name: string;
  reading?: ClockReading;
  /** What a clock that no longer runs shows instead of its time left. */
  stopped: string;
  /** What a clock without a limit shows. */
  noLimit?: string;
}) {
  const classes = useStyles();
  const { reading } = props;
  if (!reading) return null;
  let left: ReactNode =
    reading.limit === undefined ? props.noLimit ?? '—' : props.stopped;
  if (reading.breached) {
    left = (
      <span className={classes.breached}>
        breached by {formatDuration(reading.used - (reading.limit ?? 0))}
      </span>
    );
  } else if (reading.left !== undefined) {
    left = formatDuration(reading.left);
  }
  return (
    <TableRow>
      <TableCell component="th" scope="row" role="rowheader">
        {props.name}
      </TableCell>
      <TableCell>{formatDuration(reading.used)}</TableCell>
      <TableCell>
        {reading.paused ? formatDuration(reading.paused) : '—'}
      </TableCell>
      <TableCell>
        {reading.limit !== undefined ? formatDuration(reading.limit) : 'none'}
      </TableCell>
      <TableCell>{left}</TableCell>
    </TableRow>
  );
}
