import { Box, Typography, makeStyles } from '@material-ui/core';
import type { TimelineEntry } from '../../api/IncidentOpsApi';
import { formatDuration } from '../common/format';

const useStyles = makeStyles(theme => ({
  why: {
    marginTop: theme.spacing(0.5),
    padding: theme.spacing(1),
    borderLeft: `3px solid ${theme.palette.warning.main}`,
    backgroundColor: theme.palette.action.hover,
  },
}));

/** Why a decision was taken: its rule and the clocks it fired on. */
export function DecisionReason(props: { entry: TimelineEntry }) {
  const classes = useStyles();
  const { details } = props.entry;
  if (!details?.rule) return null;
  const c = details.clocks ?? {};
  const clocks = [
    c.atTier !== undefined &&
      `${formatDuration(c.atTier)} at the tier${
        c.limit !== undefined ? ` (limit ${formatDuration(c.limit)})` : ''
      }`,
    c.open !== undefined && `${formatDuration(c.open)} open`,
    c.paused ? `${formatDuration(c.paused)} paused awaiting the customer` : '',
  ].filter(Boolean);
  return (
    <Box className={classes.why}>
      <Typography variant="body2">
        <strong>Why:</strong> rule <code>{details.rule}</code>
        {details.from && details.to ? `, ${details.from} → ${details.to}` : ''}
      </Typography>
      {clocks.length > 0 && (
        <Typography variant="caption" component="p">
          Clocks when it fired: {clocks.join(', ')}
        </Typography>
      )}
    </Box>
  );
}
