import type { ReportResponse } from '@acme/plugin-incident-ops-common';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { PriorityChip } from '../../common/PriorityChip';
import { duration } from '../format';
import { Compliance } from './Compliance';
import { useStyles } from './styles';

/** SLA compliance per priority over the tickets resolved in the period. */
export function SlaTable(props: { report: ReportResponse }) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label="SLA compliance per priority">
      <TableHead>
        <TableRow>
          <TableCell>Priority</TableCell>
          <TableCell align="right">Resolved</TableCell>
          <TableCell align="right">Respond target</TableCell>
          <TableCell align="right">Met</TableCell>
          <TableCell align="right">Resolve target</TableCell>
          <TableCell align="right">Met</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.report.sla.map(s => (
          <TableRow key={s.priority} data-testid={`sla-${s.priority}`}>
            <TableCell>
              <PriorityChip priority={s.priority} />
            </TableCell>
            <TableCell align="right" className={classes.number}>
              {s.resolved}
            </TableCell>
            <TableCell align="right">{duration(s.respond.targetMs)}</TableCell>
            <TableCell align="right" className={classes.number}>
              <Compliance share={s.respond.compliance} />
              {s.respond.breached > 0 && (
                <Typography variant="caption" className={classes.muted}>
                  {' '}
                  ({s.respond.breached} breached)
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">{duration(s.resolve.targetMs)}</TableCell>
            <TableCell align="right" className={classes.number}>
              <Compliance share={s.resolve.compliance} />
              {s.resolve.breached > 0 && (
                <Typography variant="caption" className={classes.muted}>
                  {' '}
                  ({s.resolve.breached} breached)
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
