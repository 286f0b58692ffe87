import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import { FormEvent, ReactNode, useId, useState } from 'react';
import { ErrorAlert } from './ErrorAlert';
import { messageOf } from './messages';

/**
 * A form in a dialog: title, fields, Cancel and a submit button that reads `busyLabel`
 * while `onSubmit` runs. When `onSubmit` throws, what the backend said is shown above the
 * buttons and the form can be sent again.
 */
export function DialogForm(props: {
  title: ReactNode;
  submitLabel: string;
  busyLabel: string;
  /** Whether the fields are filled in enough to send. */
  ready: boolean;
  onSubmit: () => Promise<void>;
  onClose: () => void;
  /** How wide the dialog may grow; `sm` unless a form needs more. */
  maxWidth?: 'sm' | 'md';
  children: ReactNode;
}) {
  const { title, submitLabel, busyLabel, ready, onSubmit, onClose } = props;
  const titleId = useId();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth={props.maxWidth ?? 'sm'}
    >
      {/* a flex column, so that the fields scroll between a fixed title and buttons */}
      <form
        onSubmit={submit}
        style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}
      >
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          {props.children}
          {error && <ErrorAlert>{error}</ErrorAlert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !ready}
          >
            {busy ? busyLabel : submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
