import type { QueueItem } from '@acme/plugin-incident-ops-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { Typography, makeStyles } from '@material-ui/core';
import { Link as RouterLink } from 'react-router-dom';
import type { CommunicationDue } from '../../api/IncidentOpsApi';
import { IncidentSummaryRow } from '../common/IncidentSummary';
import { TICKET_TYPE_LABEL, tierClockText } from '../common/format';

const useStyles = makeStyles(theme => ({
  secondary: { color: theme.palette.text.secondary },
  number: {
    fontWeight: 600,
    color:
      theme.palette.type === 'dark'
        ? theme.palette.primary.light
        : theme.palette.primary.main,
    textDecoration: 'none',
    '&:hover, &:focus': { textDecoration: 'underline' },
  },
  row: {
    '&:focus-within': { backgroundColor: theme.palette.action.hover },
  },
  selected: { backgroundColor: theme.palette.action.selected },
}));

/** Where an incident sits: on an entity of the scope, or its CMDB CI in the queue at large. */
function whereLabel(item: QueueItem): string | undefined {
  if (item.attachedTo) {
    const { relation, entityRef, by } = item.attachedTo;
    const { name } = parseEntityRef(entityRef);
    const named = by === 'mention' ? ' (named in the ticket)' : '';
    if (relation === 'self')
      return by === 'mention' ? 'named in the ticket' : undefined;
    return `${relation === 'dependency' ? 'via' : 'in'} ${name}${named}`;
  }
  return item.configurationItem?.name ?? item.configurationItem?.id;
}

/** An incident in the queue: its number opens the incident view in the drawer. */
export function QueueRow(props: {
  item: QueueItem;
  link: string;
  selected: boolean;
  due?: CommunicationDue;
}) {
  const { item, link, selected, due } = props;
  const classes = useStyles();
  const where = whereLabel(item);
  return (
    <IncidentSummaryRow
      incident={item}
      due={due}
      tierNote={item.tierClock ? tierClockText(item.tierClock) : undefined}
      testId={`queue-${item.number}`}
      className={`${classes.row} ${selected ? classes.selected : ''}`}
    >
      <RouterLink
        to={link}
        className={classes.number}
        aria-label={`Open ${item.number}: ${item.shortDescription}`}
      >
        {item.number}
      </RouterLink>
      <Typography variant="body2">{item.shortDescription}</Typography>
      <Typography variant="caption" className={classes.secondary}>
        {[
          where,
          item.ticketType ? TICKET_TYPE_LABEL[item.ticketType] : undefined,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography>
    </IncidentSummaryRow>
  );
}
