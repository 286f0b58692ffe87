import type { SlaClock } from '@acme/plugin-incident-ops-common';
import { Tooltip, Typography, makeStyles } from '@material-ui/core';
import PauseCircleOutline from '@material-ui/icons/PauseCircleOutline';
import Timer from '@material-ui/icons/Timer';
import Warning from '@material-ui/icons/Warning';
import { isClose, slaText } from './format';
import { breachedText, warningText } from './emphasis';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  icon: { fontSize: '1.1em' },
  breached: breachedText(theme),
  close: warningText(theme),
  paused: { color: theme.palette.text.secondary },
  running: { color: theme.palette.text.primary },
  stopped: { color: theme.palette.text.secondary },
}));

/**
 * The SLA clock that matters now: time left, breached, or paused while awaiting the
 * customer; the full sentence is its tooltip and what screen readers read.
 */
export function SlaClockLabel(props: { sla?: SlaClock }) {
  const classes = useStyles();
  const { sla } = props;
  if (!sla) {
    return (
      <Typography variant="body2" className={classes.stopped}>
        —
      </Typography>
    );
  }
  const { short, long } = slaText(sla);
  let tone = classes[sla.state];
  if (isClose(sla)) tone = classes.close;
  let icon = <Timer className={classes.icon} aria-hidden />;
  if (sla.state === 'breached') {
    icon = <Warning className={classes.icon} aria-hidden />;
  } else if (sla.state === 'paused') {
    icon = <PauseCircleOutline className={classes.icon} aria-hidden />;
  }
  return (
    <Tooltip title={long}>
      <Typography
        variant="body2"
        component="span"
        className={`${classes.root} ${tone}`}
        aria-label={long}
        data-sla-state={sla.state}
      >
        {icon}
        {short}
      </Typography>
    </Tooltip>
  );
}
