import type { PlaybookField } from '@acme/plugin-incident-ops-common';
import { makeStyles } from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';
import { Fragment } from 'react';

const useStyles = makeStyles(theme => ({
  placeholder: {
    fontFamily: 'monospace',
    fontWeight: 600,
    color: theme.palette.primary.main,
    backgroundColor: alpha(theme.palette.primary.main, 0.1),
    borderRadius: 3,
    padding: '0 2px',
    whiteSpace: 'nowrap',
  },
  code: { fontFamily: 'monospace', overflowWrap: 'anywhere' },
}));

// `{{name}}` and `{{name | filter}}`, as the backend fills them; one capture group, so
// String.split puts the placeholders at the odd indices
const PLACEHOLDER =
  /(\{\{\s*[A-Za-z][A-Za-z0-9]*\s*(?:\|\s*[A-Za-z]+\s*)?\}\})/;
const NAME = /\{\{\s*([A-Za-z][A-Za-z0-9]*)/;
// `inline code`, as the playbook files write commands
const CODE = /(`[^`\n]+`)/;

/** What a field stands for, for a placeholder's tooltip: "Source namespace". */
function describe(name: string, fields?: Record<string, PlaybookField>) {
  const field = fields?.[name];
  return field ? `${field.label} (${name})` : name;
}

/** Text with each `{{placeholder}}` marked and named (its field's label on hover). */
export function Placeholders(props: {
  text: string;
  fields?: Record<string, PlaybookField>;
}) {
  const classes = useStyles();
  return (
    <>
      {props.text.split(PLACEHOLDER).map((part, i) => {
        if (i % 2 === 0) return <Fragment key={i}>{part}</Fragment>;
        const name = NAME.exec(part)![1];
        return (
          <span
            key={i}
            className={classes.placeholder}
            title={describe(name, props.fields)}
            data-placeholder={name}
          >
            {part}
          </span>
        );
      })}
    </>
  );
}

/**
 * A playbook's instruction or check: `inline code` set as code, placeholders marked. The
 * playbook files use no other markup.
 */
export function PlaybookText(props: {
  text: string;
  fields?: Record<string, PlaybookField>;
}) {
  const classes = useStyles();
  return (
    <>
      {props.text.split(CODE).map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className={classes.code}>
            <Placeholders text={part.slice(1, -1)} fields={props.fields} />
          </code>
        ) : (
          <Placeholders key={i} text={part} fields={props.fields} />
        ),
      )}
    </>
  );
}
