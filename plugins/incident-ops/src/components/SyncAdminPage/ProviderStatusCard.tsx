import { InfoCard } from '@backstage/core-components';
import { Box, Table, TableBody, Typography } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import { ProviderSyncStatus } from '../../api/IncidentOpsApi';
import {
  formatDurationMs,
  formatWhen,
  lagLabel,
  providerLabel,
} from './format';
import { DetailRow } from './DetailRow';
import { useStyles } from './styles';

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
      {status.lastReconciliation?.refused && (
        <Box mb={2}>
          <Alert severity="warning">
            <AlertTitle>Reconciliation removed nothing</AlertTitle>
            {status.lastReconciliation.refused}
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
                  {status.lastReconciliation.refused
                    ? 'refused to remove incidents missing at the source'
                    : `removed ${status.lastReconciliation.removed} ${
                        status.lastReconciliation.removed === 1
                          ? 'incident'
                          : 'incidents'
                      } deleted at the source`}
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
