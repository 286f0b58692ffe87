import type { EntityIncident } from '@acme/plugin-incident-ops-common';
import { Link } from '@backstage/core-components';
import { Tooltip, Typography, makeStyles } from '@material-ui/core';
import BuildIcon from '@material-ui/icons/Build';
import type { CommunicationDue } from '../../api/IncidentOpsApi';
import { IncidentSummaryRow } from '../common/IncidentSummary';
import { attachmentLabel } from './format';

const useStyles = makeStyles(theme => ({
  secondary: { color: theme.palette.text.secondary },
  nowrap: { whiteSpace: 'nowrap' },
  opsLink: {
    marginLeft: theme.spacing(1),
    verticalAlign: 'middle',
    display: 'inline-flex',
  },
}));

/** An incident on the card: its number links to ServiceNow, the wrench to the Ops tab. */
export function IncidentRow(props: {
  incident: EntityIncident;
  kindOf: (ref: string) => string | undefined;
  /** Where the incident is worked: the entity's Ops tab with it open. */
  opsLink?: string;
  /** The update it owes next. */
  due?: CommunicationDue;
}) {
  const { incident, kindOf, opsLink, due } = props;
  const classes = useStyles();
  const via = attachmentLabel(incident, kindOf);
  return (
    <IncidentSummaryRow
      incident={incident}
      due={due}
      testId={`incident-${incident.number}`}
    >
      <span className={classes.nowrap}>
        {incident.url ? (
          <Link
            to={incident.url}
            target="_blank"
            rel="noopener"
            aria-label={`${incident.number} in ServiceNow (opens a new tab)`}
          >
            {incident.number}
          </Link>
        ) : (
          incident.number
        )}
        {opsLink && (
          <Tooltip title="Work it in the Ops tab">
            <Link
              to={opsLink}
              aria-label={`Work ${incident.number} in the Ops tab`}
              className={classes.opsLink}
            >
              <BuildIcon fontSize="inherit" aria-hidden />
            </Link>
          </Tooltip>
        )}
      </span>
      <Typography variant="body2">{incident.shortDescription}</Typography>
      {via && (
        <Typography
          variant="caption"
          display="block"
          className={classes.secondary}
        >
          {via}
        </Typography>
      )}
    </IncidentSummaryRow>
  );
}
