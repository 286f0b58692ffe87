import { Typography } from '@material-ui/core';
import { useStyles } from './styles';

/** Says that a list shows only some of what there is ("Showing 50 of 73 …"). */
export function Cut(props: { listed: number; total: number; what: string }) {
  const classes = useStyles();
  if (props.total <= props.listed) return null;
  return (
    <Typography variant="caption" className={classes.cut} role="note">
      Showing {props.listed} of {props.total} {props.what}; the rest are left
      out.
    </Typography>
  );
}
