import { incidentOpsPlaybookRunPermission } from '@acme/plugin-incident-ops-common';
import { ErrorAlert } from '../common/ErrorAlert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  MenuItem,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { PlaybookRunView, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { formatTime } from '../common/format';
import { useAction } from '../common/useAction';
import { IncidentPanelProps } from './panelProps';
import { PlaybookStepItem } from './PlaybookStepItem';
import { STEP_STATUS_LABEL } from './playbookLabels';

const useStyles = makeStyles(theme => ({
  steps: { listStyle: 'none', margin: 0, padding: 0, counterReset: 'step' },
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
}));

/**
 * The ticket's playbook as a checklist: each step with its instructions, checks and
 * templates filled from the incident (ready to paste), its state and who did it; those with
 * the playbook permission start the run and record each step.
 */
export function PlaybookPanel(
  props: IncidentPanelProps & {
    onLoaded?: (view: PlaybookRunView) => void;
  },
) {
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
  const { error, run } = useAction();

  const act = async (work: () => Promise<PlaybookRunView>, message: string) => {
    await run(async () => {
      await work();
      setValues({});
      view.retry();
      onChanged(message);
    });
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
          <PlaybookStepItem
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
                `${step.title}: ${STEP_STATUS_LABEL[status].toLowerCase()}.`,
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
