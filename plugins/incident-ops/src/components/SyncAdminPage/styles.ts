import { makeStyles } from '@material-ui/core';
import { breachedText } from '../common/emphasis';

export const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
    width: '40%',
    borderBottomColor: theme.palette.divider,
  },
  value: { borderBottomColor: theme.palette.divider },
  lag: { fontWeight: 600 },
  secondary: { color: theme.palette.text.secondary },
  nowrap: { whiteSpace: 'nowrap' },
  mono: { fontFamily: 'monospace', wordBreak: 'break-all' },
  payloadCell: { paddingTop: 0, paddingBottom: 0 },
  payload: {
    margin: theme.spacing(1, 0, 2),
    padding: theme.spacing(1.5),
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    color: theme.palette.text.primary,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  controls: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  outcome: { marginBottom: theme.spacing(2) },
  problem: { '& + &': { marginTop: theme.spacing(1.5) } },
  reason: { display: 'block', overflowWrap: 'anywhere', opacity: 0.85 },
  reasonCell: { minWidth: 280, overflowWrap: 'anywhere' },
  note: { padding: theme.spacing(1, 2, 2) },
  sectionTitle: { padding: theme.spacing(2, 2, 1) },
  refused: breachedText(theme),
}));
