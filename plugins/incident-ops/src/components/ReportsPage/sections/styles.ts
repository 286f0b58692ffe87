import { makeStyles } from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';
import { warningText } from '../../common/emphasis';

export const useStyles = makeStyles(theme => ({
  number: { fontVariantNumeric: 'tabular-nums' },
  nowrap: { whiteSpace: 'nowrap' },
  good: { color: theme.palette.success.main, fontWeight: 600 },
  fair: warningText(theme),
  poor: { color: theme.palette.error.main, fontWeight: 600 },
  muted: { color: theme.palette.text.secondary },
  recommendation: {
    display: 'block',
    padding: theme.spacing(1.5, 2),
    borderLeft: `4px solid ${theme.palette.primary.main}`,
    marginBottom: theme.spacing(1.5),
    backgroundColor: alpha(theme.palette.primary.main, 0.04),
  },
  evidence: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.75),
    marginTop: theme.spacing(1),
  },
  comment: {
    fontStyle: 'italic',
    color: theme.palette.text.secondary,
    display: 'block',
  },
  kindChip: { marginRight: theme.spacing(1) },
  cut: {
    display: 'block',
    marginTop: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  bar: {
    height: 10,
    borderRadius: 2,
    backgroundColor: theme.palette.primary.main,
  },
}));
