import {
  IncidentStatus,
  Tier,
  allowedTransitions,
  incidentOpsIncidentEscalatePermission,
  incidentOpsIncidentTransitionPermission,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import { ErrorAlert } from '../common/ErrorAlert';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormLabel,
  MenuItem,
  Radio,
  RadioGroup,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import ArrowUpward from '@material-ui/icons/ArrowUpward';
import { FormEvent, useId, useState } from 'react';
import { EscalationTrigger, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { STATUS_LABEL, transitionLabel } from '../common/format';
import { messageOf } from './messages';

const useStyles = makeStyles(theme => ({
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
  },
  hint: { color: theme.palette.text.secondary },
  trigger: { alignItems: 'flex-start', marginBottom: theme.spacing(1) },
}));

/** ServiceNow close codes (the Resolution code field). */
export const CLOSE_CODES = [
  'Solution provided',
  'Workaround provided',
  'Resolved by change',
  'Resolved by problem',
  'Resolved by caller',
  'Known error',
  'Duplicate',
  'Not solved (not reproducible)',
  'No resolution provided',
];

export const TRIGGERS: Array<{
  value: EscalationTrigger;
  label: string;
  help: string;
}> = [
  {
    value: 'stakeholder-request',
    label: 'Stakeholder request',
    help: 'A stakeholder or the requestor asked for it to go up.',
  },
  {
    value: 'architectural-impact',
    label: 'Architectural impact',
    help: 'The fix changes the platform: the Evangelists and architects decide.',
  },
  {
    value: 'complexity',
    label: 'Complexity',
    help: 'Beyond what this tier can do: skills, access or time.',
  },
  {
    value: 'kb-exhausted',
    label: 'KB exhausted',
    help: 'No knowledge article or playbook answers it.',
  },
];

function TransitionDialog(props: {
  number: string;
  from: IncidentStatus;
  to: IncidentStatus;
  /** Playbook verification steps not verified: resolving needs an override reason. */
  unverified: string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { number, from, to, unverified, onClose, onDone } = props;
  const api = useApi(incidentOpsApiRef);
  const titleId = useId();
  const fieldId = useId();
  const resolving = to === 'resolved';
  const [note, setNote] = useState('');
  const [closeCode, setCloseCode] = useState(CLOSE_CODES[0]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [override, setOverride] = useState('');
  // the backend names unverified steps too, when the view did not know of them yet
  const [askOverride, setAskOverride] = useState(
    resolving && unverified.length > 0,
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.transition(number, {
        to,
        note: note.trim() || undefined,
        closeCode: resolving ? closeCode : undefined,
        overrideReason:
          askOverride && override.trim() ? override.trim() : undefined,
      });
      onDone();
    } catch (err) {
      const message = messageOf(err);
      if (resolving && /overrideReason/.test(message)) setAskOverride(true);
      setError(message);
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit}>
        <DialogTitle id={titleId}>
          {transitionLabel(from, to)} {number}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" gutterBottom>
            From {STATUS_LABEL[from]} to {STATUS_LABEL[to]}. The change is
            written back to ServiceNow with a work note.
          </Typography>
          {resolving && (
            <TextField
              id={`${fieldId}-code`}
              select
              label="Resolution code"
              value={closeCode}
              onChange={e => setCloseCode(e.target.value)}
              fullWidth
              margin="normal"
            >
              {CLOSE_CODES.map(c => (
                <MenuItem key={c} value={c}>
                  {c}
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            id={`${fieldId}-note`}
            label={resolving ? 'Resolution note' : 'Work note (optional)'}
            helperText={
              resolving
                ? 'Required: it becomes the ServiceNow close notes.'
                : 'Added to the work note in ServiceNow.'
            }
            value={note}
            onChange={e => setNote(e.target.value)}
            required={resolving}
            multiline
            minRows={3}
            fullWidth
            margin="normal"
            inputProps={{ maxLength: 4000 }}
          />
          {askOverride && (
            <TextField
              id={`${fieldId}-override`}
              label="Override reason"
              helperText={`The playbook's verification ${
                unverified.length ? `(${unverified.join(', ')}) ` : ''
              }is not verified: say why it can be resolved anyway. It is kept in the timeline and the audit log.`}
              value={override}
              onChange={e => setOverride(e.target.value)}
              required
              multiline
              minRows={2}
              fullWidth
              margin="normal"
              inputProps={{ maxLength: 4000 }}
            />
          )}
          {error && <ErrorAlert>{error}</ErrorAlert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={
              busy ||
              (resolving && !note.trim()) ||
              (askOverride && !override.trim())
            }
          >
            {busy ? 'Saving…' : transitionLabel(from, to)}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function EscalateDialog(props: {
  number: string;
  from: Tier;
  onClose: () => void;
  onDone: (explanation: string) => void;
}) {
  const { number, from, onClose, onDone } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const titleId = useId();
  const noteId = useId();
  const to: Tier = from === 'L1' ? 'L2' : 'L3';
  const [trigger, setTrigger] = useState<EscalationTrigger>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!trigger) return;
    setBusy(true);
    setError(undefined);
    try {
      const { decision } = await api.escalate(number, {
        trigger,
        note: note.trim(),
      });
      onDone(decision.explanation);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit}>
        <DialogTitle id={titleId}>
          Escalate {number} from {from} to {to}
          {to === 'L3' ? ' (Evangelist)' : ''}
        </DialogTitle>
        <DialogContent>
          <FormControl component="fieldset" required fullWidth>
            <FormLabel component="legend">Trigger</FormLabel>
            <RadioGroup
              aria-label="Trigger"
              name="trigger"
              value={trigger ?? ''}
              onChange={e => setTrigger(e.target.value as EscalationTrigger)}
            >
              {TRIGGERS.map(t => (
                <FormControlLabel
                  key={t.value}
                  value={t.value}
                  className={classes.trigger}
                  control={<Radio />}
                  label={
                    <Box pt={1}>
                      <Typography variant="body2">{t.label}</Typography>
                      <Typography variant="caption" className={classes.hint}>
                        {t.help}
                      </Typography>
                    </Box>
                  }
                />
              ))}
            </RadioGroup>
          </FormControl>
          <TextField
            id={noteId}
            label="Note for the receiving tier"
            helperText="Required: what was tried and why it goes up. It is the escalation's explanation in the timeline and the ServiceNow work note."
            value={note}
            onChange={e => setNote(e.target.value)}
            required
            multiline
            minRows={3}
            fullWidth
            margin="normal"
            inputProps={{ maxLength: 4000 }}
          />
          {error && <ErrorAlert>{error}</ErrorAlert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !trigger || !note.trim()}
          >
            {busy ? 'Escalating…' : `Escalate to ${to}`}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

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
  });
  const canEscalate = usePermission({
    permission: incidentOpsIncidentEscalatePermission,
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
