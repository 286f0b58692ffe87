import {
  PlaybookField,
  PlaybookStep,
  PlaybookStepKind,
  PlaybookTemplate,
  TicketType,
  allowedStepStatuses,
  placeholdersOf,
} from '@acme/plugin-incident-ops-common';
import { Header, InfoCard, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  Chip,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CheckBoxOutlineBlankIcon from '@material-ui/icons/CheckBoxOutlineBlank';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  PlaybookDefinition,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import { TICKET_TYPE_LABEL } from '../common/format';
import { PlaybookText, Placeholders } from './PlaceholderText';
import { playbooksRouteRef } from '../../routes';
import { PageShell } from '../common/PageShell';
import { RequestorSurveys } from './RequestorSurveys';

const useStyles = makeStyles(theme => ({
  summary: { maxWidth: '80ch' },
  section: { marginTop: theme.spacing(3) },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1.5),
  },
  steps: { listStyle: 'none', padding: 0, margin: 0 },
  step: {
    padding: theme.spacing(2, 3),
    marginBottom: theme.spacing(2),
    borderLeft: `4px solid ${theme.palette.divider}`,
  },
  verification: { borderLeftColor: theme.palette.success.main },
  check: { borderLeftColor: theme.palette.info.main },
  stepHead: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  stepTitle: { fontWeight: 600, marginRight: theme.spacing(1) },
  instructions: { margin: theme.spacing(1.5, 0), maxWidth: '100ch' },
  subhead: {
    fontWeight: 600,
    marginTop: theme.spacing(1.5),
    color: theme.palette.text.secondary,
  },
  checks: { listStyle: 'none', padding: 0, margin: theme.spacing(0.5, 0) },
  checkItem: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.25, 0),
    '& svg': {
      marginTop: 2,
      flexShrink: 0,
      color: theme.palette.text.secondary,
    },
  },
  template: { margin: theme.spacing(1.5, 0, 0) },
  code: {
    margin: theme.spacing(0.5, 0),
    padding: theme.spacing(1.5),
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    overflowX: 'auto',
    fontSize: '0.85rem',
    lineHeight: 1.5,
  },
  legend: { color: theme.palette.text.secondary },
  meta: { color: theme.palette.text.secondary, marginTop: theme.spacing(1) },
  fieldName: { whiteSpace: 'nowrap' },
  fieldSource: { minWidth: 200 },
  example: { whiteSpace: 'nowrap' },
}));

/** What the kinds mean to the engineer who runs the step. */
export const STEP_KIND_LABEL: Record<PlaybookStepKind, string> = {
  task: 'Task',
  check: 'Check',
  verification: 'Verification',
};

/** "Recorded as done, skipped or failed". */
function outcomeText(kind: PlaybookStepKind): string {
  const outcomes = allowedStepStatuses(kind);
  return `Recorded as ${outcomes.slice(0, -1).join(', ')} or ${
    outcomes[outcomes.length - 1]
  }`;
}

/** Where a field's value comes from when a run starts. */
export function fieldSource(field: PlaybookField): string {
  const engineer = field.default
    ? `given by the engineer, else ${field.default}`
    : 'given by the engineer';
  return field.from
    ? `The ticket (${field.from}), or ${engineer}`
    : `G${engineer.slice(1)}`;
}

function Template(props: {
  template: PlaybookTemplate;
  fields: Record<string, PlaybookField>;
}) {
  const { template, fields } = props;
  const classes = useStyles();
  const names = placeholdersOf(template.text);
  return (
    <figure className={classes.template}>
      <Typography variant="body2" component="figcaption">
        <strong>{template.title}</strong> ({template.format})
      </Typography>
      <pre className={classes.code} aria-label={template.title}>
        <Placeholders text={template.text} fields={fields} />
      </pre>
      {names.length > 0 && (
        <Typography variant="caption" component="p" className={classes.legend}>
          Filled from{' '}
          {names.map((name, i) => (
            <span key={name}>
              {i > 0 && ', '}
              <Placeholders text={`{{${name}}}`} fields={fields} />{' '}
              {fields[name]?.label ?? '(no such field)'}
            </span>
          ))}
        </Typography>
      )}
    </figure>
  );
}

function Step(props: {
  step: PlaybookStep;
  index: number;
  fields: Record<string, PlaybookField>;
}) {
  const { step, index, fields } = props;
  const classes = useStyles();
  const kindClass = {
    task: '',
    check: classes.check,
    verification: classes.verification,
  }[step.kind];
  return (
    <Paper
      component="li"
      variant="outlined"
      className={`${classes.step} ${kindClass}`}
      aria-labelledby={`step-${step.id}`}
    >
      <div className={classes.stepHead}>
        <Typography
          variant="h6"
          component="h3"
          id={`step-${step.id}`}
          className={classes.stepTitle}
        >
          {index + 1}. {step.title}
        </Typography>
        <Chip
          size="small"
          label={STEP_KIND_LABEL[step.kind]}
          color={step.kind === 'verification' ? 'primary' : 'default'}
        />
        {step.optional && (
          <Chip size="small" variant="outlined" label="Optional" />
        )}
      </div>
      {step.instructions && (
        <Typography variant="body1" className={classes.instructions}>
          <PlaybookText text={step.instructions} fields={fields} />
        </Typography>
      )}
      {step.checks.length > 0 && (
        <>
          <Typography variant="body2" className={classes.subhead}>
            Confirm
          </Typography>
          <ul className={classes.checks}>
            {step.checks.map(c => (
              <li key={c} className={classes.checkItem}>
                <CheckBoxOutlineBlankIcon fontSize="small" aria-hidden />
                <Typography variant="body2" component="span">
                  <PlaybookText text={c} fields={fields} />
                </Typography>
              </li>
            ))}
          </ul>
        </>
      )}
      {step.templates.map(t => (
        <Template key={t.id} template={t} fields={fields} />
      ))}
      <Typography variant="caption" component="p" className={classes.meta}>
        {outcomeText(step.kind)}
        {step.kind === 'verification' &&
          '; the ticket cannot be resolved without an override reason until it is verified'}
        {step.needs.length > 0 && (
          <>
            . To mark it {step.kind === 'verification' ? 'verified' : 'done'},{' '}
            {step.needs.map((n, i) => (
              <span key={n}>
                {i > 0 && ', '}
                <Placeholders text={`{{${n}}}`} fields={fields} />
              </span>
            ))}{' '}
            must have values
          </>
        )}
        .
      </Typography>
    </Paper>
  );
}

function FieldsTable(props: { fields: Record<string, PlaybookField> }) {
  const classes = useStyles();
  const entries = Object.entries(props.fields);
  return (
    <Table size="small" aria-label="Values the texts use">
      <TableHead>
        <TableRow>
          <TableCell>Placeholder</TableCell>
          <TableCell>Value</TableCell>
          <TableCell>Filled from</TableCell>
          <TableCell>Example</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map(([name, field]) => (
          <TableRow key={name}>
            <TableCell className={classes.fieldName}>
              <Placeholders text={`{{${name}}}`} />
            </TableCell>
            <TableCell>
              {field.label}
              {field.description && (
                <Typography
                  variant="caption"
                  component="p"
                  className={classes.legend}
                >
                  <PlaybookText text={field.description} />
                </Typography>
              )}
            </TableCell>
            <TableCell className={classes.fieldSource}>
              {fieldSource(field)}
            </TableCell>
            <TableCell className={classes.example}>
              {field.example && <code>{field.example}</code>}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A playbook as its file defines it: summary, ticket types, each step in order, the fields. */
export function PlaybookContent(props: { playbook: PlaybookDefinition }) {
  const { playbook } = props;
  const classes = useStyles();
  const ticketTypes = playbook.ticketTypes ?? [];
  return (
    <>
      <Typography variant="body1" className={classes.summary}>
        {playbook.summary}
      </Typography>
      <div className={classes.chips}>
        <Typography variant="body2" component="span">
          Runs for
        </Typography>
        {ticketTypes.length > 0 ? (
          ticketTypes.map(t => (
            <Chip
              key={t}
              size="small"
              label={TICKET_TYPE_LABEL[t as TicketType] ?? t}
            />
          ))
        ) : (
          <Typography variant="body2" component="span">
            no ticket type (it can still be started on a ticket by hand)
          </Typography>
        )}
      </div>
      <section className={classes.section} aria-labelledby="playbook-steps">
        <Typography variant="h5" component="h2" id="playbook-steps" paragraph>
          Steps
        </Typography>
        <ol className={classes.steps}>
          {playbook.steps.map((step, i) => (
            <Step
              key={step.id}
              step={step}
              index={i}
              fields={playbook.fields}
            />
          ))}
        </ol>
      </section>
      {Object.keys(playbook.fields).length > 0 && (
        <section className={classes.section}>
          <InfoCard
            title="Placeholders"
            subheader="Filled from the ticket when a run starts; the engineer can give or correct any of them"
          >
            <FieldsTable fields={playbook.fields} />
          </InfoCard>
        </section>
      )}
      {playbook.surveys && (
        <section className={classes.section}>
          <RequestorSurveys surveys={playbook.surveys} usedOn="it was run on" />
        </section>
      )}
    </>
  );
}

/**
 * A playbook at `/incident-ops/playbooks/:id`, where Backstage search links to: its summary,
 * the ticket types it runs for, each step in order with its kind, instructions, checks and
 * templates, the placeholders named.
 * @public
 */
export function PlaybookPage() {
  const { id = '' } = useParams();
  const api = useApi(incidentOpsApiRef);
  const playbooks = useRouteRef(playbooksRouteRef);
  const state = useAsyncRetry(() => api.getPlaybookDefinition(id), [api, id]);
  const { value } = state;
  return (
    <PageShell
      state={state}
      header={
        <Header
          title={value ? `${value.title} playbook` : id}
          type="Playbooks"
          typeLink={playbooks()}
          pageTitleOverride={value ? `${value.title} playbook` : 'Playbook'}
        />
      }
      loadingLabel="Loading the playbook"
      notFound={{
        title: `No playbook ${id}`,
        description:
          'There is no playbook with this id in the playbooks folder. The list shows the playbooks there are.',
        action: <Link to={playbooks()}>All playbooks</Link>,
      }}
    >
      {playbook => <PlaybookContent playbook={playbook} />}
    </PageShell>
  );
}
