import {
  PlaybookStepStatus,
  PlaybookStepView,
  incidentOpsPlaybookRunPermission,
} from '@acme/plugin-incident-ops-common';
import { ErrorAlert } from '../common/ErrorAlert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Chip,
  IconButton,
  MenuItem,
  TextField,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import FileCopyOutlined from '@material-ui/icons/FileCopyOutlined';
import { useId, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { PlaybookRunView, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { formatTime } from '../common/format';
import { messageOf } from '../common/messages';

const useStyles = makeStyles(theme => {
  const dark = theme.palette.type === 'dark';
  return {
    steps: { listStyle: 'none', margin: 0, padding: 0, counterReset: 'step' },
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
    template: {
      position: 'relative',
      margin: theme.spacing(1, 0),
      border: `1px solid ${theme.palette.divider}`,
      borderRadius: theme.shape.borderRadius,
      backgroundColor: theme.palette.background.default,
    },
    templateHead: {
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'space-between',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
    code: {
      margin: 0,
      padding: theme.spacing(1),
      fontFamily: 'monospace',
      fontSize: theme.typography.body2.fontSize,
      whiteSpace: 'pre-wrap',
      wordBreak: 'break-word',
      color: theme.palette.text.primary,
    },
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
    actions: {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'flex-start',
      gap: theme.spacing(1),
      marginTop: theme.spacing(1),
    },
    field: {
      '& label': {
        maxWidth: 'calc(133% - 32px)',
        whiteSpace: 'nowrap',
        overflow: 'hidden',
        textOverflow: 'ellipsis',
      },
    },
    fields: {
      display: 'grid',
      gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
      gap: theme.spacing(1),
      marginBottom: theme.spacing(2),
    },
  };
});

const STATUS_LABEL: Record<PlaybookStepView['status'], string> = {
  pending: 'To do',
  done: 'Done',
  verified: 'Verified',
  skipped: 'Skipped',
  failed: 'Failed',
};

const ACTION_LABEL: Record<PlaybookStepStatus, string> = {
  done: 'Mark done',
  verified: 'Mark verified',
  skipped: 'Skip',
  failed: 'Mark failed',
};

const KIND_LABEL: Record<PlaybookStepView['kind'], string> = {
  task: 'Task',
  check: 'Check',
  verification: 'Verification',
};

/** A filled template, ready to paste, with a copy button. */
function Template(props: { template: PlaybookStepView['templates'][number] }) {
  const { template } = props;
  const classes = useStyles();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await window.navigator.clipboard?.writeText(template.text);
    setCopied(true);
  };
  return (
    <figure className={classes.template} style={{ marginInline: 0 }}>
      <figcaption className={classes.templateHead}>
        <Typography variant="caption">
          {template.title} ({template.format})
          {template.missing.length > 0 &&
            ` — still needs ${template.missing.join(', ')}`}
        </Typography>
        <Tooltip title={copied ? 'Copied' : 'Copy'}>
          <IconButton
            size="small"
            aria-label={`Copy ${template.title}`}
            onClick={copy}
          >
            <FileCopyOutlined fontSize="small" />
          </IconButton>
        </Tooltip>
      </figcaption>
      <pre className={classes.code}>{template.text}</pre>
    </figure>
  );
}

function Step(props: {
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
          label={STATUS_LABEL[step.status]}
          className={classes[step.status]}
        />
        <Typography variant="subtitle2" component="h4" id={headingId}>
          {index + 1}. {step.title}
        </Typography>
        <Typography variant="caption" className={classes.secondary}>
          {KIND_LABEL[step.kind]}
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
        <Template key={t.id} template={t} />
      ))}
      {step.actor && step.at && (
        <Typography variant="caption" className={classes.secondary}>
          {STATUS_LABEL[step.status]} by {step.actor}, {formatTime(step.at)}
          {step.note ? `: ${step.note}` : ''}
        </Typography>
      )}
      {canRun && running && !complete && (
        <Box className={classes.actions}>
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
                  aria-label={`${ACTION_LABEL[s]}: ${step.title}`}
                >
                  {ACTION_LABEL[s]}
                </Button>
              ))}
            </>
          )}
        </Box>
      )}
    </li>
  );
}

/**
 * The ticket's playbook as a checklist: each step with its instructions, checks and
 * templates filled from the incident (ready to paste), its state and who did it; those with
 * the playbook permission start the run and record each step.
 */
export function PlaybookPanel(props: {
  number: string;
  version: number;
  /** False for a closed ticket: nothing is offered. */
  workable?: boolean;
  onChanged: (message: string) => void;
  onLoaded?: (view: PlaybookRunView) => void;
}) {
  const { number, version, workable = true, onChanged, onLoaded } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const permission = usePermission({
    permission: incidentOpsPlaybookRunPermission,
  });
  const canRun = { ...permission, allowed: permission.allowed && workable };
  const view = useAsyncRetry(async () => {
    const v = await api.getPlaybook(number);
    onLoaded?.(v);
    return v;
    // onLoaded is a callback for the parent, not an input
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, number, version]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string>();

  const act = async (work: () => Promise<PlaybookRunView>, message: string) => {
    setError(undefined);
    try {
      await work();
      setValues({});
      view.retry();
      onChanged(message);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  if (view.loading && !view.value)
    return <Progress aria-label="Loading the playbook" />;
  if (view.error) return <ResponseErrorPanel error={view.error} />;
  const v = view.value!;
  const running = v.run?.status === 'active';
  const edited = Object.fromEntries(
    Object.entries(values).filter(([, value]) => value.trim() !== ''),
  );

  if (!v.playbook) {
    return (
      <Box>
        <Typography variant="body2">
          No playbook is mapped to this ticket type
          {v.ticketType ? ` (${v.ticketType})` : ''}.
        </Typography>
        {canRun.allowed && v.available.length > 0 && (
          <Box className={classes.actions}>
            <TextField
              select
              size="small"
              variant="outlined"
              label="Run a playbook"
              value={choice}
              onChange={e => setChoice(e.target.value)}
              style={{ minWidth: 260 }}
              id={`playbook-choice-${number}`}
            >
              {v.available.map(p => (
                <MenuItem key={p.id} value={p.id}>
                  {p.title}
                </MenuItem>
              ))}
            </TextField>
            <Button
              variant="contained"
              color="primary"
              disabled={!choice}
              onClick={() =>
                act(
                  () => api.startPlaybook(number, { playbookId: choice }),
                  'Playbook started.',
                )
              }
            >
              Start
            </Button>
          </Box>
        )}
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </Box>
    );
  }

  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        {v.playbook.summary}
      </Typography>
      <Typography variant="caption" className={classes.secondary} component="p">
        {v.run
          ? `Run ${v.run.status}, started by ${v.run.startedBy} ${formatTime(
              v.run.startedAt,
            )}`
          : 'Not started: start it to record each step.'}
        {v.unverified.length > 0 && v.run
          ? ` · Not verified yet: ${v.unverified.join(
              ', ',
            )} (resolving needs an override reason until they are)`
          : ''}
      </Typography>
      {v.fields.length > 0 && (
        <Box mt={1}>
          <Typography variant="subtitle2" component="h4" gutterBottom>
            Values the templates are filled with
          </Typography>
          <div className={classes.fields}>
            {v.fields.map(f => {
              const missing = v.missing.includes(f.name);
              return (
                <TextField
                  key={f.name}
                  className={classes.field}
                  title={f.label}
                  id={`field-${number}-${f.name}`}
                  size="small"
                  variant="outlined"
                  label={f.label}
                  value={values[f.name] ?? f.value ?? ''}
                  onChange={e =>
                    setValues(old => ({ ...old, [f.name]: e.target.value }))
                  }
                  error={missing && !values[f.name]}
                  helperText={(() => {
                    if (missing && !values[f.name])
                      return 'Needed: not found in the ticket';
                    if (values[f.name] !== undefined)
                      return 'Yours: saved with the next step';
                    if (f.source === 'incident') return 'Read from the ticket';
                    return f.source === 'default' ? 'Default' : f.description;
                  })()}
                  disabled={!canRun.allowed || v.run?.status === 'completed'}
                  inputProps={{ maxLength: 500 }}
                />
              );
            })}
          </div>
        </Box>
      )}
      {canRun.allowed && !running && (
        <Box className={classes.actions} mb={1}>
          <Button
            variant="contained"
            color="primary"
            onClick={() =>
              act(
                () =>
                  api.startPlaybook(number, {
                    values: Object.keys(edited).length ? edited : undefined,
                    replace: Boolean(v.run),
                  }),
                `${v.playbook!.title} started.`,
              )
            }
          >
            {v.run ? 'Start again' : `Start ${v.playbook.title}`}
          </Button>
        </Box>
      )}
      {error && (
        <Box my={1}>
          <ErrorAlert>{error}</ErrorAlert>
        </Box>
      )}
      <ol className={classes.steps} aria-label={`${v.playbook.title} steps`}>
        {v.steps.map((step, i) => (
          <Step
            key={step.id}
            step={step}
            typed={edited}
            unfilled={v.missing}
            index={i}
            canRun={Boolean(canRun.allowed)}
            running={running}
            onRecord={(status, note) =>
              act(
                () =>
                  api.recordPlaybookStep(number, step.id, {
                    status,
                    note,
                    values: Object.keys(edited).length ? edited : undefined,
                  }),
                `${step.title}: ${STATUS_LABEL[status].toLowerCase()}.`,
              )
            }
          />
        ))}
      </ol>
      {!permission.loading && !permission.allowed && (
        <Typography variant="caption" className={classes.secondary}>
          Recording steps needs the incident-ops.playbook.run permission.
        </Typography>
      )}
    </Box>
  );
}
