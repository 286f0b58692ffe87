import { TableCell, Typography } from '@material-ui/core';
import { useSummaryStyles } from './styles';

/** Who is on it ("unassigned" when nobody is), and their assignment group. */
export function OnItCell(props: {
  assignedTo?: { name?: string };
  assignmentGroup?: { name?: string };
}) {
  const { assignedTo, assignmentGroup } = props;
  const classes = useSummaryStyles();
  return (
    <TableCell className={classes.nowrap}>
      {assignedTo?.name ?? (
        <span className={classes.secondary}>unassigned</span>
      )}
      {assignmentGroup?.name && (
        <Typography
          variant="caption"
          display="block"
          className={classes.secondary}
        >
          {assignmentGroup.name}
        </Typography>
      )}
    </TableCell>
  );
}
