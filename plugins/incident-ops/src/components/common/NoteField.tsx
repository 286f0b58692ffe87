import { TextField, TextFieldProps } from '@material-ui/core';

/** A free-text note of up to 4,000 characters (ServiceNow's work note), a few rows high. */
export function NoteField(props: TextFieldProps) {
  return (
    <TextField
      multiline
      minRows={3}
      fullWidth
      margin="normal"
      inputProps={{ maxLength: 4000 }}
      {...props}
    />
  );
}
