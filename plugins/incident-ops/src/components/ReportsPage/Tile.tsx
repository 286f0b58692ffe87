import { Paper, Typography, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  tile: { padding: theme.spacing(2), height: '100%' },
  tileValue: {
    fontSize: '1.6rem',
    whiteSpace: 'nowrap',
    fontWeight: 600,
    lineHeight: 1.2,
    fontVariantNumeric: 'tabular-nums',
  },
  tileLabel: { color: theme.palette.text.secondary },
  tileNote: { color: theme.palette.text.secondary, marginTop: 4 },
}));

/** A headline figure: its label, the value large, and a note below. */
export function Tile(props: { label: string; value: string; note?: string }) {
  const classes = useStyles();
  return (
    <Paper
      className={classes.tile}
      variant="outlined"
      role="group"
      aria-label={props.label}
    >
      <Typography variant="body2" className={classes.tileLabel}>
        {props.label}
      </Typography>
      <div className={classes.tileValue}>{props.value}</div>
      {props.note && (
        <Typography
          variant="caption"
          component="div"
          className={classes.tileNote}
        >
          {props.note}
        </Typography>
      )}
    </Paper>
  );
}
