import {
  PRIORITY_LABEL,
  type Priority,
} from '@acme/plugin-incident-ops-common';
import { Chip, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  chip: { fontWeight: 600, margin: 0 },
  P1: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  P2: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  P3: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  P4: {
    backgroundColor: theme.palette.grey[600],
    color: theme.palette.common.white,
  },
}));

/** The priority as a coloured chip, named in full for screen readers. */
export function PriorityChip(props: { priority: Priority }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.priority}
      aria-label={PRIORITY_LABEL[props.priority]}
      title={PRIORITY_LABEL[props.priority]}
      className={`${classes.chip} ${classes[props.priority]}`}
    />
  );
}
