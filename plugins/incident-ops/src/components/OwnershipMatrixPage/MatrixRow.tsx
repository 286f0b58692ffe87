import {
  OwnershipMatrix,
  OwnershipRow,
} from '@acme/plugin-incident-ops-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { TableCell, TableRow, Typography } from '@material-ui/core';
import { MatrixCell } from './MatrixCell';
import { nameOf } from './nameOf';
import { useStyles } from './styles';

/** One cluster or namespace: its name and kind, its domain, and a cell per role. */
export function MatrixRow(props: {
  row: OwnershipRow;
  roles: OwnershipMatrix['roles'];
  people: Map<string, OwnershipMatrix['people'][number]>;
  domainTitle: (name: string) => string;
}) {
  const { row, roles, people, domainTitle } = props;
  const classes = useStyles();
  return (
    <TableRow
      data-testid={`matrix-row-${row.name}`}
      className={row.type === 'cluster' ? classes.clusterRow : undefined}
    >
      <TableCell
        component="th"
        scope="row"
        // MUI gives a cell with a component role="cell"; this one heads its row
        role="rowheader"
        className={classes.entityCell}
      >
        <span
          className={
            row.type === 'cluster' ? classes.clusterName : classes.namespaceName
          }
        >
          <EntityRefLink entityRef={row.entityRef} title={row.name} />
        </span>
        <Typography
          variant="caption"
          className={`${classes.kind} ${
            row.type === 'namespace' ? classes.namespaceName : ''
          }`}
        >
          {row.type === 'cluster'
            ? 'cluster'
            : `namespace${row.cluster ? ` on ${nameOf(row.cluster)}` : ''}`}
        </Typography>
      </TableCell>
      <TableCell>{row.domain ? domainTitle(row.domain) : '—'}</TableCell>
      {roles.map(role => (
        <MatrixCell
          key={role}
          row={row}
          people={people}
          cell={
            row.cells.find(c => c.role === role) ?? {
              role,
              holders: [],
              inherited: false,
              gap: true,
            }
          }
        />
      ))}
    </TableRow>
  );
}
