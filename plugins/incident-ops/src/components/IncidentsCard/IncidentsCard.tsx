import {
  ANNOTATION_SERVICENOW_CMDB_CI,
  EntityIncident,
  EntityIncidentsResponse,
} from '@acme/plugin-incident-ops-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import BuildIcon from '@material-ui/icons/Build';
import { hasOpsTab } from '../OpsQueue/hasOpsTab';
import {
  Box,
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
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { CommunicationDue, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { NextUpdate } from '../common/NextUpdate';
import { STATUS_LABEL, age, attachmentLabel } from './format';
import { PriorityChip } from '../common/PriorityChip';
import { SlaClockLabel } from '../common/SlaClockLabel';

const useStyles = makeStyles(theme => ({
  secondary: { color: theme.palette.text.secondary },
  nowrap: { whiteSpace: 'nowrap' },
  incidentCell: { width: '45%', minWidth: 200 },
  opsLink: {
    marginLeft: theme.spacing(1),
    verticalAlign: 'middle',
    display: 'inline-flex',
  },
}));

/** The entity page's route, when the app has one (it does wherever the catalog is). */
function useEntityRoute() {
  try {
    // eslint-disable-next-line react-hooks/rules-of-hooks
    return useRouteRef(entityRouteRef);
  } catch {
    return undefined;
  }
}

const TYPE_LABEL: Record<string, string> = {
  'kubernetes-cluster': 'cluster',
  'kubernetes-namespace': 'namespace',
};

export { PriorityChip } from '../common/PriorityChip';

function IncidentRow(props: {
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
    <TableRow data-testid={`incident-${incident.number}`}>
      <TableCell>
        <PriorityChip priority={incident.priority} />
      </TableCell>
      <TableCell className={classes.incidentCell}>
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
      </TableCell>
      <TableCell className={classes.nowrap}>
        <span>{STATUS_LABEL[incident.status]}</span>
        <Typography
          variant="caption"
          display="block"
          className={classes.secondary}
        >
          {incident.tier ? (
            <span aria-label={`tier ${incident.tier}`}>{incident.tier}</span>
          ) : (
            'no tier'
          )}
        </Typography>
      </TableCell>
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
      <TableCell>
        <SlaClockLabel sla={incident.sla} />
        <NextUpdate due={due} />
        <Tooltip title={new Date(incident.openedAt).toUTCString()}>
          <Typography
            variant="caption"
            display="block"
            className={classes.secondary}
          >
            opened {age(incident.openedAt)}
          </Typography>
        </Tooltip>
      </TableCell>
    </TableRow>
  );
}

export function IncidentsTable(props: {
  data: EntityIncidentsResponse;
  /** The Ops tab link for an incident, when the entity has one. */
  opsLinkOf?: (number: string) => string;
  /** The update each incident owes next, by number. */
  dueOf?: (number: string) => CommunicationDue | undefined;
}) {
  const { data, opsLinkOf, dueOf } = props;
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
          <TableCell className={classes.incidentCell}>Incident</TableCell>
          <TableCell>Status, tier</TableCell>
          <TableCell>On it</TableCell>
          <TableCell>SLA</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {data.items.map(i => (
          <IncidentRow
            key={`${i.source}:${i.id}`}
            incident={i}
            kindOf={ref => kinds.get(ref)}
            opsLink={opsLinkOf?.(i.number)}
            due={dueOf?.(i.number)}
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
  const entityRoute = useEntityRoute();
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntityIncidents(entityRef),
    [api, entityRef],
  );
  // The update each open incident owes next; the card works without it.
  const due = useAsync(async () => {
    if (!value?.items.length) return undefined;
    const { items } = await api.getCommunicationsDue({ limit: 1000 });
    return new Map(items.map(d => [d.number, d]));
  }, [api, value]);

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
    content = (
      <IncidentsTable
        data={value!}
        dueOf={number => due.value?.get(number)}
        opsLinkOf={
          entityRoute && hasOpsTab(entity)
            ? number =>
                `${entityRoute(
                  entityRouteParams(entity),
                )}/ops?incident=${encodeURIComponent(number)}`
            : undefined
        }
      />
    );
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
