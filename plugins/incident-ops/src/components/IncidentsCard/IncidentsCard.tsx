import {
  ANNOTATION_SERVICENOW_CMDB_CI,
  EntityIncident,
  EntityIncidentsResponse,
  Priority,
} from '@acme/plugin-incident-ops-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  Box,
  Chip,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { PRIORITY_LABEL, STATUS_LABEL, age, attachmentLabel } from './format';

const useStyles = makeStyles(theme => ({
  chip: { fontWeight: 600, margin: 0 },
  P1: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  P2: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  P3: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  P4: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.common.white,
  },
  secondary: { color: theme.palette.text.secondary },
  nowrap: { whiteSpace: 'nowrap' },
}));

const TYPE_LABEL: Record<string, string> = {
  'kubernetes-cluster': 'cluster',
  'kubernetes-namespace': 'namespace',
};

export function PriorityChip(props: { priority: Priority }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.priority}
      aria-label={PRIORITY_LABEL[props.priority]}
      title={PRIORITY_LABEL[props.priority]}
      className={`${classes.chip} ${classes[props.priority]}`}
    />
  );
}

function IncidentRow(props: {
  incident: EntityIncident;
  kindOf: (ref: string) => string | undefined;
}) {
  const { incident, kindOf } = props;
  const classes = useStyles();
  const via = attachmentLabel(incident, kindOf);
  return (
    <TableRow data-testid={`incident-${incident.number}`}>
      <TableCell>
        <PriorityChip priority={incident.priority} />
      </TableCell>
      <TableCell>
        {incident.url ? (
          <Link to={incident.url} target="_blank" rel="noopener">
            {incident.number}
          </Link>
        ) : (
          incident.number
        )}
        <Typography variant="body2">{incident.shortDescription}</Typography>
        {via && (
          <Typography variant="caption" className={classes.secondary}>
            {via}
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.nowrap}>
        {STATUS_LABEL[incident.status]}
      </TableCell>
      <TableCell>{incident.tier ?? '—'}</TableCell>
      <TableCell className={classes.nowrap}>
        {incident.assignedTo?.name ?? (
          <span className={classes.secondary}>unassigned</span>
        )}
        {incident.assignmentGroup?.name && (
          <Typography
            variant="caption"
            display="block"
            className={classes.secondary}
          >
            {incident.assignmentGroup.name}
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.nowrap}>
        <Tooltip title={new Date(incident.openedAt).toUTCString()}>
          <span>{age(incident.openedAt)}</span>
        </Tooltip>
      </TableCell>
    </TableRow>
  );
}

export function IncidentsTable(props: { data: EntityIncidentsResponse }) {
  const { data } = props;
  const kinds = new Map(
    data.entities.map(e => [
      e.entityRef,
      TYPE_LABEL[e.type ?? ''] ??
        (e.kind === 'Component' ? 'service' : e.kind.toLowerCase()),
    ]),
  );
  const classes = useStyles();
  return (
    <Table size="small" aria-label="Open incidents">
      <TableHead>
        <TableRow className={classes.nowrap}>
          <TableCell>Priority</TableCell>
          <TableCell>Incident</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Tier</TableCell>
          <TableCell>On it</TableCell>
          <TableCell>Opened</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {data.items.map(i => (
          <IncidentRow
            key={`${i.source}:${i.id}`}
            incident={i}
            kindOf={ref => kinds.get(ref)}
          />
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Open incidents on the entity and on what it depends on or what depends on it: what is
 * burning and who is on it.
 * @public
 */
export function IncidentsCard() {
  const { entity } = useEntity();
  const api = useApi(incidentOpsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntityIncidents(entityRef),
    [api, entityRef],
  );

  let content: JSX.Element;
  if (loading && !value) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (value && !value.entities.some(e => e.configurationItem)) {
    content = (
      <MissingAnnotationEmptyState annotation={ANNOTATION_SERVICENOW_CMDB_CI} />
    );
  } else if (value && value.items.length === 0) {
    content = (
      <Box display="flex" alignItems="center" p={2} gridGap={8}>
        <CheckCircleOutline color="primary" />
        <Typography>
          No open incidents on this {entity.kind.toLowerCase()} or what it runs
          on.
        </Typography>
      </Box>
    );
  } else {
    content = <IncidentsTable data={value!} />;
  }

  return (
    <InfoCard
      title="Incidents"
      subheader={
        value && value.items.length > 0 ? `${value.totalOpen} open` : undefined
      }
      action={
        <IconButton aria-label="Refresh incidents" onClick={retry}>
          <RefreshIcon />
        </IconButton>
      }
      noPadding
    >
      {content}
    </InfoCard>
  );
}
