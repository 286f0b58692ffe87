import type { Tier } from '@acme/plugin-incident-ops-common';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  FormControl,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useId, useState } from 'react';
import { EscalationTrigger, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { DialogForm } from '../common/DialogForm';
import { NoteField } from '../common/NoteField';

const useStyles = makeStyles(theme => ({
  hint: { color: theme.palette.text.secondary },
  trigger: { alignItems: 'flex-start', marginBottom: theme.spacing(1) },
}));

export const TRIGGERS: Array<{
  value: EscalationTrigger;
  label: string;
  help: string;
}> = [
  {
    value: 'stakeholder-request',
    label: 'Stakeholder request',
    help: 'A stakeholder or the requestor asked for it to go up.',
  },
  {
    value: 'architectural-impact',
    label: 'Architectural impact',
    help: 'The fix changes the platform: the Evangelists and architects decide.',
  },
  {
    value: 'complexity',
    label: 'Complexity',
    help: 'Beyond what this tier can do: skills, access or time.',
  },
  {
    value: 'kb-exhausted',
    label: 'KB exhausted',
    help: 'No knowledge article or playbook answers it.',
  },
];

/** Escalates a ticket one tier up, with the trigger and a note for the receiving tier. */
export function EscalateDialog(props: {
  number: string;
  from: Tier;
  onClose: () => void;
  onDone: (explanation: string) => void;
}) {
  const { number, from, onClose, onDone } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const noteId = useId();
  const to: Tier = from === 'L1' ? 'L2' : 'L3';
  const [trigger, setTrigger] = useState<EscalationTrigger>();
  const [note, setNote] = useState('');

  const submit = async () => {
    const { decision } = await api.escalate(number, {
      trigger: trigger!,
      note: note.trim(),
    });
    onDone(decision.explanation);
  };

  return (
    <DialogForm
      title={`Escalate ${number} from ${from} to ${to}${
        to === 'L3' ? ' (Evangelist)' : ''
      }`}
      submitLabel={`Escalate to ${to}`}
      busyLabel="Escalating…"
      ready={!!trigger && !!note.trim()}
      onSubmit={submit}
      onClose={onClose}
    >
      <FormControl component="fieldset" required fullWidth>
        <FormLabel component="legend">Trigger</FormLabel>
        <RadioGroup
          aria-label="Trigger"
          name="trigger"
          value={trigger ?? ''}
          onChange={e => setTrigger(e.target.value as EscalationTrigger)}
        >
          {TRIGGERS.map(t => (
            <FormControlLabel
              key={t.value}
              value={t.value}
              className={classes.trigger}
              control={<Radio />}
              label={
                <Box pt={1}>
                  <Typography variant="body2">{t.label}</Typography>
                  <Typography variant="caption" className={classes.hint}>
                    {t.help}
                  </Typography>
                </Box>
              }
            />
          ))}
        </RadioGroup>
      </FormControl>
      <NoteField
        id={noteId}
        label="Note for the receiving tier"
        helperText="Required: what was tried and why it goes up. It is the escalation's explanation in the timeline and the ServiceNow work note."
        value={note}
        onChange={e => setNote(e.target.value)}
        required
      />
    </DialogForm>
  );
}
