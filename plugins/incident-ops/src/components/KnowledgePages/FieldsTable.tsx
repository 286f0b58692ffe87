import { PlaybookField } from '@acme/plugin-incident-ops-common';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { PlaybookText, Placeholders } from './PlaceholderText';

const useStyles = makeStyles(theme => ({
  legend: { color: theme.palette.text.secondary },
  fieldName: { whiteSpace: 'nowrap' },
  fieldSource: { minWidth: 200 },
  example: { whiteSpace: 'nowrap' },
}));

/** Where a field's value comes from when a run starts. */
export function fieldSource(field: PlaybookField): string {
  const engineer = field.default
    ? `given by the engineer, else ${field.default}`
    : 'given by the engineer';
  return field.from
    ? `The ticket (${field.from}), or ${engineer}`
    : `G${engineer.slice(1)}`;
}

/** The playbook's placeholders: what each holds, where it is filled from, an example. */
export function FieldsTable(props: { fields: Record<string, PlaybookField> }) {
  const classes = useStyles();
  const entries = Object.entries(props.fields);
  return (
    <Table size="small" aria-label="Values the texts use">
      <TableHead>
        <TableRow>
          <TableCell>Placeholder</TableCell>
          <TableCell>Value</TableCell>
          <TableCell>Filled from</TableCell>
          <TableCell>Example</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map(([name, field]) => (
          <TableRow key={name}>
            <TableCell className={classes.fieldName}>
              <Placeholders text={`{{${name}}}`} />
            </TableCell>
            <TableCell>
              {field.label}
              {field.description && (
                <Typography
                  variant="caption"
                  component="p"
                  className={classes.legend}
                >
                  <PlaybookText text={field.description} />
                </Typography>
              )}
            </TableCell>
            <TableCell className={classes.fieldSource}>
              {fieldSource(field)}
            </TableCell>
            <TableCell className={classes.example}>
              {field.example && <code>{field.example}</code>}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
