import { Typography, makeStyles } from '@material-ui/core';
import type { IncidentSurveyView } from '@acme/plugin-incident-ops-common';
import { formatTime } from '../common/format';

const useStyles = makeStyles(theme => ({
  answer: { marginBottom: theme.spacing(1) },
  comment: { fontStyle: 'italic', whiteSpace: 'pre-wrap' },
  secondary: { color: theme.palette.text.secondary },
}));

/** The requestor's answer so far and until when it can be changed, or that there is none. */
export function SurveyAnswer(props: { view: IncidentSurveyView }) {
  const { view: v } = props;
  const { survey } = v;
  const classes = useStyles();
  if (!survey) {
    return (
      <Typography variant="body2" className={classes.answer}>
        {v.requestor
          ? 'How well was your request resolved? Your answer can be changed for a week.'
          : 'The requestor has not answered the survey yet.'}
      </Typography>
    );
  }
  return (
    <div className={classes.answer} data-testid="survey-answer">
      <Typography variant="body2">
        Rated <strong>{survey.rating} of 5</strong> on{' '}
        {formatTime(survey.updatedAt)}
        {v.requestor ? '' : ` (sent by ${survey.submittedBy})`}
      </Typography>
      {survey.comment && (
        <Typography variant="body2" className={classes.comment}>
          “{survey.comment}”
        </Typography>
      )}
      <Typography variant="caption" className={classes.secondary}>
        {v.editable
          ? `It can be changed until ${formatTime(survey.editableUntil)}.`
          : `It is final: it could be changed until ${formatTime(
              survey.editableUntil,
            )}.`}
      </Typography>
    </div>
  );
}
