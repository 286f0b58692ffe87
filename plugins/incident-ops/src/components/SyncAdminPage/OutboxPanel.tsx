import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import { OutboxItem } from '../../api/IncidentOpsApi';
import { formatWhen } from './format';
import { DetailRow } from './DetailRow';
import { useStyles } from './styles';

const OUTBOX_STATES: Array<{ key: string; label: string; help: string }> = [
  { key: 'pending', label: 'Waiting', help: 'queued or waiting to be retried' },
  { key: 'running', label: 'Being written', help: 'claimed by a worker now' },
  {
    key: 'conflict',
    label: 'Refused',
    help: 'ServiceNow had a newer change; not written',
  },
  { key: 'done', label: 'Written', help: 'accepted by ServiceNow' },
];

/**
 * The write-backs to the sources: how many are in each state, and those that failed at
 * least once and are not written yet (retrying, or refused) with their last error.
 */
export function OutboxPanel(props: {
  depth?: Record<string, number>;
  failing: OutboxItem[];
}) {
  const classes = useStyles();
  const depth = props.depth ?? {};
  return (
    <>
      <Table size="small" aria-label="Write-backs by state">
        <TableBody>
          {OUTBOX_STATES.map(s => (
            <DetailRow key={s.key} label={s.label}>
              <strong>{depth[s.key] ?? 0}</strong>{' '}
              <span className={classes.secondary}>{s.help}</span>
            </DetailRow>
          ))}
        </TableBody>
      </Table>
      {props.failing.length === 0 ? (
        <Box display="flex" alignItems="center" p={2} gridGap={8}>
          <CheckCircleOutline color="primary" />
          <Typography>No write-back is failing.</Typography>
        </Box>
      ) : (
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
            {props.failing.map(o => (
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
