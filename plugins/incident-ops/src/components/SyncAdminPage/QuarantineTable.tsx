import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import { QuarantinedRecord } from '../../api/IncidentOpsApi';
import { QuarantineRow } from './QuarantineRow';
import { useStyles } from './styles';

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
