import { Progress } from '@backstage/core-components';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useId } from 'react';
import type { IncidentReport } from '../../api/IncidentOpsApi';
import { PriorityChip } from '../common/PriorityChip';
import { useReportStatus } from './useReportStatus';

/**
 * What became of a report: queued (it will be filed, also when ServiceNow is down),
 * filed with its number, or refused with ServiceNow's reason. A queued one is asked about
 * until it settles.
 */
export function ReportStatusDialog(props: {
  report: IncidentReport;
  onSettled: (report: IncidentReport) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const report = useReportStatus(props.report, props.onSettled);
  let status: JSX.Element;
  if (report.status === 'filed') {
    status = (
      <Alert severity="success">
        Filed as <strong>{report.number}</strong>. You will hear as it is
        worked.
      </Alert>
    );
  } else if (report.status === 'refused') {
    status = (
      <Alert severity="error" role="alert" style={{ overflowWrap: 'anywhere' }}>
        ServiceNow refused it
        {report.lastError ? `: ${report.lastError}` : '.'} Correct what it says
        and report it again.
      </Alert>
    );
  } else {
    status = (
      <>
        <Alert severity="info">
          Queued, will be filed. It is in the Ops queue as{' '}
          <strong>{report.provisionalNumber}</strong> and gets its number when
          ServiceNow answers; nothing is lost if ServiceNow is down.
        </Alert>
        <Box mt={1}>
          <Progress aria-label="Waiting for the ticket number" />
        </Box>
      </>
    );
  }
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id={titleId}>Incident reported</DialogTitle>
      <DialogContent>
        <Box display="flex" alignItems="center" gridGap={8} mb={2}>
          <PriorityChip priority={report.priority} />
          <Typography variant="body2">
            {report.shortDescription}: at {report.tier}
            {report.assignmentGroup ? ` (${report.assignmentGroup})` : ''}
          </Typography>
        </Box>
        <div role="status" data-testid="report-status">
          {status}
        </div>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
