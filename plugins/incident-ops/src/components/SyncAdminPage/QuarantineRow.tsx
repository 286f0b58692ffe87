import {
  Button,
  Collapse,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useId, useState } from 'react';
import { QuarantinedRecord } from '../../api/IncidentOpsApi';
import { formatWhen, providerLabel } from './format';
import { useStyles } from './styles';

export function QuarantineRow(props: { record: QuarantinedRecord }) {
  const { record } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const payloadId = useId();
  const name = record.number ?? record.key;
  return (
    <>
      <TableRow data-testid={`quarantine-${record.provider}-${record.key}`}>
        <TableCell className={classes.nowrap}>
          <Typography variant="body2">{name}</Typography>
          {record.number && record.number !== record.key && (
            <Typography
              variant="caption"
              className={`${classes.secondary} ${classes.mono}`}
            >
              {record.key}
            </Typography>
          )}
        </TableCell>
        <TableCell className={classes.nowrap}>
          {providerLabel(record.provider)}
        </TableCell>
        <TableCell>{record.reason}</TableCell>
        <TableCell align="right">{record.occurrences}</TableCell>
        <TableCell className={classes.nowrap}>
          {formatWhen(record.firstSeenAt)}
        </TableCell>
        <TableCell className={classes.nowrap}>
          {formatWhen(record.lastSeenAt)}
        </TableCell>
        <TableCell className={classes.nowrap}>
          <Button
            size="small"
            aria-expanded={open}
            aria-controls={open ? payloadId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} payload of ${name}`}
            startIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            onClick={() => setOpen(o => !o)}
          >
            {open ? 'Hide' : 'Show'}
          </Button>
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell colSpan={7} className={classes.payloadCell}>
          <Collapse in={open} unmountOnExit>
            <pre
              id={payloadId}
              className={classes.payload}
              role="region"
              aria-label={`Payload of ${name}`}
            >
              {record.payload === undefined
                ? 'No payload stored'
                : JSON.stringify(record.payload, null, 2)}
            </pre>
          </Collapse>
        </TableCell>
      </TableRow>
    </>
  );
}
