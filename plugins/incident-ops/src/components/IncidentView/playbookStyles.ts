import { makeStyles } from '@material-ui/core';

/** The row of fields and buttons the playbook panel and its steps act through. */
export const useActionRowStyles = makeStyles(theme => ({
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));
