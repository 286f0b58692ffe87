import type { ReportResponse } from '@acme/plugin-incident-ops-common';
import { InfoCard } from '@backstage/core-components';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Cut } from './Cut';
import { useStyles } from './styles';

/** P2s flagged as recurring, by entity and ticket type, for the stakeholder review. */
export function RecurringCard(props: { report: ReportResponse }) {
  const classes = useStyles();
  const groups = props.report.recurringP2s;
  const listed = groups.reduce((n, g) => n + g.incidents.length, 0);
  return (
    <InfoCard
      title="Recurring P2s"
      subheader="For the weekly stakeholder review"
    >
      {groups.length === 0 ? (
        <Typography className={classes.muted}>
          No P2 was flagged as recurring.
        </Typography>
      ) : (
        <Table size="small" aria-label="Recurring P2s">
          <TableHead>
            <TableRow>
              <TableCell>Entity</TableCell>
              <TableCell>Ticket type</TableCell>
              <TableCell>Incidents</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {groups.map(g => (
              <TableRow key={`${g.configurationItem}/${g.ticketType}`}>
                <TableCell>{g.configurationItem ?? '—'}</TableCell>
                <TableCell>{g.ticketType ?? 'unclassified'}</TableCell>
                <TableCell>
                  {g.incidents.map(i => i.number).join(', ')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Cut
        listed={listed}
        total={props.report.recurringP2sTotal ?? listed}
        what="P2s flagged as recurring"
      />
    </InfoCard>
  );
}
