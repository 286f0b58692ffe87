import type { SlaClock } from '@acme/plugin-incident-ops-common';
import { TableCell, Tooltip, Typography } from '@material-ui/core';
import type { CommunicationDue } from '../../../api/IncidentOpsApi';
import { formatAge } from '../format';
import { NextUpdate } from '../NextUpdate';
import { SlaClockLabel } from '../SlaClockLabel';
import { useSummaryStyles } from './styles';

/** The SLA clock, the update owed next, and how long ago the incident was opened. */
export function SlaAgeCell(props: {
  sla?: SlaClock;
  due?: CommunicationDue;
  openedAt: string;
}) {
  const { sla, due, openedAt } = props;
  const classes = useSummaryStyles();
  return (
    <TableCell>
      <SlaClockLabel sla={sla} />
      <NextUpdate due={due} />
      <Tooltip title={new Date(openedAt).toUTCString()}>
        <Typography
          variant="caption"
          display="block"
          className={classes.secondary}
        >
          opened {formatAge(openedAt)}
        </Typography>
      </Tooltip>
    </TableCell>
  );
}
