import type { Theme } from '@material-ui/core';

/** Bold text in a palette colour, readable on a light or a dark theme. */
const boldIn = (colour: 'error' | 'warning') => (theme: Theme) => ({
  color:
    theme.palette.type === 'dark'
      ? theme.palette[colour].light
      : theme.palette[colour].dark,
  fontWeight: 600,
});

/** A limit passed: breached, overdue. */
export const breachedText = boldIn('error');

/** Close to a limit. */
export const warningText = boldIn('warning');
