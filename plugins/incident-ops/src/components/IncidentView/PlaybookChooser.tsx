import { Box, Button, MenuItem, TextField } from '@material-ui/core';
import { useState } from 'react';
import type { PlaybookRunView } from '../../api/IncidentOpsApi';
import { useActionRowStyles } from './playbookStyles';

/** For a ticket type no playbook is mapped to: pick one of the playbooks and start it. */
export function PlaybookChooser(props: {
  number: string;
  available: PlaybookRunView['available'];
  onStart: (playbookId: string) => void;
}) {
  const { number, available, onStart } = props;
  const classes = useActionRowStyles();
  const [choice, setChoice] = useState('');
  return (
    <Box className={classes.actions}>
      <TextField
        select
        size="small"
        variant="outlined"
        label="Run a playbook"
        value={choice}
        onChange={e => setChoice(e.target.value)}
        style={{ minWidth: 260 }}
        id={`playbook-choice-${number}`}
      >
        {available.map(p => (
          <MenuItem key={p.id} value={p.id}>
            {p.title}
          </MenuItem>
        ))}
      </TextField>
      <Button
        variant="contained"
        color="primary"
        disabled={!choice}
        onClick={() => onStart(choice)}
      >
        Start
      </Button>
    </Box>
  );
}
