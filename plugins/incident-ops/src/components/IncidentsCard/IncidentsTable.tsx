import type { EntityIncidentsResponse } from '@acme/plugin-incident-ops-common';
import { Table, TableBody } from '@material-ui/core';
import type { CommunicationDue } from '../../api/IncidentOpsApi';
import { IncidentSummaryHead } from '../common/IncidentSummary';
import { IncidentRow } from './IncidentRow';

const TYPE_LABEL: Record<string, string> = {
  'kubernetes-cluster': 'cluster',
  'kubernetes-namespace': 'namespace',
};

/** The card's table: each open incident, and what it is attached through. */
export function IncidentsTable(props: {
  data: EntityIncidentsResponse;
  /** The Ops tab link for an incident, when the entity has one. */
  opsLinkOf?: (number: string) => string;
  /** The update each incident owes next, by number. */
  dueOf?: (number: string) => CommunicationDue | undefined;
}) {
  const { data, opsLinkOf, dueOf } = props;
  const kinds = new Map(
    data.entities.map(e => [
      e.entityRef,
      TYPE_LABEL[e.type ?? ''] ??
        (e.kind === 'Component' ? 'service' : e.kind.toLowerCase()),
    ]),
  );
  return (
    <Table size="small" aria-label="Open incidents">
      <IncidentSummaryHead />
      <TableBody>
        {data.items.map(i => (
          <IncidentRow
            key={`${i.source}:${i.id}`}
            incident={i}
            kindOf={ref => kinds.get(ref)}
            opsLink={opsLinkOf?.(i.number)}
            due={dueOf?.(i.number)}
          />
        ))}
      </TableBody>
    </Table>
  );
}
