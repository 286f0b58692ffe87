import { makeStyles } from '@material-ui/core';

/** The styles the incident summary's cells share. */
export const useSummaryStyles = makeStyles(theme => ({
  secondary: { color: theme.palette.text.secondary },
  nowrap: { whiteSpace: 'nowrap' },
  incidentCell: { width: '45%', minWidth: 240 },
}));
