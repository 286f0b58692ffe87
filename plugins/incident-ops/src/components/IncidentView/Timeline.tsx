import { Box, Typography, makeStyles } from '@material-ui/core';
import ArrowUpward from '@material-ui/icons/ArrowUpward';
import CloudDone from '@material-ui/icons/CloudDone';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import FiberManualRecord from '@material-ui/icons/FiberManualRecord';
import NotificationImportant from '@material-ui/icons/NotificationImportant';
import Repeat from '@material-ui/icons/Repeat';
import SwapHoriz from '@material-ui/icons/SwapHoriz';
import Sync from '@material-ui/icons/Sync';
import Warning from '@material-ui/icons/Warning';
import type { ReactElement } from 'react';
import type { TimelineEntry } from '../../api/IncidentOpsApi';
import { formatTime } from '../common/format';
import { DecisionReason } from './DecisionReason';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  icon: { color: theme.palette.text.secondary, marginTop: 2 },
  escalation: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.warning.light
        : theme.palette.warning.dark,
    marginTop: 2,
  },
  when: { color: theme.palette.text.secondary },
}));

const KIND: Record<string, { title: string; icon: ReactElement }> = {
  transition: { title: 'Status changed here', icon: <SwapHoriz /> },
  'status-change': { title: 'Status changed in ServiceNow', icon: <Sync /> },
  escalation: { title: 'Escalated', icon: <ArrowUpward /> },
  'alert-management': {
    title: 'Management alerted',
    icon: <NotificationImportant />,
  },
  'sla-breach': { title: 'SLA breached', icon: <Warning /> },
  'flag-recurring': { title: 'Flagged as a recurring P2', icon: <Repeat /> },
  'write-back': { title: 'Written back to ServiceNow', icon: <CloudDone /> },
  'write-back-conflict': {
    title: 'Write-back refused: ServiceNow had a newer change',
    icon: <ErrorOutline />,
  },
};

/**
 * What happened to the ticket and what the escalation policy decided, newest first; each
 * escalation and alert says why (its rule, its evidence, its clocks).
 */
export function Timeline(props: { entries: TimelineEntry[] }) {
  const classes = useStyles();
  if (props.entries.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing has happened to it in Incident Ops yet.
      </Typography>
    );
  }
  const entries = [...props.entries].reverse();
  return (
    <ol className={classes.list} aria-label="Timeline, newest first">
      {entries.map((e, i) => {
        const kind = KIND[e.type] ?? {
          title: e.type.replace(/-/g, ' '),
          icon: <FiberManualRecord fontSize="small" />,
        };
        const decision = e.type === 'escalation' || Boolean(e.details?.rule);
        return (
          <li key={`${e.at}-${i}`} className={classes.item}>
            <span
              className={decision ? classes.escalation : classes.icon}
              aria-hidden
            >
              {kind.icon}
            </span>
            <Box flex={1}>
              <Typography variant="body2">
                <strong>{kind.title}</strong>{' '}
                <time dateTime={e.at} className={classes.when}>
                  {formatTime(e.at)}
                </time>
              </Typography>
              <Typography variant="body2">{e.summary}</Typography>
              <DecisionReason entry={e} />
            </Box>
          </li>
        );
      })}
    </ol>
  );
}
