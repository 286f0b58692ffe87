import { STATUS_LABEL, SlaClock } from '@acme/plugin-incident-ops-common';
import { Link } from '@backstage/core-components';
import { Box, Chip, Typography, makeStyles } from '@material-ui/core';
import OpenInNew from '@material-ui/icons/OpenInNew';
import { PriorityChip } from '../common/PriorityChip';
import { SlaClockLabel } from '../common/SlaClockLabel';
import { IncidentDetail } from '../../api/IncidentOpsApi';

const useStyles = makeStyles(theme => ({
  heading: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
}));

/** The ticket's priority, status, tier and SLA clock, its title and its link to ServiceNow. */
export function IncidentHeading(props: {
  incident: IncidentDetail;
  sla?: SlaClock;
}) {
  const { incident, sla } = props;
  const classes = useStyles();
  return (
    <>
      <Box className={classes.heading}>
        <PriorityChip priority={incident.priority} />
        <Chip
          size="small"
          label={STATUS_LABEL[incident.status]}
          variant="outlined"
        />
        {incident.tier && (
          <Chip
            size="small"
            label={`Tier ${incident.tier}`}
            variant="outlined"
          />
        )}
        <SlaClockLabel sla={sla} />
      </Box>
      <Typography variant="h5" component="h3">
        {incident.shortDescription}
      </Typography>
      {incident.url && (
        <Link to={incident.url} target="_blank" rel="noopener">
          Open {incident.number} in ServiceNow{' '}
          <OpenInNew fontSize="inherit" aria-hidden />
        </Link>
      )}
    </>
  );
}
