import { InfoCard } from '@backstage/core-components';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { TICKET_TYPE_LABEL, formatAge, formatTime } from '../common/format';
import { Fact } from '../common/Fact';
import { IncidentDetail } from '../../api/IncidentOpsApi';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  description: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    maxHeight: 240,
    overflow: 'auto',
  },
}));

/** Who is on the ticket, where and what it is, who asked, when it was opened, its description. */
export function TicketFactsCard(props: {
  incident: IncidentDetail;
  now: Date;
}) {
  const { incident, now } = props;
  const classes = useStyles();
  return (
    <InfoCard title="Ticket">
      <dl className={classes.facts}>
        <Fact label="On it">
          {incident.assignedTo?.name ?? 'nobody yet'}
          {incident.assignmentGroup?.name
            ? ` (${incident.assignmentGroup.name})`
            : ''}
        </Fact>
        <Fact label="Where">
          {incident.configurationItem?.name ??
            incident.configurationItem?.id ??
            'no CMDB CI'}
        </Fact>
        <Fact label="Type">
          {incident.ticketType
            ? TICKET_TYPE_LABEL[incident.ticketType]
            : 'not classified'}
        </Fact>
        <Fact label="Requested by">{incident.caller?.name ?? '—'}</Fact>
        <Fact label="Opened">
          {formatTime(incident.openedAt)} (
          {formatAge(incident.openedAt, now.getTime())})
        </Fact>
        {incident.tierEnteredAt && incident.tier && (
          <Fact label={`At ${incident.tier} since`}>
            {formatTime(incident.tierEnteredAt)}
          </Fact>
        )}
        {incident.resolvedAt && (
          <Fact label="Resolved">{formatTime(incident.resolvedAt)}</Fact>
        )}
      </dl>
      {incident.description && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h4">
            Description
          </Typography>
          <Typography variant="body2" className={classes.description}>
            {incident.description}
          </Typography>
        </Box>
      )}
    </InfoCard>
  );
}
