import {
  PlaybookField,
  PlaybookTemplate,
  placeholdersOf,
} from '@acme/plugin-incident-ops-common';
import { Typography, makeStyles } from '@material-ui/core';
import { Placeholders } from './PlaceholderText';

const useStyles = makeStyles(theme => ({
  template: { margin: theme.spacing(1.5, 0, 0) },
  code: {
    margin: theme.spacing(0.5, 0),
    padding: theme.spacing(1.5),
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    overflowX: 'auto',
    fontSize: '0.85rem',
    lineHeight: 1.5,
  },
  legend: { color: theme.palette.text.secondary },
}));

/** A template with its placeholders marked and named. */
export function DefinitionTemplate(props: {
  template: PlaybookTemplate;
  fields: Record<string, PlaybookField>;
}) {
  const { template, fields } = props;
  const classes = useStyles();
  const names = placeholdersOf(template.text);
  return (
    <figure className={classes.template}>
      <Typography variant="body2" component="figcaption">
        <strong>{template.title}</strong> ({template.format})
      </Typography>
      <pre className={classes.code} aria-label={template.title}>
        <Placeholders text={template.text} fields={fields} />
      </pre>
      {names.length > 0 && (
        <Typography variant="caption" component="p" className={classes.legend}>
          Filled from{' '}
          {names.map((name, i) => (
            <span key={name}>
              {i > 0 && ', '}
              <Placeholders text={`{{${name}}}`} fields={fields} />{' '}
              {fields[name]?.label ?? '(no such field)'}
            </span>
          ))}
        </Typography>
      )}
    </figure>
  );
}
