import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { OutboxItem } from '../../api/IncidentOpsApi';
import { formatWhen } from './format';
import { AllClear } from './AllClear';
import { DetailRow } from './DetailRow';
import { RefusedActions, RefusedItem } from './RefusedRow';
import { RefusedTable } from './RefusedTable';
import { useStyles } from './styles';

const OUTBOX_STATES: Array<{ key: string; label: string; help: string }> = [
  { key: 'pending', label: 'Waiting', help: 'queued or waiting to be retried' },
  { key: 'running', label: 'Being written', help: 'claimed by a worker now' },
  {
    key: 'refused',
    label: 'Refused',
    help: 'ServiceNow will not take it, or out of attempts; waits for an admin',
  },
  {
    key: 'conflict',
    label: 'Conflict',
    help: 'ServiceNow had a newer change; not written',
  },
  { key: 'done', label: 'Written', help: 'accepted by ServiceNow' },
  { key: 'discarded', label: 'Discarded', help: 'given up by an admin' },
];

/** A refused write-back as the refused table shows it. */
function refusedItem(o: OutboxItem): RefusedItem {
  return {
    id: o.id,
    label: o.number ?? o.key,
    detail: o.key.split(':')[0],
    reason: o.lastError,
    attempts: o.attempts,
    at: o.doneAt ?? o.createdAt,
  };
}

/**
 * The write-backs to the sources: how many are in each state; the refused ones first, with
 * Re-queue and Discard for admins; then those retrying or in conflict with their last error.
 */
export function OutboxPanel(props: {
  depth?: Record<string, number>;
  failing: OutboxItem[];
  actions?: RefusedActions;
}) {
  const classes = useStyles();
  const depth = props.depth ?? {};
  const refused = props.failing.filter(o => o.status === 'refused');
  const retrying = props.failing.filter(o => o.status !== 'refused');
  return (
    <>
      <Table size="small" aria-label="Write-backs by state">
        <TableBody>
          {OUTBOX_STATES.map(s => (
            <DetailRow key={s.key} label={s.label}>
              <strong
                className={
                  s.key === 'refused' && depth.refused ? classes.refused : ''
                }
              >
                {depth[s.key] ?? 0}
              </strong>{' '}
              <span className={classes.secondary}>{s.help}</span>
            </DetailRow>
          ))}
        </TableBody>
      </Table>
      {refused.length > 0 && (
        <Box mt={2}>
          <Typography
            variant="subtitle2"
            className={`${classes.sectionTitle} ${classes.refused}`}
          >
            Refused: {refused.length} waiting for an admin, holding later
            write-backs to their incidents
          </Typography>
          <RefusedTable
            what="write-back"
            items={refused.map(refusedItem)}
            actions={props.actions}
          />
        </Box>
      )}
      {props.failing.length === 0 && (
        <AllClear>No write-back is failing.</AllClear>
      )}
      {retrying.length > 0 && refused.length > 0 && (
        <Typography variant="subtitle2" className={classes.sectionTitle}>
          Retrying or in conflict
        </Typography>
      )}
      {retrying.length > 0 && (
        <Table size="small" aria-label="Failing write-backs">
          <TableHead>
            <TableRow className={classes.nowrap}>
              <TableCell>Incident</TableCell>
              <TableCell>State</TableCell>
              <TableCell align="right">Attempts</TableCell>
              <TableCell>Last error</TableCell>
              <TableCell>Next attempt</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {retrying.map(o => (
              <TableRow key={o.id} data-testid={`outbox-${o.id}`}>
                <TableCell className={classes.nowrap}>
                  {o.number ?? o.key}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {OUTBOX_STATES.find(s => s.key === o.status)?.label ??
                    o.status}
                </TableCell>
                <TableCell align="right">{o.attempts}</TableCell>
                <TableCell>{o.lastError ?? '—'}</TableCell>
                <TableCell className={classes.nowrap}>
                  {o.nextAttemptAt ? formatWhen(o.nextAttemptAt) : '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
