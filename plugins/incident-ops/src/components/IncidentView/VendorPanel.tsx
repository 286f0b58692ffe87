import { ErrorAlert } from '../common/ErrorAlert';
import { incidentOpsVendorEngagementManagePermission } from '@acme/plugin-incident-ops-common';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  MenuItem,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { FormEvent, useId, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  VendorEngagementView,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import { formatDuration, formatTime } from '../common/format';
import { messageOf } from '../common/messages';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  breached: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
    fontWeight: 600,
  },
  secondary: { color: theme.palette.text.secondary },
  form: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

const VENDOR_LABEL = { tanzu: 'Tanzu (VMware)', aws: 'AWS' } as const;

function engagementState(e: VendorEngagementView): string {
  if (e.responded) {
    return `responded after ${formatDuration(e.timeToResponseMs)}${
      e.breached ? ', later than its SLA' : ''
    }`;
  }
  return e.breached
    ? `no response for ${formatDuration(e.timeToResponseMs)}: SLA breached`
    : `waiting ${formatDuration(e.timeToResponseMs)}, ${formatDuration(
        e.leftMs ?? 0,
      )} left of ${formatDuration(e.responseSla)}`;
}

/**
 * Cases opened with the vendors (Tanzu, AWS) for the ticket, against their response SLA;
 * those allowed record a new case or the vendor's response.
 */
export function VendorPanel(props: {
  number: string;
  version: number;
  /** False for a closed ticket: nothing is offered. */
  workable?: boolean;
  onChanged: (message: string) => void;
}) {
  const { number, version, workable = true, onChanged } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const permission = usePermission({
    permission: incidentOpsVendorEngagementManagePermission,
  });
  const canManage = { allowed: permission.allowed && workable };
  const engagements = useAsyncRetry(
    () => api.getVendorEngagements(number),
    [api, number, version],
  );
  const ids = useId();
  const [vendor, setVendor] = useState<'tanzu' | 'aws'>('tanzu');
  const [caseId, setCaseId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (engagements.loading && !engagements.value) {
    return <Progress aria-label="Loading vendor cases" />;
  }
  if (engagements.error) {
    return <ResponseErrorPanel error={engagements.error} />;
  }
  const items = engagements.value!.items;

  const run = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      engagements.retry();
      onChanged(message);
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const open = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await run(
        () =>
          api.openVendorEngagement(number, {
            vendor,
            caseId: caseId.trim(),
            note: note.trim() || undefined,
          }),
        `${
          VENDOR_LABEL[vendor]
        } case ${caseId.trim()} recorded; the vendor liaison is told.`,
      )
    ) {
      setCaseId('');
      setNote('');
    }
  };

  return (
    <Box>
      {items.length === 0 ? (
        <Typography variant="body2">No vendor case is open for it.</Typography>
      ) : (
        <ul className={classes.list} aria-label="Vendor cases">
          {items.map(e => (
            <li key={e.id} className={classes.item}>
              <Typography variant="body2">
                <strong>{VENDOR_LABEL[e.vendor]}</strong> case {e.caseId},
                opened {formatTime(e.openedAt)}
              </Typography>
              <Typography
                variant="body2"
                className={
                  !e.responded && e.breached ? classes.breached : undefined
                }
              >
                {engagementState(e)}
              </Typography>
              {e.note && (
                <Typography variant="caption" className={classes.secondary}>
                  {e.note}
                </Typography>
              )}
              {canManage.allowed && !e.responded && (
                <Box mt={0.5}>
                  <Button
                    size="small"
                    variant="outlined"
                    disabled={busy}
                    onClick={() =>
                      run(
                        () => api.recordVendorResponse(number, e.id, {}),
                        `${VENDOR_LABEL[e.vendor]} response recorded.`,
                      )
                    }
                  >
                    Vendor responded
                  </Button>
                </Box>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <Box mt={1}>
          <ErrorAlert>{error}</ErrorAlert>
        </Box>
      )}
      {canManage.allowed && (
        <form
          className={classes.form}
          onSubmit={open}
          aria-label="Open a vendor case"
        >
          <TextField
            id={`${ids}-vendor`}
            select
            size="small"
            variant="outlined"
            label="Vendor"
            value={vendor}
            onChange={e => setVendor(e.target.value as 'tanzu' | 'aws')}
          >
            <MenuItem value="tanzu">{VENDOR_LABEL.tanzu}</MenuItem>
            <MenuItem value="aws">{VENDOR_LABEL.aws}</MenuItem>
          </TextField>
          <TextField
            id={`${ids}-case`}
            size="small"
            variant="outlined"
            label="Vendor case id"
            value={caseId}
            onChange={e => setCaseId(e.target.value)}
            inputProps={{ maxLength: 128 }}
          />
          <TextField
            id={`${ids}-note`}
            size="small"
            variant="outlined"
            label="Note (optional)"
            value={note}
            onChange={e => setNote(e.target.value)}
            inputProps={{ maxLength: 4000 }}
          />
          <Button
            type="submit"
            variant="outlined"
            color="primary"
            disabled={busy || !caseId.trim()}
          >
            Record vendor case
          </Button>
        </form>
      )}
    </Box>
  );
}
