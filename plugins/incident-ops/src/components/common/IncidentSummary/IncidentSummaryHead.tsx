import { TableCell, TableHead, TableRow } from '@material-ui/core';
import { useSummaryStyles } from './styles';

/** The header of a table of {@link IncidentSummaryRow}s. */
export function IncidentSummaryHead() {
  const classes = useSummaryStyles();
  return (
    <TableHead>
      <TableRow className={classes.nowrap}>
        <TableCell>Priority</TableCell>
        <TableCell className={classes.incidentCell}>Incident</TableCell>
        <TableCell>Status, tier</TableCell>
        <TableCell>On it</TableCell>
        <TableCell>SLA</TableCell>
      </TableRow>
    </TableHead>
  );
}
