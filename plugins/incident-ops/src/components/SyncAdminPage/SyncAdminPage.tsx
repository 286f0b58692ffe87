import {
  incidentOpsSyncAdminPermission,
  incidentOpsSyncRunPermission,
} from '@acme/plugin-incident-ops-common';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Grid, IconButton, Typography } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import SyncIcon from '@material-ui/icons/Sync';
import { Alert } from '@material-ui/lab';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { ConfigurationAlert } from './ConfigurationAlert';
import { configurationProblems } from './configuration';
import { providerLabel } from './format';
import { LoadedCard } from './LoadedCard';
import { OutboxPanel } from './OutboxPanel';
import { ProviderStatusCard } from './ProviderStatusCard';
import { QuarantineTable } from './QuarantineTable';
import { RefusedNotifications } from './RefusedNotifications';
import { RefusedActions } from './RefusedRow';
import { UnmappedGroupsTable } from './UnmappedGroupsTable';
import { useStyles } from './styles';

/** How many quarantined records the table shows. */
const QUARANTINE_LIMIT = 100;
/** How many failing write-backs and refused notifications the page shows. */
const OUTBOX_LIMIT = 50;

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
  const admin = usePermission({ permission: incidentOpsSyncAdminPermission });

  const status = useAsyncRetry(() => api.getSyncStatus(), [api]);
  const quarantine = useAsyncRetry(
    () => api.getQuarantine({ limit: QUARANTINE_LIMIT }),
    [api],
  );
  const outbox = useAsyncRetry(
    () => api.getOutbox({ failing: true, limit: OUTBOX_LIMIT }),
    [api],
  );
  const notifications = useAsyncRetry(
    () => api.getNotificationOutbox({ status: 'refused', limit: OUTBOX_LIMIT }),
    [api],
  );
  const unmapped = useAsyncRetry(() => api.getUnmappedGroups(), [api]);
  const { retry: retryStatus } = status;
  const { retry: retryQuarantine } = quarantine;
  const { retry: retryOutbox } = outbox;
  const { retry: retryNotifications } = notifications;
  const { retry: retryUnmapped } = unmapped;
  const refresh = useCallback(() => {
    retryStatus();
    retryQuarantine();
    retryOutbox();
    retryNotifications();
    retryUnmapped();
  }, [
    retryStatus,
    retryQuarantine,
    retryOutbox,
    retryNotifications,
    retryUnmapped,
  ]);

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

  // Re-queue and Discard, for those with incident-ops.sync.admin only.
  const canSettle = admin.allowed && !admin.loading;
  const writeBackActions: RefusedActions | undefined = canSettle
    ? {
        requeue: id => api.requeueOutboxItem(id),
        discard: id => api.discardOutboxItem(id),
        settled: refresh,
      }
    : undefined;
  const notificationActions: RefusedActions | undefined = canSettle
    ? {
        requeue: id => api.requeueNotification(id),
        discard: id => api.discardNotification(id),
        settled: refresh,
      }
    : undefined;
  const refusedCount =
    (outbox.value?.items.filter(o => o.status === 'refused').length ?? 0) +
    (notifications.value?.items.length ?? 0);
  const settleNote =
    refusedCount > 0 && !admin.loading && !admin.allowed
      ? 'Re-queueing or discarding a refused item needs the incident-ops.sync.admin permission, which you do not have.'
      : undefined;

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

  const shown = quarantine.value?.items.length ?? 0;
  // The write-backs' depth comes with the status: wait for both.
  const statusLoading = status.loading && !status.value;
  const outboxState = {
    ...outbox,
    loading: outbox.loading || statusLoading,
    value: statusLoading ? undefined : outbox.value,
  };

  return (
    <Page themeId="tool">
      <Header
        title="Incident Ops — sync"
        subtitle="How incidents are synced from their sources, and what could not be imported"
      />
      <Content>
        <ConfigurationAlert
          problems={configurationProblems(outbox.value?.items ?? [])}
        />
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
        <LoadedCard
          title="Write-backs to the sources"
          subheader="Status changes, notes and reassignments made here, on their way to ServiceNow"
          state={outboxState}
          loadingLabel="Loading write-backs"
          footer={
            settleNote && (
              <Typography
                variant="body2"
                className={`${classes.secondary} ${classes.note}`}
              >
                {settleNote}
              </Typography>
            )
          }
        >
          {({ items }) => (
            <OutboxPanel
              depth={status.value?.outbox}
              failing={items}
              actions={writeBackActions}
            />
          )}
        </LoadedCard>
        <LoadedCard
          title="Notifications refused"
          subheader="Updates to the people on an incident that ran out of attempts"
          state={notifications}
          loadingLabel="Loading refused notifications"
        >
          {({ items }) => (
            <RefusedNotifications items={items} actions={notificationActions} />
          )}
        </LoadedCard>
        <LoadedCard
          title="Assignment groups with no tier"
          subheader="Their open tickets are at L1 for triage: P1 goes to L3 and P2 to L2 at once, P3 and P4 after L1's limit"
          state={unmapped}
          loadingLabel="Loading assignment groups"
        >
          {({ items }) => <UnmappedGroupsTable items={items} />}
        </LoadedCard>
        <LoadedCard
          title="Quarantine"
          subheader={
            shown < totalQuarantined
              ? `Newest ${shown} of ${totalQuarantined} records that could not be mapped`
              : 'Records from the sources that could not be mapped to an incident'
          }
          state={quarantine}
          loadingLabel="Loading quarantine"
        >
          {({ items }) => <QuarantineTable items={items} />}
        </LoadedCard>
      </Content>
    </Page>
  );
}
