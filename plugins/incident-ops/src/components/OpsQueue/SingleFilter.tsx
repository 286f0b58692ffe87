import { FormControl, InputLabel, MenuItem, Select } from '@material-ui/core';
import { useId } from 'react';

/** A filter that takes one value, as a labelled select. */
export function SingleFilter(props: {
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
  className: string;
}) {
  const id = useId();
  return (
    <FormControl className={props.className} size="small">
      <InputLabel id={`${id}-label`}>{props.label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={props.value}
        onChange={e => props.onChange(e.target.value as string)}
        SelectDisplayProps={{ 'aria-label': `${props.label}` } as any}
      >
        {props.options.map(o => (
          <MenuItem key={o.value} value={o.value}>
            {o.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
