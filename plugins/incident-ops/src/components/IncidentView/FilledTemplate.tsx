import { PlaybookStepView } from '@acme/plugin-incident-ops-common';
import { IconButton, Tooltip, Typography, makeStyles } from '@material-ui/core';
import FileCopyOutlined from '@material-ui/icons/FileCopyOutlined';
import { useState } from 'react';

const useStyles = makeStyles(theme => ({
  template: {
    position: 'relative',
    margin: theme.spacing(1, 0),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.default,
  },
  templateHead: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    padding: theme.spacing(0.5, 1),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  code: {
    margin: 0,
    padding: theme.spacing(1),
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    color: theme.palette.text.primary,
  },
}));

/** A filled template, ready to paste, with a copy button. */
export function FilledTemplate(props: {
  template: PlaybookStepView['templates'][number];
}) {
  const { template } = props;
  const classes = useStyles();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await window.navigator.clipboard?.writeText(template.text);
    setCopied(true);
  };
  return (
    <figure className={classes.template} style={{ marginInline: 0 }}>
      <figcaption className={classes.templateHead}>
        <Typography variant="caption">
          {template.title} ({template.format})
          {template.missing.length > 0 &&
            ` — still needs ${template.missing.join(', ')}`}
        </Typography>
        <Tooltip title={copied ? 'Copied' : 'Copy'}>
          <IconButton
            size="small"
            aria-label={`Copy ${template.title}`}
            onClick={copy}
          >
            <FileCopyOutlined fontSize="small" />
          </IconButton>
        </Tooltip>
      </figcaption>
      <pre className={classes.code}>{template.text}</pre>
    </figure>
  );
}
