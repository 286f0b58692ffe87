import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { UnmappedGroup } from '../../api/IncidentOpsApi';
import { AllClear } from './AllClear';
import { formatWhen, providerLabel } from './format';
import { useStyles } from './styles';

/** The groups with no tier, their open tickets and oldest, and the config key that maps them. */
export function UnmappedGroupsTable(props: { items: UnmappedGroup[] }) {
  const { items } = props;
  const classes = useStyles();
  if (items.length === 0) {
    return (
      <AllClear>
        Every open ticket is in an assignment group with a tier.
      </AllClear>
    );
  }
  return (
    <>
      <Table size="small" aria-label="Assignment groups with no tier">
        <TableHead>
          <TableRow className={classes.nowrap}>
            <TableCell>Assignment group</TableCell>
            <TableCell>Source</TableCell>
            <TableCell align="right">Open tickets</TableCell>
            <TableCell>Oldest ticket opened</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(g => (
            <TableRow
              key={`${g.provider}:${g.group?.id ?? ''}`}
              data-testid={`unmapped-${g.provider}-${g.group?.id ?? 'none'}`}
            >
              <TableCell>
                {g.group ? (
                  g.group.name ?? g.group.id
                ) : (
                  <em>No assignment group</em>
                )}
              </TableCell>
              <TableCell className={classes.nowrap}>
                {providerLabel(g.provider)}
              </TableCell>
              <TableCell align="right">{g.open}</TableCell>
              <TableCell className={classes.nowrap}>
                {formatWhen(g.oldestOpenedAt)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box p={2}>
        <Typography variant="body2" className={classes.secondary}>
          To give a group a tier, add its name to{' '}
          <code>incidentOps.tiers.&lt;tier&gt;.assignmentGroups</code> in the
          app config (for example{' '}
          <code>incidentOps.tiers.L2.assignmentGroups</code>
          ); its tickets take that tier the next time they change in ServiceNow.
          Tickets with no group stay at triage until someone assigns them.
        </Typography>
      </Box>
    </>
  );
}
