import { isOpenStatus } from '@acme/plugin-incident-ops-common';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { IncidentDetail } from '../../api/IncidentOpsApi';
import { ClockRow } from './ClockRow';

const useStyles = makeStyles(theme => ({
  clocks: {
    '& th, & td': {
      whiteSpace: 'nowrap',
      padding: theme.spacing(0.75, 1),
    },
  },
}));

/** The ticket's SLA and tier clocks as a table. */
export function IncidentClocks(props: { incident: IncidentDetail }) {
  const { incident } = props;
  const classes = useStyles();
  const clocks = incident.timeline?.clocks;
  const policy = incident.timeline?.policy;
  if (!clocks) return null;
  const done = !isOpenStatus(incident.status);
  return (
    <>
      <Table size="small" aria-label="Clocks" className={classes.clocks}>
        <TableHead>
          <TableRow>
            <TableCell>Clock</TableCell>
            <TableCell>Used</TableCell>
            <TableCell>Paused</TableCell>
            <TableCell>Limit</TableCell>
            <TableCell>Left</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <ClockRow
            name="SLA: respond"
            reading={clocks.respond}
            stopped={done ? 'stopped' : 'answered'}
          />
          <ClockRow
            name="SLA: resolve"
            reading={clocks.resolve}
            stopped="stopped"
          />
          <ClockRow
            name={`At ${clocks.tier?.tier ?? 'tier'}${
              clocks.tier?.triage ? ' · triage' : ''
            } (auto-escalation)`}
            reading={clocks.tier}
            stopped="stopped"
            noLimit={clocks.tier?.tier === 'L3' ? 'top tier' : 'no limit'}
          />
        </TableBody>
      </Table>
      <Box mt={1}>
        <Typography variant="caption" color="textSecondary">
          Time awaiting the customer does not count.
          {policy && !policy.current
            ? ` Its clocks run on the escalation policy in force when it entered ${
                incident.tier ?? 'its tier'
              } (${policy.id.slice(0, 12)}), not the current one.`
            : ''}
        </Typography>
      </Box>
    </>
  );
}
