import {
  IncidentStatus,
  STATUS_LABEL,
  Tier,
  allowedTransitions,
  incidentOpsIncidentEscalatePermission,
  incidentOpsIncidentTransitionPermission,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import ArrowUpward from '@material-ui/icons/ArrowUpward';
import { useState } from 'react';
import { transitionLabel } from '../common/format';
import { EscalateDialog } from './EscalateDialog';
import { TransitionDialog } from './TransitionDialog';

const useStyles = makeStyles(theme => ({
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
  },
  hint: { color: theme.palette.text.secondary },
}));

/**
 * The moves legal now (the workflow's transitions; `escalated` goes through the escalate
 * dialog) and the escalate dialog, offered only to those with the permission for them.
 */
export function IncidentActions(props: {
  number: string;
  status: IncidentStatus;
  tier?: Tier;
  /** Playbook verification steps not verified yet. */
  unverified?: string[];
  onChanged: (message: string) => void;
}) {
  const { number, status, tier, unverified = [], onChanged } = props;
  const classes = useStyles();
  const canTransition = usePermission({
    permission: incidentOpsIncidentTransitionPermission,
    resourceRef: number,
  });
  const canEscalate = usePermission({
    permission: incidentOpsIncidentEscalatePermission,
    resourceRef: number,
  });
  const [moving, setMoving] = useState<IncidentStatus>();
  const [escalating, setEscalating] = useState(false);

  const moves = allowedTransitions(status).filter(s => s !== 'escalated');
  const from: Tier = tier ?? 'L1';
  const escalatable = isOpenStatus(status) && from !== 'L3';

  if (canTransition.loading || canEscalate.loading) {
    return (
      <Typography variant="body2" className={classes.hint}>
        Checking what you may do…
      </Typography>
    );
  }
  const offered =
    (canTransition.allowed && moves.length > 0) ||
    (canEscalate.allowed && escalatable);
  if (!offered) {
    let why = 'Nothing can be done with it now: it is closed.';
    if (moves.length > 0 || escalatable) {
      why =
        'You can read this ticket but not work it: moving it needs the incident-ops.incident.transition permission, escalating it incident-ops.incident.escalate.';
    }
    return (
      <Typography variant="body2" className={classes.hint}>
        {why}
      </Typography>
    );
  }
  return (
    <Box className={classes.actions} role="group" aria-label="Work the ticket">
      {canTransition.allowed &&
        moves.map(to => (
          <Button
            key={to}
            variant={to === 'resolved' ? 'contained' : 'outlined'}
            color="primary"
            onClick={() => setMoving(to)}
          >
            {transitionLabel(status, to)}
          </Button>
        ))}
      {canEscalate.allowed && escalatable && (
        <Button
          variant="outlined"
          color="secondary"
          startIcon={<ArrowUpward />}
          onClick={() => setEscalating(true)}
        >
          Escalate to {from === 'L1' ? 'L2' : 'L3'}
        </Button>
      )}
      {moving && (
        <TransitionDialog
          number={number}
          from={status}
          to={moving}
          unverified={unverified}
          onClose={() => setMoving(undefined)}
          onDone={() => {
            setMoving(undefined);
            onChanged(
              `${number} moved to ${STATUS_LABEL[moving]}; the change is on its way to ServiceNow.`,
            );
          }}
        />
      )}
      {escalating && (
        <EscalateDialog
          number={number}
          from={from}
          onClose={() => setEscalating(false)}
          onDone={explanation => {
            setEscalating(false);
            onChanged(`Escalated: ${explanation}`);
          }}
        />
      )}
    </Box>
  );
}
