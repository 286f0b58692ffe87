import type { ReportResponse } from '@acme/plugin-incident-ops-common';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { useStyles } from './styles';

/** Escalations by ticket type: this period and the one before. */
export function TicketTypeTable(props: { report: ReportResponse }) {
  const classes = useStyles();
  const rows = props.report.escalations.byTicketType;
  if (rows.length === 0) {
    return <Typography className={classes.muted}>No escalations.</Typography>;
  }
  return (
    <Table size="small" aria-label="Escalations by ticket type">
      <TableHead>
        <TableRow>
          <TableCell>Ticket type</TableCell>
          <TableCell align="right">This period</TableCell>
          <TableCell align="right">Period before</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(r => (
          <TableRow key={r.key}>
            <TableCell>{r.key}</TableCell>
            <TableCell align="right" className={classes.number}>
              {r.count}
            </TableCell>
            <TableCell align="right" className={classes.number}>
              {r.trend[r.trend.length - 2] ?? 0}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
