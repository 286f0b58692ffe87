import { makeStyles } from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';

/** The matrix' styles, shared by its parts. */
export const useStyles = makeStyles(theme => ({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 180 },
  table: { '& th, & td': { verticalAlign: 'top' } },
  headCell: { whiteSpace: 'nowrap', fontWeight: 600 },
  // each cluster starts a group of rows
  clusterRow: {
    '&:not(:first-child) > *': {
      borderTop: `2px solid ${theme.palette.divider}`,
    },
  },
  entityCell: { whiteSpace: 'nowrap' },
  clusterName: { fontWeight: 700 },
  namespaceName: { paddingLeft: theme.spacing(2) },
  kind: { color: theme.palette.text.secondary, display: 'block' },
  inherited: { color: theme.palette.text.secondary },
  inheritedNote: {
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
    display: 'block',
  },
  ownNote: {
    color: theme.palette.text.primary,
    fontWeight: 600,
    display: 'block',
  },
  gapCell: {
    backgroundColor: alpha(
      theme.palette.warning.main,
      theme.palette.type === 'dark' ? 0.22 : 0.14,
    ),
    boxShadow: `inset 3px 0 0 ${theme.palette.warning.main}`,
  },
  gapLabel: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 4,
    fontWeight: 600,
    color: theme.palette.text.primary,
  },
  gapIcon: { color: theme.palette.warning.main },
  holder: { display: 'block' },
  missing: { color: theme.palette.error.main },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 3),
    marginBottom: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  legendSample: { display: 'inline', marginRight: theme.spacing(0.75) },
  legendGap: { marginRight: theme.spacing(0.75), verticalAlign: 'middle' },
}));
