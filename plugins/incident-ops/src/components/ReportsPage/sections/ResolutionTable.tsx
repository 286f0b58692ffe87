import type {
  DurationBreakdown,
  ReportResponse,
} from '@acme/plugin-incident-ops-common';
import {
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
} from '@material-ui/core';
import { useState } from 'react';
import { duration } from '../format';
import { useStyles } from './styles';

const DIMENSIONS = [
  ['byPriority', 'Priority'],
  ['byTier', 'Tier'],
  ['byTicketType', 'Ticket type'],
] as const;

/** Time to acknowledge and to resolve, side by side, by priority, tier or ticket type. */
export function ResolutionTable(props: { report: ReportResponse }) {
  const classes = useStyles();
  const [tab, setTab] = useState(0);
  const { timeToAcknowledge: tta, timeToResolve: ttr } = props.report;
  const [dimension, label] = DIMENSIONS[tab];
  const keys = [
    ...new Set([
      ...tta[dimension].map(s => s.key),
      ...ttr[dimension].map(s => s.key),
    ]),
  ];
  const find = (b: DurationBreakdown, key: string) =>
    b[dimension].find(s => s.key === key);
  return (
    <>
      <Tabs
        value={tab}
        onChange={(_e, v) => setTab(v)}
        indicatorColor="primary"
        textColor="primary"
        aria-label="Break resolution times down by"
      >
        {DIMENSIONS.map(([key, name]) => (
          <Tab key={key} label={name} />
        ))}
      </Tabs>
      <Table size="small" aria-label={`Resolution times by ${label}`}>
        <TableHead>
          <TableRow>
            <TableCell>{label}</TableCell>
            <TableCell align="right">Acknowledged</TableCell>
            <TableCell align="right">Median</TableCell>
            <TableCell align="right">p90</TableCell>
            <TableCell align="right">Resolved</TableCell>
            <TableCell align="right">Median</TableCell>
            <TableCell align="right">p90</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {[
            ['All tickets', tta.overall, ttr.overall] as const,
            ...keys.map(k => [k, find(tta, k), find(ttr, k)] as const),
          ].map(([key, a, r]) => (
            <TableRow key={key}>
              <TableCell component="th" scope="row">
                {key === 'All tickets' ? <strong>{key}</strong> : key}
              </TableCell>
              <TableCell align="right" className={classes.number}>
                {a?.count ?? 0}
              </TableCell>
              <TableCell align="right">{duration(a?.medianMs)}</TableCell>
              <TableCell align="right">{duration(a?.p90Ms)}</TableCell>
              <TableCell align="right" className={classes.number}>
                {r?.count ?? 0}
              </TableCell>
              <TableCell align="right">{duration(r?.medianMs)}</TableCell>
              <TableCell align="right">{duration(r?.p90Ms)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
