import {
  ACCOUNTABLE_ROLE_LABEL,
  OwnershipCell,
  OwnershipMatrix,
  OwnershipRow,
  ROLE_ANNOTATIONS,
} from '@acme/plugin-incident-ops-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { TableCell, Typography } from '@material-ui/core';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import { nameOf } from './nameOf';
import { useStyles } from './styles';

/** One role on one row: its holders, and whether it is inherited, set on the namespace or a gap. */
export function MatrixCell(props: {
  cell: OwnershipCell;
  row: OwnershipRow;
  people: Map<string, OwnershipMatrix['people'][number]>;
}) {
  const { cell, row, people } = props;
  const classes = useStyles();
  const role = ACCOUNTABLE_ROLE_LABEL[cell.role];
  const holders = cell.holders.map(ref => {
    const person = people.get(ref);
    return (
      <span key={ref} className={classes.holder}>
        {person && !person.missing ? (
          <EntityRefLink entityRef={ref} title={person.name} />
        ) : (
          <span className={classes.missing}>{ref} (not in the catalog)</span>
        )}
      </span>
    );
  });
  if (cell.gap) {
    return (
      <TableCell
        className={classes.gapCell}
        data-gap="true"
        aria-label={`${role} of ${row.name}: gap, nobody holds it`}
        title={`Set ${ROLE_ANNOTATIONS[cell.role]} on ${
          row.type === 'namespace' && row.cluster
            ? `${row.name} or its cluster ${nameOf(row.cluster)}`
            : row.name
        }`}
      >
        <span className={classes.gapLabel}>
          <WarningIcon
            fontSize="small"
            className={classes.gapIcon}
            aria-hidden
          />
          Gap
        </span>
        {holders}
      </TableCell>
    );
  }
  return (
    <TableCell className={cell.inherited ? classes.inherited : undefined}>
      {holders}
      {cell.inherited ? (
        <Typography variant="caption" className={classes.inheritedNote}>
          inherited from {nameOf(cell.from)}
        </Typography>
      ) : (
        row.type === 'namespace' && (
          <Typography variant="caption" className={classes.ownNote}>
            set on namespace
          </Typography>
        )
      )}
    </TableCell>
  );
}
