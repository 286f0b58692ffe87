import { makeStyles } from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';

/** The contact tree's styles, shared by its parts. */
export const useStyles = makeStyles(theme => ({
  // levels side by side when the card is wide, one above the other when it is narrow
  levels: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))',
  },
  level: {
    padding: theme.spacing(1, 2),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  levelTitle: {
    color: theme.palette.text.secondary,
    fontWeight: 600,
    letterSpacing: '0.06em',
  },
  item: { paddingLeft: 0, paddingRight: 0 },
  icon: { minWidth: 36, marginTop: 2, color: theme.palette.text.secondary },
  name: { fontWeight: 600, marginRight: theme.spacing(1) },
  chip: { marginRight: theme.spacing(0.5), height: 20 },
  secondary: { color: theme.palette.text.secondary },
  inherited: { color: theme.palette.text.secondary, fontStyle: 'italic' },
  reach: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5, 2),
    marginTop: theme.spacing(0.25),
  },
  reachItem: { display: 'inline-flex', alignItems: 'center', gap: 4 },
  reachIcon: { fontSize: 16, color: theme.palette.text.secondary },
  gap: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    margin: theme.spacing(0.5, 0),
    padding: theme.spacing(0.5, 1),
    borderLeft: `3px solid ${theme.palette.warning.main}`,
    backgroundColor: alpha(
      theme.palette.warning.main,
      theme.palette.type === 'dark' ? 0.18 : 0.1,
    ),
  },
  gapIcon: { color: theme.palette.warning.main },
  members: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2) },
  membersButton: {
    padding: 0,
    marginTop: theme.spacing(0.25),
    minWidth: 0,
    textTransform: 'none',
  },
  header: { padding: theme.spacing(1, 2, 1.5) },
}));
