import { TicketType } from '@acme/plugin-incident-ops-common';
import { InfoCard } from '@backstage/core-components';
import { Chip, Typography, makeStyles } from '@material-ui/core';
import { PlaybookDefinition } from '../../api/IncidentOpsApi';
import { TICKET_TYPE_LABEL } from '../common/format';
import { RequestorSurveys } from './RequestorSurveys';
import { DefinitionStep } from './DefinitionStep';
import { FieldsTable } from './FieldsTable';

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
}));

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
            <DefinitionStep
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
