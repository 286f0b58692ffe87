import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import { QuarantinedRecord } from '../../api/IncidentOpsApi';
import { AllClear } from './AllClear';
import { QuarantineRow } from './QuarantineRow';
import { useStyles } from './styles';

/** The quarantined records, newest first, with their payload on demand. */
export function QuarantineTable(props: { items: QuarantinedRecord[] }) {
  const classes = useStyles();
  if (props.items.length === 0) {
    return (
      <AllClear>
        Nothing in quarantine: every record from the incident sources could be
        mapped.
      </AllClear>
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
