import { Typography, makeStyles } from '@material-ui/core';
import type { CommunicationDue } from '../../api/IncidentOpsApi';
import { formatDuration } from './format';
import { breachedText } from './emphasis';

const useStyles = makeStyles(theme => ({
  upcoming: { color: theme.palette.text.secondary, display: 'block' },
  overdue: { display: 'block', ...breachedText(theme) },
}));

const WHAT = { 'hourly-update': 'Update', 'post-mortem': 'Post-mortem' };

/** "Update due in 12 min" or "Update overdue 5 min": the communication a ticket owes next. */
export function NextUpdate(props: { due?: CommunicationDue }) {
  const classes = useStyles();
  const { due } = props;
  if (!due) return null;
  const overdue = due.state === 'overdue' || due.dueInMs < 0;
  return (
    <Typography
      variant="caption"
      className={overdue ? classes.overdue : classes.upcoming}
    >
      {WHAT[due.kind]}{' '}
      {overdue
        ? `overdue ${formatDuration(-due.dueInMs)}`
        : `due in ${formatDuration(due.dueInMs)}`}
    </Typography>
  );
}
