import type { Incident, SlaClock } from '@acme/plugin-incident-ops-common';
import { TableCell, TableRow } from '@material-ui/core';
import type { ReactNode } from 'react';
import type { CommunicationDue } from '../../../api/IncidentOpsApi';
import { PriorityChip } from '../PriorityChip';
import { OnItCell } from './OnItCell';
import { SlaAgeCell } from './SlaAgeCell';
import { StatusTierCell } from './StatusTierCell';
import { useSummaryStyles } from './styles';

/**
 * An incident in a table (the Incidents card, the Ops queue): priority, the incident itself
 * (`children`: its number, link and description), status and tier, who is on it, and the
 * SLA clock with its age.
 */
export function IncidentSummaryRow(props: {
  /** With `triage` when it is at L1 for triage. */
  incident: Incident & { sla?: SlaClock; triage?: boolean };
  children: ReactNode;
  /** Said after the tier, e.g. "Escalates to L2 in 12 min". */
  tierNote?: string;
  /** The update it owes next. */
  due?: CommunicationDue;
  className?: string;
  testId?: string;
}) {
  const { incident, tierNote, due } = props;
  const classes = useSummaryStyles();
  return (
    <TableRow data-testid={props.testId} className={props.className}>
      <TableCell>
        <PriorityChip priority={incident.priority} />
      </TableCell>
      <TableCell className={classes.incidentCell}>{props.children}</TableCell>
      <StatusTierCell
        status={incident.status}
        tier={incident.tier}
        triage={incident.triage}
        tierNote={tierNote}
      />
      <OnItCell
        assignedTo={incident.assignedTo}
        assignmentGroup={incident.assignmentGroup}
      />
      <SlaAgeCell sla={incident.sla} due={due} openedAt={incident.openedAt} />
    </TableRow>
  );
}
