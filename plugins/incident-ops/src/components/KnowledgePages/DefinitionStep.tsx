import {
  PlaybookField,
  PlaybookStep,
  PlaybookStepKind,
  allowedStepStatuses,
} from '@acme/plugin-incident-ops-common';
import { Chip, Paper, Typography, makeStyles } from '@material-ui/core';
import CheckBoxOutlineBlankIcon from '@material-ui/icons/CheckBoxOutlineBlank';
import { PlaybookText, Placeholders } from './PlaceholderText';
import { STEP_KIND_LABEL } from '../common/format';
import { DefinitionTemplate } from './DefinitionTemplate';

const useStyles = makeStyles(theme => ({
  step: {
    padding: theme.spacing(2, 3),
    marginBottom: theme.spacing(2),
    borderLeft: `4px solid ${theme.palette.divider}`,
  },
  verification: { borderLeftColor: theme.palette.success.main },
  check: { borderLeftColor: theme.palette.info.main },
  stepHead: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  stepTitle: { fontWeight: 600, marginRight: theme.spacing(1) },
  instructions: { margin: theme.spacing(1.5, 0), maxWidth: '100ch' },
  subhead: {
    fontWeight: 600,
    marginTop: theme.spacing(1.5),
    color: theme.palette.text.secondary,
  },
  checks: { listStyle: 'none', padding: 0, margin: theme.spacing(0.5, 0) },
  checkItem: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.25, 0),
    '& svg': {
      marginTop: 2,
      flexShrink: 0,
      color: theme.palette.text.secondary,
    },
  },
  meta: { color: theme.palette.text.secondary, marginTop: theme.spacing(1) },
}));

/** "Recorded as done, skipped or failed". */
function outcomeText(kind: PlaybookStepKind): string {
  const outcomes = allowedStepStatuses(kind);
  return `Recorded as ${outcomes.slice(0, -1).join(', ')} or ${
    outcomes[outcomes.length - 1]
  }`;
}

/** One step as the playbook file defines it: kind, instructions, checks, templates, what it needs. */
export function DefinitionStep(props: {
  step: PlaybookStep;
  index: number;
  fields: Record<string, PlaybookField>;
}) {
  const { step, index, fields } = props;
  const classes = useStyles();
  const kindClass = {
    task: '',
    check: classes.check,
    verification: classes.verification,
  }[step.kind];
  return (
    <Paper
      component="li"
      variant="outlined"
      className={`${classes.step} ${kindClass}`}
      aria-labelledby={`step-${step.id}`}
    >
      <div className={classes.stepHead}>
        <Typography
          variant="h6"
          component="h3"
          id={`step-${step.id}`}
          className={classes.stepTitle}
        >
          {index + 1}. {step.title}
        </Typography>
        <Chip
          size="small"
          label={STEP_KIND_LABEL[step.kind]}
          color={step.kind === 'verification' ? 'primary' : 'default'}
        />
        {step.optional && (
          <Chip size="small" variant="outlined" label="Optional" />
        )}
      </div>
      {step.instructions && (
        <Typography variant="body1" className={classes.instructions}>
          <PlaybookText text={step.instructions} fields={fields} />
        </Typography>
      )}
      {step.checks.length > 0 && (
        <>
          <Typography variant="body2" className={classes.subhead}>
            Confirm
          </Typography>
          <ul className={classes.checks}>
            {step.checks.map(c => (
              <li key={c} className={classes.checkItem}>
                <CheckBoxOutlineBlankIcon fontSize="small" aria-hidden />
                <Typography variant="body2" component="span">
                  <PlaybookText text={c} fields={fields} />
                </Typography>
              </li>
            ))}
          </ul>
        </>
      )}
      {step.templates.map(t => (
        <DefinitionTemplate key={t.id} template={t} fields={fields} />
      ))}
      <Typography variant="caption" component="p" className={classes.meta}>
        {outcomeText(step.kind)}
        {step.kind === 'verification' &&
          '; the ticket cannot be resolved without an override reason until it is verified'}
        {step.needs.length > 0 && (
          <>
            . To mark it {step.kind === 'verification' ? 'verified' : 'done'},{' '}
            {step.needs.map((n, i) => (
              <span key={n}>
                {i > 0 && ', '}
                <Placeholders text={`{{${n}}}`} fields={fields} />
              </span>
            ))}{' '}
            must have values
          </>
        )}
        .
      </Typography>
    </Paper>
  );
}
