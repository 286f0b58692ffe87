import { ErrorAlert } from '../common/ErrorAlert';
import { incidentOpsSurveyRecordPermission } from '@acme/plugin-incident-ops-common';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Rating } from '@material-ui/lab';
import { FormEvent, useEffect, useId, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { useAction } from '../common/useAction';
import { IncidentPanelProps } from './panelProps';
import { SurveyAnswer } from './SurveyAnswer';

const useStyles = makeStyles(theme => ({
  secondary: { color: theme.palette.text.secondary },
  form: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
    maxWidth: 560,
  },
}));

/**
 * The post-resolution survey of a resolved or closed ticket: the requestor's answer (a
 * rating of 1 to 5 and a comment) and whether it can still be changed (a week after the
 * first answer). The form is offered to the requestor, and to those allowed to record it on
 * their behalf (`incident-ops.survey.record`), while it is not final.
 */
export function SurveyPanel(
  props: Omit<IncidentPanelProps, 'workable'> & {
    /** The requestor's name, for "on behalf of". */
    requestorName?: string;
  },
) {
  const { number, version, requestorName, onChanged } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const canRecord = usePermission({
    permission: incidentOpsSurveyRecordPermission,
    resourceRef: number,
  });
  const view = useAsyncRetry(
    () => api.getSurvey(number),
    [api, number, version],
  );
  const ids = useId();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const { busy, error, run } = useAction();

  // the form starts from the answer given so far
  const survey = view.value?.survey;
  useEffect(() => {
    setRating(survey?.rating ?? null);
    setComment(survey?.comment ?? '');
  }, [survey?.rating, survey?.comment]);

  if (view.loading && !view.value) {
    return <Progress aria-label="Loading the survey" />;
  }
  if (view.error) return <ResponseErrorPanel error={view.error} />;
  const v = view.value!;
  if (!v.open) {
    return (
      <Typography variant="body2">
        The survey opens once the ticket is resolved.
      </Typography>
    );
  }
  const mayAnswer = v.requestor || canRecord.allowed;
  const offered = v.editable && mayAnswer;
  const onBehalf = !v.requestor;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!rating) return;
    await run(async () => {
      await api.submitSurvey(number, {
        rating,
        comment: comment.trim() || undefined,
      });
      view.retry();
      onChanged(
        survey
          ? 'Survey answer changed.'
          : 'Survey answer recorded. Thank you.',
      );
    });
  };

  return (
    <Box>
      <SurveyAnswer view={v} />
      {error && (
        <Box mb={1}>
          <ErrorAlert>{error}</ErrorAlert>
        </Box>
      )}
      {offered && (
        <form
          className={classes.form}
          onSubmit={submit}
          aria-label="Post-resolution survey"
        >
          <Typography
            variant="body2"
            component="span"
            id={`${ids}-rating`}
            className={classes.secondary}
          >
            {onBehalf
              ? `Rating given by ${requestorName ?? 'the requestor'}`
              : 'Your rating'}{' '}
            (1 poor, 5 excellent)
          </Typography>
          <Rating
            name={`${ids}-rating-value`}
            aria-labelledby={`${ids}-rating`}
            value={rating}
            onChange={(_e, value) => setRating(value)}
          />
          <TextField
            id={`${ids}-comment`}
            label="Comment (optional)"
            variant="outlined"
            size="small"
            multiline
            minRows={2}
            fullWidth
            value={comment}
            onChange={e => setComment(e.target.value)}
            inputProps={{ maxLength: 4000 }}
          />
          <Button
            type="submit"
            variant="outlined"
            color="primary"
            disabled={busy || !rating}
          >
            {[
              survey ? 'Change the answer' : 'Send the answer',
              onBehalf ? ' on their behalf' : '',
            ].join('')}
          </Button>
        </form>
      )}
      {!survey && !mayAnswer && (
        <Typography variant="caption" className={classes.secondary}>
          Recording it on the requestor’s behalf needs the
          incident-ops.survey.record permission.
        </Typography>
      )}
    </Box>
  );
}
