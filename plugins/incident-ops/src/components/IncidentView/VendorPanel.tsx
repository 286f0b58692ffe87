import { incidentOpsVendorEngagementManagePermission } from '@acme/plugin-incident-ops-common';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Typography, makeStyles } from '@material-ui/core';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { ErrorAlert } from '../common/ErrorAlert';
import { useAction } from '../common/useAction';
import { IncidentPanelProps } from './panelProps';
import { VendorCaseForm } from './VendorCaseForm';
import { VendorCaseItem } from './VendorCaseItem';
import { VENDOR_LABEL } from './vendorFormat';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0 },
});

/**
 * Cases opened with the vendors (Tanzu, AWS) for the ticket, against their response SLA;
 * those allowed record a new case or the vendor's response.
 */
export function VendorPanel(props: IncidentPanelProps) {
  const { number, version, workable = true, onChanged } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const permission = usePermission({
    permission: incidentOpsVendorEngagementManagePermission,
    resourceRef: number,
  });
  const canManage = { allowed: permission.allowed && workable };
  const engagements = useAsyncRetry(
    () => api.getVendorEngagements(number),
    [api, number, version],
  );
  const { busy, error, run: act } = useAction();

  if (engagements.loading && !engagements.value) {
    return <Progress aria-label="Loading vendor cases" />;
  }
  if (engagements.error) {
    return <ResponseErrorPanel error={engagements.error} />;
  }
  const items = engagements.value!.items;

  const run = (work: () => Promise<unknown>, message: string) =>
    act(async () => {
      await work();
      engagements.retry();
      onChanged(message);
    });

  return (
    <Box>
      {items.length === 0 ? (
        <Typography variant="body2">No vendor case is open for it.</Typography>
      ) : (
        <ul className={classes.list} aria-label="Vendor cases">
          {items.map(e => (
            <VendorCaseItem
              key={e.id}
              engagement={e}
              canManage={Boolean(canManage.allowed)}
              busy={busy}
              onResponded={() =>
                run(
                  () => api.recordVendorResponse(number, e.id, {}),
                  `${VENDOR_LABEL[e.vendor]} response recorded.`,
                )
              }
            />
          ))}
        </ul>
      )}
      {error && (
        <Box mt={1}>
          <ErrorAlert>{error}</ErrorAlert>
        </Box>
      )}
      {canManage.allowed && (
        <VendorCaseForm
          busy={busy}
          onOpen={body =>
            run(
              () => api.openVendorEngagement(number, body),
              `${VENDOR_LABEL[body.vendor]} case ${
                body.caseId
              } recorded; the vendor liaison is told.`,
            )
          }
        />
      )}
    </Box>
  );
}
