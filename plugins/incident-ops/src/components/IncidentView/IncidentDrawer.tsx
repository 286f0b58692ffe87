import {
  Box,
  Drawer,
  IconButton,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import { useId } from 'react';
import { IncidentView } from './IncidentView';

const useStyles = makeStyles(theme => ({
  paper: {
    width: 'min(1000px, 100vw)',
    backgroundColor: theme.palette.background.default,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    padding: theme.spacing(1, 2),
    borderBottom: `1px solid ${theme.palette.divider}`,
    backgroundColor: theme.palette.background.paper,
    position: 'sticky',
    top: 0,
    zIndex: 1,
  },
}));

/**
 * The incident view in a drawer over the queue: Escape or the close button closes it, and
 * focus stays inside while it is open.
 */
export function IncidentDrawer(props: {
  number?: string;
  /** The entity it is on, when the queue knows it. */
  entityRef?: string;
  onClose: () => void;
  /** Called after a change made from the view (the queue re-reads). */
  onChanged?: () => void;
}) {
  const { number, entityRef, onClose, onChanged } = props;
  const classes = useStyles();
  const titleId = useId();
  return (
    <Drawer
      anchor="right"
      open={Boolean(number)}
      onClose={onClose}
      classes={{ paper: classes.paper }}
      PaperProps={{ role: 'dialog', 'aria-labelledby': titleId } as any}
    >
      {number && (
        <>
          <Box className={classes.header}>
            <Typography variant="h6" component="h2" id={titleId}>
              Incident {number}
            </Typography>
            <IconButton aria-label="Close the incident view" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </Box>
          <Box p={2}>
            <IncidentView
              number={number}
              entityRef={entityRef}
              onChanged={onChanged}
            />
          </Box>
        </>
      )}
    </Drawer>
  );
}
