import {
  STATUS_LABEL,
  type IncidentStatus,
} from '@acme/plugin-incident-ops-common';
import { useApi } from '@backstage/core-plugin-api';
import { MenuItem, TextField, Typography } from '@material-ui/core';
import { useId, useState } from 'react';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { DialogForm } from '../common/DialogForm';
import { NoteField } from '../common/NoteField';
import { transitionLabel } from '../common/format';
import { messageOf } from '../common/messages';

/** ServiceNow close codes (the Resolution code field). */
export const CLOSE_CODES = [
  'Solution provided',
  'Workaround provided',
  'Resolved by change',
  'Resolved by problem',
  'Resolved by caller',
  'Known error',
  'Duplicate',
  'Not solved (not reproducible)',
  'No resolution provided',
];

/** Moves a ticket to `to` with a work note; resolving takes a code and close notes. */
export function TransitionDialog(props: {
  number: string;
  from: IncidentStatus;
  to: IncidentStatus;
  /** Playbook verification steps not verified: resolving needs an override reason. */
  unverified: string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { number, from, to, unverified, onClose, onDone } = props;
  const api = useApi(incidentOpsApiRef);
  const fieldId = useId();
  const resolving = to === 'resolved';
  const [note, setNote] = useState('');
  const [closeCode, setCloseCode] = useState(CLOSE_CODES[0]);
  const [override, setOverride] = useState('');
  // the backend names unverified steps too, when the view did not know of them yet
  const [askOverride, setAskOverride] = useState(
    resolving && unverified.length > 0,
  );

  const submit = async () => {
    try {
      await api.transition(number, {
        to,
        note: note.trim() || undefined,
        closeCode: resolving ? closeCode : undefined,
        overrideReason:
          askOverride && override.trim() ? override.trim() : undefined,
      });
    } catch (err) {
      if (resolving && /overrideReason/.test(messageOf(err))) {
        setAskOverride(true);
      }
      throw err;
    }
    onDone();
  };

  return (
    <DialogForm
      title={`${transitionLabel(from, to)} ${number}`}
      submitLabel={transitionLabel(from, to)}
      busyLabel="Saving…"
      ready={!(resolving && !note.trim()) && !(askOverride && !override.trim())}
      onSubmit={submit}
      onClose={onClose}
    >
      <Typography variant="body2" gutterBottom>
        From {STATUS_LABEL[from]} to {STATUS_LABEL[to]}. The change is written
        back to ServiceNow with a work note.
      </Typography>
      {resolving && (
        <TextField
          id={`${fieldId}-code`}
          select
          label="Resolution code"
          value={closeCode}
          onChange={e => setCloseCode(e.target.value)}
          fullWidth
          margin="normal"
        >
          {CLOSE_CODES.map(c => (
            <MenuItem key={c} value={c}>
              {c}
            </MenuItem>
          ))}
        </TextField>
      )}
      <NoteField
        id={`${fieldId}-note`}
        label={resolving ? 'Resolution note' : 'Work note (optional)'}
        helperText={
          resolving
            ? 'Required: it becomes the ServiceNow close notes.'
            : 'Added to the work note in ServiceNow.'
        }
        value={note}
        onChange={e => setNote(e.target.value)}
        required={resolving}
      />
      {askOverride && (
        <NoteField
          id={`${fieldId}-override`}
          label="Override reason"
          helperText={`The playbook's verification ${
            unverified.length ? `(${unverified.join(', ')}) ` : ''
          }is not verified: say why it can be resolved anyway. It is kept in the timeline and the audit log.`}
          value={override}
          onChange={e => setOverride(e.target.value)}
          required
          minRows={2}
        />
      )}
    </DialogForm>
  );
}
