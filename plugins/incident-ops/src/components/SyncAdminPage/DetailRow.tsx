import { TableCell, TableRow } from '@material-ui/core';
import { ReactNode } from 'react';
import { useStyles } from './styles';

export function DetailRow(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell
        component="th"
        scope="row"
        role="rowheader"
        className={classes.label}
      >
        {props.label}
      </TableCell>
      <TableCell className={classes.value}>{props.children}</TableCell>
    </TableRow>
  );
}
