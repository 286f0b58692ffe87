import { Box, TextField, Typography, makeStyles } from '@material-ui/core';
import type { PlaybookRunView } from '../../api/IncidentOpsApi';

const useStyles = makeStyles(theme => ({
  field: {
    '& label': {
      maxWidth: 'calc(133% - 32px)',
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    },
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
}));

/**
 * The values the run's templates are filled with, each saying where it comes from; the
 * engineer gives those the ticket lacks or corrects the others.
 */
export function PlaybookFields(props: {
  number: string;
  fields: PlaybookRunView['fields'];
  /** The fields that have no value. */
  missing: string[];
  /** What the engineer typed, not saved yet. */
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
  disabled: boolean;
}) {
  const { number, fields, missing, values, onChange, disabled } = props;
  const classes = useStyles();
  return (
    <Box mt={1}>
      <Typography variant="subtitle2" component="h4" gutterBottom>
        Values the templates are filled with
      </Typography>
      <div className={classes.fields}>
        {fields.map(f => {
          const needed = missing.includes(f.name) && !values[f.name];
          return (
            <TextField
              key={f.name}
              className={classes.field}
              title={f.label}
              id={`field-${number}-${f.name}`}
              size="small"
              variant="outlined"
              label={f.label}
              value={values[f.name] ?? f.value ?? ''}
              onChange={e => onChange(f.name, e.target.value)}
              error={needed}
              helperText={(() => {
                if (needed) return 'Needed: not found in the ticket';
                if (values[f.name] !== undefined)
                  return 'Yours: saved with the next step';
                if (f.source === 'incident') return 'Read from the ticket';
                return f.source === 'default' ? 'Default' : f.description;
              })()}
              disabled={disabled}
              inputProps={{ maxLength: 500 }}
            />
          );
        })}
      </div>
    </Box>
  );
}
