import {
  PRIORITY_LABEL,
  type Priority,
} from '@acme/plugin-incident-ops-common';
import { Box, Typography, makeStyles } from '@material-ui/core';
import type { IncidentDraftPreview } from '../../api/IncidentOpsApi';
import { Fact } from '../common/Fact';
import { PriorityChip } from '../common/PriorityChip';

const useStyles = makeStyles(theme => ({
  heading: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0, 0),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  },
  pending: { color: theme.palette.text.secondary, fontStyle: 'italic' },
}));

/**
 * The priority the impact and urgency give, at once, and what it means once the backend has
 * looked at the draft: the tier and group it goes to, how often the requestor hears, the
 * ticket type the classifier sees and the CMDB CI it is filed on.
 */
export function PriorityPreview(props: {
  priority: Priority;
  /** The backend's preview; one for another priority is being replaced. */
  preview?: IncidentDraftPreview;
  /** The affected entity's CMDB CI, from its annotation, until the preview says. */
  configurationItem?: string;
  /** Whether there is a draft to preview (a short description). */
  typed: boolean;
}) {
  const { priority, configurationItem } = props;
  const classes = useStyles();
  const preview =
    props.preview?.priority === priority ? props.preview : undefined;
  const pending = (
    <span className={classes.pending}>
      {props.typed ? 'working it out…' : 'once a short description is typed'}
    </span>
  );
  const ci = preview?.configurationItem ?? configurationItem;
  return (
    <section aria-label="What this report will be" aria-live="polite">
      <Box className={classes.heading}>
        <PriorityChip priority={priority} />
        <Typography variant="subtitle2" component="h3">
          {PRIORITY_LABEL[priority]}
        </Typography>
      </Box>
      <dl className={classes.facts}>
        <Fact label="Goes to">
          {preview
            ? `${preview.tier}${
                preview.assignmentGroup ? ` (${preview.assignmentGroup})` : ''
              }`
            : pending}
        </Fact>
        <Fact label="Updates">
          {preview ? preview.cadence.summary : pending}
        </Fact>
        <Fact label="Ticket type">
          {preview ? preview.ticketType?.label ?? 'not classified' : pending}
        </Fact>
        <Fact label="CMDB CI">{ci ?? 'none on this entity'}</Fact>
      </dl>
    </section>
  );
}
