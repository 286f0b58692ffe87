import { incidentOpsSyncRunPermission } from '@acme/plugin-incident-ops-common';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Collapse,
  Grid,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import RefreshIcon from '@material-ui/icons/Refresh';
import SyncIcon from '@material-ui/icons/Sync';
import { Alert, AlertTitle } from '@material-ui/lab';
import {
  ReactNode,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  OutboxItem,
  ProviderSyncStatus,
  QuarantinedRecord,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import {
  formatDurationMs,
  formatWhen,
  lagLabel,
  providerLabel,
} from './format';

/** How many quarantined records the table shows. */
const QUARANTINE_LIMIT = 100;

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
    width: '40%',
    borderBottomColor: theme.palette.divider,
  },
  value: { borderBottomColor: theme.palette.divider },
  lag: { fontWeight: 600 },
  secondary: { color: theme.palette.text.secondary },
  nowrap: { whiteSpace: 'nowrap' },
  mono: { fontFamily: 'monospace', wordBreak: 'break-all' },
  payloadCell: { paddingTop: 0, paddingBottom: 0 },
  payload: {
    margin: theme.spacing(1, 0, 2),
    padding: theme.spacing(1.5),
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    color: theme.palette.text.primary,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  controls: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  outcome: { marginBottom: theme.spacing(2) },
}));

type SyncOutcome = {
  severity: 'success' | 'info' | 'warning' | 'error';
  message: string;
};

/** What to tell the user when POST /sync fails. */
function describeSyncError(error: unknown): SyncOutcome {
  if (ResponseError.is(error)) {
    if (error.statusCode === 409) {
      return {
        severity: 'info',
        message: 'A sync is already running. The status refreshes in a moment.',
      };
    }
    if (error.statusCode === 403) {
      return {
        severity: 'error',
        message:
          'You are not allowed to start a sync: it needs the incident-ops.sync.run permission.',
      };
    }
    return {
      severity: 'error',
      message: `Could not start a sync: ${
        error.body?.error?.message ?? error.message
      }`,
    };
  }
  return {
    severity: 'error',
    message: `Could not start a sync: ${
      error instanceof Error ? error.message : String(error)
    }`,
  };
}

function DetailRow(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell
        component="th"
        scope="row"
        role="rowheader"
        className={classes.label}
      >
        {props.label}
      </TableCell>
      <TableCell className={classes.value}>{props.children}</TableCell>
    </TableRow>
  );
}

/** One incident source: last run, lag, last error, reconciliation, quarantine. */
export function ProviderStatusCard(props: { status: ProviderSyncStatus }) {
  const { status } = props;
  const classes = useStyles();
  const label = providerLabel(status.provider);
  const run = status.lastRun;
  return (
    <InfoCard
      title={label}
      subheader={
        <span className={classes.lag}>
          {lagLabel(status.provider, status.lagSeconds)}
        </span>
      }
    >
      {run?.error && (
        <Box mb={2}>
          <Alert severity="error">
            <AlertTitle>Last sync failed</AlertTitle>
            {run.error}
          </Alert>
        </Box>
      )}
      <Table size="small" aria-label={`${label} sync details`}>
        <TableBody>
          <DetailRow label="Last run">
            {run ? (
              <>
                {formatWhen(run.startedAt)}
                <Typography
                  variant="caption"
                  display="block"
                  className={classes.secondary}
                >
                  took {formatDurationMs(run.durationMs)}
                </Typography>
              </>
            ) : (
              'Never ran'
            )}
          </DetailRow>
          {run && (
            <>
              <DetailRow label="Fetched">{run.fetched}</DetailRow>
              <DetailRow label="Stored">{run.stored}</DetailRow>
              <DetailRow label="Quarantined in last run">
                {run.quarantined}
              </DetailRow>
            </>
          )}
          <DetailRow label="Last reconciliation">
            {status.lastReconciliation ? (
              <>
                {formatWhen(status.lastReconciliation.at)}
                <Typography
                  variant="caption"
                  display="block"
                  className={classes.secondary}
                >
                  removed {status.lastReconciliation.removed}{' '}
                  {status.lastReconciliation.removed === 1
                    ? 'incident'
                    : 'incidents'}{' '}
                  deleted at the source
                </Typography>
              </>
            ) : (
              'None yet'
            )}
          </DetailRow>
          <DetailRow label="In quarantine">{status.quarantined ?? 0}</DetailRow>
          {status.cursor && (
            <DetailRow label="Cursor">
              <code className={classes.mono}>{status.cursor}</code>
            </DetailRow>
          )}
        </TableBody>
      </Table>
    </InfoCard>
  );
}

function QuarantineRow(props: { record: QuarantinedRecord }) {
  const { record } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const payloadId = useId();
  const name = record.number ?? record.key;
  return (
    <>
      <TableRow data-testid={`quarantine-${record.provider}-${record.key}`}>
        <TableCell className={classes.nowrap}>
          <Typography variant="body2">{name}</Typography>
          {record.number && record.number !== record.key && (
            <Typography
              variant="caption"
              className={`${classes.secondary} ${classes.mono}`}
            >
              {record.key}
            </Typography>
          )}
        </TableCell>
        <TableCell className={classes.nowrap}>
          {providerLabel(record.provider)}
        </TableCell>
        <TableCell>{record.reason}</TableCell>
        <TableCell align="right">{record.occurrences}</TableCell>
        <TableCell className={classes.nowrap}>
          {formatWhen(record.firstSeenAt)}
        </TableCell>
        <TableCell className={classes.nowrap}>
          {formatWhen(record.lastSeenAt)}
        </TableCell>
        <TableCell className={classes.nowrap}>
          <Button
            size="small"
            aria-expanded={open}
            aria-controls={open ? payloadId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} payload of ${name}`}
            startIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            onClick={() => setOpen(o => !o)}
          >
            {open ? 'Hide' : 'Show'}
          </Button>
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell colSpan={7} className={classes.payloadCell}>
          <Collapse in={open} unmountOnExit>
            <pre
              id={payloadId}
              className={classes.payload}
              role="region"
              aria-label={`Payload of ${name}`}
            >
              {record.payload === undefined
                ? 'No payload stored'
                : JSON.stringify(record.payload, null, 2)}
            </pre>
          </Collapse>
        </TableCell>
      </TableRow>
    </>
  );
}

/** The quarantined records, newest first, with their payload on demand. */
export function QuarantineTable(props: { items: QuarantinedRecord[] }) {
  const classes = useStyles();
  if (props.items.length === 0) {
    return (
      <Box display="flex" alignItems="center" p={2} gridGap={8}>
        <CheckCircleOutline color="primary" />
        <Typography>
          Nothing in quarantine: every record from the incident sources could be
          mapped.
        </Typography>
      </Box>
    );
  }
  return (
    <Table size="small" aria-label="Quarantined records">
      <TableHead>
        <TableRow className={classes.nowrap}>
          <TableCell>Record</TableCell>
          <TableCell>Source</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell align="right">Occurrences</TableCell>
          <TableCell>First seen</TableCell>
          <TableCell>Last seen</TableCell>
          <TableCell>Payload</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(r => (
          <QuarantineRow key={`${r.provider}:${r.key}`} record={r} />
        ))}
      </TableBody>
    </Table>
  );
}

const OUTBOX_STATES: Array<{ key: string; label: string; help: string }> = [
  { key: 'pending', label: 'Waiting', help: 'queued or waiting to be retried' },
  { key: 'running', label: 'Being written', help: 'claimed by a worker now' },
  {
    key: 'conflict',
    label: 'Refused',
    help: 'ServiceNow had a newer change; not written',
  },
  { key: 'done', label: 'Written', help: 'accepted by ServiceNow' },
];

/**
 * The write-backs to the sources: how many are in each state, and those that failed at
 * least once and are not written yet (retrying, or refused) with their last error.
 */
export function OutboxPanel(props: {
  depth?: Record<string, number>;
  failing: OutboxItem[];
}) {
  const classes = useStyles();
  const depth = props.depth ?? {};
  return (
    <>
      <Table size="small" aria-label="Write-backs by state">
        <TableBody>
          {OUTBOX_STATES.map(s => (
            <DetailRow key={s.key} label={s.label}>
              <strong>{depth[s.key] ?? 0}</strong>{' '}
              <span className={classes.secondary}>{s.help}</span>
            </DetailRow>
          ))}
        </TableBody>
      </Table>
      {props.failing.length === 0 ? (
        <Box display="flex" alignItems="center" p={2} gridGap={8}>
          <CheckCircleOutline color="primary" />
          <Typography>No write-back is failing.</Typography>
        </Box>
      ) : (
        <Table size="small" aria-label="Failing write-backs">
          <TableHead>
            <TableRow className={classes.nowrap}>
              <TableCell>Incident</TableCell>
              <TableCell>State</TableCell>
              <TableCell align="right">Attempts</TableCell>
              <TableCell>Last error</TableCell>
              <TableCell>Next attempt</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.failing.map(o => (
              <TableRow key={o.id} data-testid={`outbox-${o.id}`}>
                <TableCell className={classes.nowrap}>
                  {o.number ?? o.key}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {OUTBOX_STATES.find(s => s.key === o.status)?.label ??
                    o.status}
                </TableCell>
                <TableCell align="right">{o.attempts}</TableCell>
                <TableCell>{o.lastError ?? '—'}</TableCell>
                <TableCell className={classes.nowrap}>
                  {o.nextAttemptAt ? formatWhen(o.nextAttemptAt) : '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

/** @public */
export interface SyncAdminPageProps {
  /** How long to wait after starting a sync before reloading the status. */
  refreshDelayMs?: number;
}

/**
 * Sync admin: for each incident source the last run, the lag behind the source, the last
 * error and reconciliation; the quarantined records; and "Sync now" for those with the
 * `incident-ops.sync.run` permission.
 * @public
 */
export function SyncAdminPage(props: SyncAdminPageProps) {
  const { refreshDelayMs = 2000 } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const permission = usePermission({
    permission: incidentOpsSyncRunPermission,
  });

  const status = useAsyncRetry(() => api.getSyncStatus(), [api]);
  const quarantine = useAsyncRetry(
    () => api.getQuarantine({ limit: QUARANTINE_LIMIT }),
    [api],
  );
  const outbox = useAsyncRetry(
    () => api.getOutbox({ failing: true, limit: 50 }),
    [api],
  );
  const { retry: retryStatus } = status;
  const { retry: retryQuarantine } = quarantine;
  const { retry: retryOutbox } = outbox;
  const refresh = useCallback(() => {
    retryStatus();
    retryQuarantine();
    retryOutbox();
  }, [retryStatus, retryQuarantine, retryOutbox]);

  const [syncing, setSyncing] = useState(false);
  const [outcome, setOutcome] = useState<SyncOutcome>();
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      clearTimeout(refreshTimer.current);
    };
  }, []);

  const syncNow = async () => {
    setSyncing(true);
    setOutcome(undefined);
    let next: SyncOutcome;
    let refreshSoon = true;
    try {
      const { triggered } = await api.triggerSync();
      next =
        triggered.length > 0
          ? {
              severity: 'success',
              message: `Sync started for ${triggered
                .map(providerLabel)
                .join(', ')}. The status refreshes in a moment.`,
            }
          : {
              severity: 'warning',
              message: 'No incident source can sync on demand.',
            };
    } catch (error) {
      next = describeSyncError(error);
      refreshSoon = ResponseError.is(error) && error.statusCode === 409;
    }
    if (!mounted.current) return;
    setSyncing(false);
    setOutcome(next);
    if (refreshSoon) {
      clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(refresh, refreshDelayMs);
    }
  };

  const canSync = permission.allowed && !permission.loading;
  const explanationId = useId();
  let explanation: string | undefined;
  if (permission.loading) {
    explanation = 'Checking whether you may start a sync…';
  } else if (permission.error) {
    explanation = `Could not check whether you may start a sync: ${permission.error.message}`;
  } else if (!permission.allowed) {
    explanation =
      'Starting a sync needs the incident-ops.sync.run permission, which you do not have.';
  }

  const providers = status.value?.providers ?? [];
  const totalQuarantined = providers.reduce(
    (sum, p) => sum + (p.quarantined ?? 0),
    0,
  );

  let statusContent: JSX.Element;
  if (status.loading && !status.value) {
    statusContent = <Progress aria-label="Loading sync status" />;
  } else if (status.error) {
    statusContent = <ResponseErrorPanel error={status.error} />;
  } else if (providers.length === 0) {
    statusContent = (
      <EmptyState
        missing="data"
        title="No incident source has synced yet"
        description="Once an incident provider such as ServiceNow is installed in the backend and has run, its sync status shows up here."
      />
    );
  } else {
    statusContent = (
      <Grid container spacing={3} alignItems="stretch">
        {providers.map(p => (
          <Grid item xs={12} md={6} key={p.provider}>
            <ProviderStatusCard status={p} />
          </Grid>
        ))}
      </Grid>
    );
  }

  let quarantineContent: JSX.Element;
  if (quarantine.loading && !quarantine.value) {
    quarantineContent = <Progress aria-label="Loading quarantine" />;
  } else if (quarantine.error) {
    quarantineContent = <ResponseErrorPanel error={quarantine.error} />;
  } else {
    quarantineContent = (
      <QuarantineTable items={quarantine.value?.items ?? []} />
    );
  }
  const shown = quarantine.value?.items.length ?? 0;

  let outboxContent: JSX.Element;
  if ((status.loading && !status.value) || (outbox.loading && !outbox.value)) {
    outboxContent = <Progress aria-label="Loading write-backs" />;
  } else if (outbox.error) {
    outboxContent = <ResponseErrorPanel error={outbox.error} />;
  } else {
    outboxContent = (
      <OutboxPanel
        depth={status.value?.outbox}
        failing={outbox.value?.items ?? []}
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Incident Ops — sync"
        subtitle="How incidents are synced from their sources, and what could not be imported"
      />
      <Content>
        <ContentHeader title="Incident sources">
          <Box className={classes.controls}>
            <IconButton aria-label="Refresh sync status" onClick={refresh}>
              <RefreshIcon />
            </IconButton>
            <Button
              variant="contained"
              color="primary"
              startIcon={<SyncIcon />}
              onClick={syncNow}
              disabled={!canSync || syncing}
              aria-label="Sync now with all incident sources"
              aria-describedby={explanation ? explanationId : undefined}
            >
              {syncing ? 'Starting…' : 'Sync now'}
            </Button>
          </Box>
        </ContentHeader>
        {explanation && (
          <Typography
            id={explanationId}
            variant="body2"
            className={`${classes.secondary} ${classes.outcome}`}
          >
            {explanation}
          </Typography>
        )}
        <div aria-live="polite">
          {outcome && (
            <Alert
              severity={outcome.severity}
              className={classes.outcome}
              onClose={() => setOutcome(undefined)}
            >
              {outcome.message}
            </Alert>
          )}
        </div>
        {statusContent}
        <Box mt={3}>
          <InfoCard
            title="Write-backs to the sources"
            subheader="Status changes, notes and reassignments made here, on their way to ServiceNow"
            noPadding
          >
            {outboxContent}
          </InfoCard>
        </Box>
        <Box mt={3}>
          <InfoCard
            title="Quarantine"
            subheader={
              shown < totalQuarantined
                ? `Newest ${shown} of ${totalQuarantined} records that could not be mapped`
                : 'Records from the sources that could not be mapped to an incident'
            }
            noPadding
          >
            {quarantineContent}
          </InfoCard>
        </Box>
      </Content>
    </Page>
  );
}
