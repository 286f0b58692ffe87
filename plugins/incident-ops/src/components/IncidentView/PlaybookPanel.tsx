import { incidentOpsPlaybookRunPermission } from '@acme/plugin-incident-ops-common';
import { ErrorAlert } from '../common/ErrorAlert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { PlaybookRunView, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { formatTime } from '../common/format';
import { useAction } from '../common/useAction';
import { IncidentPanelProps } from './panelProps';
import { PlaybookChooser } from './PlaybookChooser';
import { PlaybookFields } from './PlaybookFields';
import { PlaybookStepItem } from './PlaybookStepItem';
import { useActionRowStyles } from './playbookStyles';
import { STEP_STATUS_LABEL } from './playbookLabels';

const useStyles = makeStyles(theme => ({
  steps: { listStyle: 'none', margin: 0, padding: 0, counterReset: 'step' },
  secondary: { color: theme.palette.text.secondary },
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
  const row = useActionRowStyles();
  const api = useApi(incidentOpsApiRef);
  const permission = usePermission({
    permission: incidentOpsPlaybookRunPermission,
    resourceRef: number,
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
          <PlaybookChooser
            number={number}
            available={v.available}
            onStart={playbookId =>
              act(
                () => api.startPlaybook(number, { playbookId }),
                'Playbook started.',
              )
            }
          />
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
        <PlaybookFields
          number={number}
          fields={v.fields}
          missing={v.missing}
          values={values}
          onChange={(name, value) =>
            setValues(old => ({ ...old, [name]: value }))
          }
          disabled={!canRun.allowed || v.run?.status === 'completed'}
        />
      )}
      {canRun.allowed && !running && (
        <Box className={row.actions} mb={1}>
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
