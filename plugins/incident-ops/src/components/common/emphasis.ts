import type { Theme } from '@material-ui/core';

/** Bold text in the error colour, readable on a light or a dark theme: a limit passed. */
export const breachedText = (theme: Theme) => ({
  color:
    theme.palette.type === 'dark'
      ? theme.palette.error.light
      : theme.palette.error.dark,
  fontWeight: 600,
});

/** Bold text in the warning colour, readable on a light or a dark theme: close to a limit. */
export const warningText = (theme: Theme) => ({
  color:
    theme.palette.type === 'dark'
      ? theme.palette.warning.light
      : theme.palette.warning.dark,
  fontWeight: 600,
});
