import {
  INCIDENT_STATUSES,
  IncidentStatus,
  PRIORITIES,
  Priority,
  QueueSort,
  STATUS_LABEL,
  TICKET_TYPES,
  TIERS,
  Tier,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  Box,
  Button,
  IconButton,
  Paper,
  Table,
  TableBody,
  TablePagination,
  Typography,
  makeStyles,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { ReactNode, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { INCIDENT_SIGNAL_CHANNEL } from '../../signals';
import { IncidentSummaryHead } from '../common/IncidentSummary';
import { TICKET_TYPE_LABEL } from '../common/format';
import { IncidentDrawer } from '../IncidentView/IncidentDrawer';
import { MultiFilter } from './MultiFilter';
import { QueueRow } from './QueueRow';
import { SingleFilter } from './SingleFilter';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    padding: theme.spacing(2),
  },
  filter: { minWidth: 120 },
  wide: { minWidth: 170 },
  secondary: { color: theme.palette.text.secondary },
  spacer: { flex: 1 },
  title: { flexBasis: '100%' },
}));

const SORT_LABEL: Record<QueueSort, string> = {
  breaching: 'Breaching first',
  priority: 'Priority, oldest first',
  opened: 'Newest first',
};

const ROWS_PER_PAGE = [25, 50, 100];

const listParam = <T extends string>(
  params: URLSearchParams,
  key: string,
  allowed: readonly T[],
): T[] => params.getAll(key).filter((v): v is T => allowed.includes(v as T));

/** @public */
export interface OpsQueueProps {
  /** Narrow the queue to an entity and what it is related to (the Ops tab). */
  entityRef?: string;
  /** Shown above the filters. */
  title?: ReactNode;
  /** Read the queue again when this changes (e.g. after reporting an incident). */
  version?: number;
}

/**
 * The Ops queue: incidents with their SLA clocks, breaching first, filtered by priority,
 * tier, status, cluster and ticket type; a row opens the incident view in a drawer. The
 * filters and the open incident live in the URL, so a view can be shared; open pages
 * refresh on the `incident-ops:incident` signal.
 * @public
 */
export function OpsQueue(props: OpsQueueProps) {
  const { entityRef } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [params, setParams] = useSearchParams();

  const priority = listParam<Priority>(params, 'priority', PRIORITIES);
  const tier = listParam<Tier>(params, 'tier', TIERS);
  const status = listParam<IncidentStatus>(params, 'status', INCIDENT_STATUSES);
  const ticketType = listParam(params, 'ticketType', TICKET_TYPES);
  const cluster = params.get('cluster') ?? '';
  const sort = (params.get('sort') as QueueSort | null) ?? 'breaching';
  const rowsPerPage = ROWS_PER_PAGE.includes(Number(params.get('rows')))
    ? Number(params.get('rows'))
    : ROWS_PER_PAGE[0];
  const page = Math.max(0, Number(params.get('page')) || 0);
  const open = params.get('incident') ?? undefined;

  const update = (change: (p: URLSearchParams) => void, keepPage = false) => {
    const next = new URLSearchParams(params);
    change(next);
    if (!keepPage) next.delete('page');
    setParams(next);
  };
  const setList = (key: string) => (values: string[]) =>
    update(p => {
      p.delete(key);
      values.forEach(v => p.append(key, v));
    });

  const query = useMemo(
    () => ({
      priority,
      tier,
      status,
      ticketType,
      cluster: entityRef ? undefined : cluster || undefined,
      entityRef,
      sort,
      limit: rowsPerPage,
      offset: page * rowsPerPage,
    }),
    // the arrays are rebuilt on each render; their contents are what matter
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [params.toString(), entityRef],
  );
  const queue = useAsyncRetry(
    () => api.getQueue(query),
    [api, query, props.version],
  );
  const { retry } = queue;
  // The update each ticket owes next (P2 hourly, P1 post-mortem), for the SLA column.
  const due = useAsyncRetry(async () => {
    const { items } = await api.getCommunicationsDue({ limit: 1000 });
    return new Map(items.map(d => [d.number, d]));
  }, [api, queue.value]);

  const clusters = useAsync(async () => {
    if (entityRef) return [];
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' },
      fields: ['metadata.name', 'metadata.title'],
    });
    return items
      .map(e => ({
        value: e.metadata.name,
        label: e.metadata.title ?? e.metadata.name,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [catalogApi, entityRef]);

  // Live: re-read when any incident changes.
  const { lastSignal } = useSignal(INCIDENT_SIGNAL_CHANNEL);
  useEffect(() => {
    if (lastSignal) retry();
  }, [lastSignal, retry]);

  const linkTo = (number: string) => {
    const next = new URLSearchParams(params);
    next.set('incident', number);
    return `?${next}`;
  };
  const closeDrawer = () => update(p => p.delete('incident'), true);

  const filtered =
    priority.length + tier.length + status.length + ticketType.length > 0 ||
    (!entityRef && cluster !== '');

  let content: JSX.Element;
  if (queue.loading && !queue.value) {
    content = <Progress aria-label="Loading the queue" />;
  } else if (queue.error) {
    content = <ResponseErrorPanel error={queue.error} />;
  } else if (queue.value && queue.value.items.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title={filtered ? 'No incidents match these filters' : 'Nothing open'}
        description={
          filtered
            ? 'Widen the filters to see more of the queue.'
            : 'No open incidents here. New ones show up as soon as they are synced.'
        }
        action={
          filtered ? (
            <Button
              variant="outlined"
              onClick={() =>
                update(p => {
                  [
                    'priority',
                    'tier',
                    'status',
                    'ticketType',
                    'cluster',
                  ].forEach(k => p.delete(k));
                })
              }
            >
              Clear filters
            </Button>
          ) : undefined
        }
      />
    );
  } else {
    const value = queue.value!;
    content = (
      <>
        <Table size="small" aria-label="Incident queue">
          <IncidentSummaryHead />
          <TableBody>
            {value.items.map(item => (
              <QueueRow
                key={`${item.source}:${item.id}`}
                item={item}
                link={linkTo(item.number)}
                selected={item.number === open}
                due={due.value?.get(item.number)}
              />
            ))}
          </TableBody>
        </Table>
        <TablePagination
          component="div"
          count={value.total}
          page={Math.min(
            page,
            Math.max(0, Math.ceil(value.total / rowsPerPage) - 1),
          )}
          rowsPerPage={rowsPerPage}
          rowsPerPageOptions={ROWS_PER_PAGE}
          onPageChange={(_e, p) => update(n => n.set('page', String(p)), true)}
          onRowsPerPageChange={e =>
            update(n => n.set('rows', String(e.target.value)))
          }
        />
      </>
    );
  }

  const breaching = queue.value?.items.filter(
    i => i.sla?.state === 'breached',
  ).length;
  return (
    <Paper>
      <Box className={classes.filters} role="search" aria-label="Queue filters">
        {props.title && <Box className={classes.title}>{props.title}</Box>}
        <MultiFilter
          label="Priority"
          values={PRIORITIES}
          selected={priority}
          onChange={setList('priority')}
          className={classes.filter}
        />
        <MultiFilter
          label="Tier"
          values={TIERS}
          selected={tier}
          onChange={setList('tier')}
          className={classes.filter}
        />
        <MultiFilter
          label="Status"
          values={INCIDENT_STATUSES}
          selected={status}
          labelOf={s =>
            `${STATUS_LABEL[s]}${isOpenStatus(s) ? '' : ' (closed out)'}`
          }
          onChange={setList('status')}
          className={classes.wide}
        />
        {!entityRef && (
          <SingleFilter
            label="Cluster"
            value={cluster}
            options={[
              { value: '', label: 'All clusters' },
              ...(clusters.value ?? []),
            ]}
            onChange={v =>
              update(p => (v ? p.set('cluster', v) : p.delete('cluster')))
            }
            className={classes.filter}
          />
        )}
        <MultiFilter
          label="Ticket type"
          values={TICKET_TYPES}
          selected={ticketType}
          labelOf={t => TICKET_TYPE_LABEL[t]}
          onChange={setList('ticketType')}
          className={classes.wide}
        />
        <SingleFilter
          label="Order"
          value={sort}
          options={(Object.keys(SORT_LABEL) as QueueSort[]).map(s => ({
            value: s,
            label: SORT_LABEL[s],
          }))}
          onChange={v => update(p => p.set('sort', v))}
          className={classes.wide}
        />
        <span className={classes.spacer} />
        <Typography
          variant="body2"
          className={classes.secondary}
          aria-live="polite"
        >
          {queue.value &&
            `${queue.value.total} ${
              queue.value.total === 1 ? 'incident' : 'incidents'
            }${breaching ? `, ${breaching} breached on this page` : ''}`}
        </Typography>
        <IconButton aria-label="Refresh the queue" onClick={retry}>
          <RefreshIcon />
        </IconButton>
      </Box>
      {content}
      <IncidentDrawer
        number={open}
        entityRef={
          queue.value?.items.find(i => i.number === open)?.attachedTo?.entityRef
        }
        onClose={closeDrawer}
        onChanged={retry}
      />
    </Paper>
  );
}
