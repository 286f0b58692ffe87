import type { ReactNode } from 'react';
import { Alert } from '@material-ui/lab';

/** An error in a panel or dialog: announced to screen readers; long messages wrap. */
export function ErrorAlert(props: { children: ReactNode }) {
  return (
    <Alert severity="error" role="alert" style={{ overflowWrap: 'anywhere' }}>
      {props.children}
    </Alert>
  );
}
