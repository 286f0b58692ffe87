import type { ReportResponse } from '@acme/plugin-incident-ops-common';
import { InfoCard } from '@backstage/core-components';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import { useStyles } from './styles';

/** KB usage: suggestions, feedback, KB-exhausted tickets, best and worst articles. */
export function KbUsageCard(props: { report: ReportResponse }) {
  const classes = useStyles();
  const kb = props.report.kb;
  const list = (title: string, items: typeof kb.mostHelpful) => (
    <Box mt={2}>
      <Typography variant="subtitle2">{title}</Typography>
      {items.length === 0 ? (
        <Typography variant="body2" className={classes.muted}>
          None
        </Typography>
      ) : (
        <Table size="small" aria-label={title}>
          <TableBody>
            {items.map(a => (
              <TableRow key={`${a.source}/${a.article}`}>
                <TableCell>
                  {a.title ?? a.article}
                  <Typography variant="caption" className={classes.muted}>
                    {' '}
                    {a.article}
                  </Typography>
                </TableCell>
                <TableCell align="right" className={classes.number}>
                  {a.helpful} helpful · {a.notHelpful} not · {a.shown} shown
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
  return (
    <InfoCard title="KB usage">
      <Table size="small" aria-label="KB usage">
        <TableBody>
          {(
            [
              ['Suggestions shown', kb.suggestionsShown],
              ['Tickets with suggestions', kb.ticketsWithSuggestions],
              ['Marked helpful', kb.markedHelpful],
              ['Marked not helpful', kb.markedNotHelpful],
              ['KB-exhausted tickets', kb.kbExhaustedTickets],
              ['Solved before a ticket ("This solved it")', kb.deflections],
            ] as const
          ).map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row">
                {label}
              </TableCell>
              <TableCell align="right" className={classes.number}>
                {value}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {list('Helped most', kb.mostHelpful)}
      {list('Helped least', kb.leastHelpful)}
    </InfoCard>
  );
}
