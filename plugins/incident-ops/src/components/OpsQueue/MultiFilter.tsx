import {
  Checkbox,
  FormControl,
  InputLabel,
  ListItemText,
  MenuItem,
  Select,
} from '@material-ui/core';
import { useId } from 'react';

/** A filter that takes several values, as a labelled multiple select. */
export function MultiFilter<T extends string>(props: {
  label: string;
  values: readonly T[];
  selected: T[];
  labelOf?: (v: T) => string;
  onChange: (values: T[]) => void;
  className: string;
}) {
  const { label, values, selected, labelOf = v => v, onChange } = props;
  const id = useId();
  return (
    <FormControl className={props.className} size="small">
      <InputLabel id={`${id}-label`}>{label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        multiple
        value={selected}
        onChange={e => onChange(e.target.value as T[])}
        renderValue={v =>
          (v as T[]).length === values.length
            ? 'All'
            : (v as T[]).map(labelOf).join(', ')
        }
        SelectDisplayProps={
          { 'aria-label': `Filter by ${label.toLowerCase()}` } as any
        }
      >
        {values.map(v => (
          <MenuItem key={v} value={v}>
            <Checkbox size="small" checked={selected.includes(v)} />
            <ListItemText primary={labelOf(v)} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
