import {
  PlaybookStepStatus,
  PlaybookStepView,
} from '@acme/plugin-incident-ops-common';
import {
  Box,
  Button,
  Chip,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useId, useState } from 'react';
import { formatTime } from '../common/format';
import { STEP_KIND_LABEL } from '../common/format';
import { FilledTemplate } from './FilledTemplate';
import { useActionRowStyles } from './playbookStyles';
import { STEP_ACTION_LABEL, STEP_STATUS_LABEL } from './playbookLabels';

const useStyles = makeStyles(theme => {
  const dark = theme.palette.type === 'dark';
  return {
    step: {
      padding: theme.spacing(1.5, 0),
      borderBottom: `1px solid ${theme.palette.divider}`,
      '&:last-child': { borderBottom: 'none' },
    },
    stepHead: {
      display: 'flex',
      alignItems: 'center',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
    },
    instructions: { whiteSpace: 'pre-wrap', margin: theme.spacing(0.5, 0) },
    pending: {},
    done: {
      backgroundColor: dark
        ? theme.palette.success.dark
        : theme.palette.success.light,
      color: theme.palette.getContrastText(
        dark ? theme.palette.success.dark : theme.palette.success.light,
      ),
    },
    verified: {
      backgroundColor: theme.palette.success.main,
      color: theme.palette.success.contrastText,
    },
    skipped: {
      backgroundColor: theme.palette.grey[dark ? 700 : 300],
      color: theme.palette.getContrastText(
        theme.palette.grey[dark ? 700 : 300],
      ),
    },
    failed: {
      backgroundColor: theme.palette.error.main,
      color: theme.palette.error.contrastText,
    },
    secondary: { color: theme.palette.text.secondary },
  };
});

/** One step of the run: its state, texts, who recorded it, and the buttons to record it. */
export function PlaybookStepItem(props: {
  step: PlaybookStepView;
  /** Values the engineer typed, not saved yet: they fill what the step misses. */
  typed: Record<string, string>;
  /** The playbook's fields that have no value. */
  unfilled: string[];
  index: number;
  canRun: boolean;
  running: boolean;
  onRecord: (status: PlaybookStepStatus, note?: string) => Promise<void>;
}) {
  const { step, typed, unfilled, index, canRun, running, onRecord } = props;
  const classes = useStyles();
  const row = useActionRowStyles();
  const noteId = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const headingId = `${noteId}-title`;
  const record = async (status: PlaybookStepStatus) => {
    setBusy(true);
    try {
      await onRecord(status, note.trim() || undefined);
      setNote('');
    } finally {
      setBusy(false);
    }
  };
  const needsNote = (s: PlaybookStepStatus) =>
    s === 'skipped' || s === 'failed';
  const blocked = step.blockedBy.length > 0;
  // done, verified or skipped: nothing more to record (a failed step can be tried again)
  const complete = ['done', 'verified', 'skipped'].includes(step.status);
  // the fields the step needs before it can be done (its texts may use more)
  const stillMissing = step.needs.filter(
    n => unfilled.includes(n) && !typed[n],
  );
  const missing = stillMissing.length > 0;
  return (
    <li
      className={classes.step}
      aria-labelledby={headingId}
      data-testid={`step-${step.id}`}
    >
      <Box className={classes.stepHead}>
        <Chip
          size="small"
          label={STEP_STATUS_LABEL[step.status]}
          className={classes[step.status]}
        />
        <Typography variant="subtitle2" component="h4" id={headingId}>
          {index + 1}. {step.title}
        </Typography>
        <Typography variant="caption" className={classes.secondary}>
          {STEP_KIND_LABEL[step.kind]}
          {step.optional ? ' (optional)' : ''}
        </Typography>
      </Box>
      {step.instructions && (
        <Typography variant="body2" className={classes.instructions}>
          {step.instructions}
        </Typography>
      )}
      {step.checks.length > 0 && (
        <ul aria-label={`Checks for ${step.title}`}>
          {step.checks.map(c => (
            <li key={c}>
              <Typography variant="body2">{c}</Typography>
            </li>
          ))}
        </ul>
      )}
      {step.templates.map(t => (
        <FilledTemplate key={t.id} template={t} />
      ))}
      {step.actor && step.at && (
        <Typography variant="caption" className={classes.secondary}>
          {STEP_STATUS_LABEL[step.status]} by {step.actor},{' '}
          {formatTime(step.at)}
          {step.note ? `: ${step.note}` : ''}
        </Typography>
      )}
      {canRun && running && !complete && (
        <Box className={row.actions}>
          {blocked && (
            <Typography variant="caption" className={classes.secondary}>
              First: {step.blockedBy.join(', ')}
            </Typography>
          )}
          {!blocked && missing && (
            <Typography variant="caption" className={classes.secondary}>
              Needs a value for {stillMissing.join(', ')} (see the values above)
            </Typography>
          )}
          {!blocked && (
            <>
              <TextField
                id={noteId}
                size="small"
                variant="outlined"
                label="Note"
                placeholder="Needed to skip or fail it"
                value={note}
                onChange={e => setNote(e.target.value)}
                inputProps={{ maxLength: 4000 }}
              />
              {step.allowedStatuses.map(s => (
                <Button
                  key={s}
                  size="small"
                  variant={
                    s === 'done' || s === 'verified' ? 'contained' : 'outlined'
                  }
                  color={s === 'failed' ? 'secondary' : 'primary'}
                  disabled={
                    busy ||
                    (needsNote(s) && !note.trim()) ||
                    ((s === 'done' || s === 'verified') && missing)
                  }
                  onClick={() => record(s)}
                  aria-label={`${STEP_ACTION_LABEL[s]}: ${step.title}`}
                >
                  {STEP_ACTION_LABEL[s]}
                </Button>
              ))}
            </>
          )}
        </Box>
      )}
    </li>
  );
}
