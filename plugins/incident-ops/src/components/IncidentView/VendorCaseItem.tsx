import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import type { VendorEngagementView } from '../../api/IncidentOpsApi';
import { formatTime } from '../common/format';
import { VENDOR_LABEL, engagementState } from './vendorFormat';
import { breachedText } from '../common/emphasis';

const useStyles = makeStyles(theme => ({
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  breached: breachedText(theme),
  secondary: { color: theme.palette.text.secondary },
}));

/** One vendor case: when it was opened, where it stands, and "Vendor responded". */
export function VendorCaseItem(props: {
  engagement: VendorEngagementView;
  /** Whether the engineer may record the vendor's response. */
  canManage: boolean;
  busy: boolean;
  onResponded: () => void;
}) {
  const { engagement: e, canManage, busy, onResponded } = props;
  const classes = useStyles();
  return (
    <li className={classes.item}>
      <Typography variant="body2">
        <strong>{VENDOR_LABEL[e.vendor]}</strong> case {e.caseId}, opened{' '}
        {formatTime(e.openedAt)}
      </Typography>
      <Typography
        variant="body2"
        className={!e.responded && e.breached ? classes.breached : undefined}
      >
        {engagementState(e)}
      </Typography>
      {e.note && (
        <Typography variant="caption" className={classes.secondary}>
          {e.note}
        </Typography>
      )}
      {canManage && !e.responded && (
        <Box mt={0.5}>
          <Button
            size="small"
            variant="outlined"
            disabled={busy}
            onClick={onResponded}
          >
            Vendor responded
          </Button>
        </Box>
      )}
    </li>
  );
}
