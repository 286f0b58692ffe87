import type {
  Priority,
  ReportResponse,
} from '@acme/plugin-incident-ops-common';
import { InfoCard } from '@backstage/core-components';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { PriorityChip } from '../../common/PriorityChip';
import { duration } from '../format';
import { Cut } from './Cut';
import { useStyles } from './styles';

/** Vendor cases against their SLA, and post-mortems due. */
export function VendorsAndPostMortemsCard(props: { report: ReportResponse }) {
  const classes = useStyles();
  const { vendors, postMortems: pm } = props.report;
  const pmLabel: Record<string, string> = {
    overdue: 'overdue',
    late: 'recorded late',
    pending: 'due',
  };
  return (
    <InfoCard title="Vendor escalations and post-mortems">
      {vendors.byVendor.length === 0 ? (
        <Typography className={classes.muted}>
          No vendor case was opened.
        </Typography>
      ) : (
        <Table size="small" aria-label="Vendor escalations">
          <TableHead>
            <TableRow>
              <TableCell>Vendor</TableCell>
              <TableCell align="right">Opened</TableCell>
              <TableCell align="right">Answered in SLA</TableCell>
              <TableCell align="right">Past SLA</TableCell>
              <TableCell align="right">Waiting</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {vendors.byVendor.map(v => (
              <TableRow key={v.vendor}>
                <TableCell>{v.vendor}</TableCell>
                <TableCell align="right">{v.opened}</TableCell>
                <TableCell align="right">{v.respondedWithinSla}</TableCell>
                <TableCell
                  align="right"
                  className={v.breached ? classes.poor : undefined}
                >
                  {v.breached}
                </TableCell>
                <TableCell align="right">{v.waiting}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Box mt={2}>
        <Typography variant="subtitle2">
          Post-mortems due (within {duration(pm.withinMs)} of resolution)
        </Typography>
        <Typography variant="body2">
          {pm.due} due: {pm.onTime} on time, {pm.late} late,{' '}
          <span className={pm.overdue ? classes.poor : undefined}>
            {pm.overdue} overdue
          </span>
          {pm.pending ? `, ${pm.pending} not yet due` : ''}
        </Typography>
        {pm.items.length > 0 && (
          <Table size="small" aria-label="Post-mortems not on time">
            <TableBody>
              {pm.items.map(i => (
                <TableRow key={i.number}>
                  <TableCell className={classes.nowrap}>
                    <PriorityChip priority={i.priority as Priority} />{' '}
                    {i.number}
                  </TableCell>
                  <TableCell>{i.shortDescription}</TableCell>
                  <TableCell
                    className={`${classes.nowrap} ${
                      i.state === 'overdue' ? classes.poor : ''
                    }`}
                  >
                    {pmLabel[i.state]}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Cut
          listed={pm.items.length}
          total={pm.late + pm.overdue + pm.pending}
          what="post-mortems not done on time"
        />
      </Box>
    </InfoCard>
  );
}
