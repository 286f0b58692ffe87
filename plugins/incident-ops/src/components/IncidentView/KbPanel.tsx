import { ErrorAlert } from '../common/ErrorAlert';
import { incidentOpsKbFeedbackPermission } from '@acme/plugin-incident-ops-common';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { kbArticleRouteRef } from '../../routes';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import ThumbDownOutlined from '@material-ui/icons/ThumbDownOutlined';
import ThumbUpOutlined from '@material-ui/icons/ThumbUpOutlined';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  KnowledgeSuggestion,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import { messageOf } from '../common/messages';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  secondary: { color: theme.palette.text.secondary },
  buttons: {
    display: 'flex',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
  },
  term: { fontFamily: 'monospace' },
}));

function Suggestion(props: {
  s: KnowledgeSuggestion;
  canMark: boolean;
  onMark: (helpful: boolean) => Promise<void>;
}) {
  const { s, canMark, onMark } = props;
  const classes = useStyles();
  const kbArticle = useRouteRef(kbArticleRouteRef);
  const [busy, setBusy] = useState(false);
  const mark = async (helpful: boolean) => {
    setBusy(true);
    try {
      await onMark(helpful);
    } finally {
      setBusy(false);
    }
  };
  const verdict = s.feedback?.helpful;
  return (
    <li className={classes.item} data-testid={`kb-${s.articleId}`}>
      <Typography variant="body2">
        <strong>{s.rank}.</strong>{' '}
        <Link to={kbArticle({ id: s.articleId })}>{s.title}</Link>{' '}
        <span className={classes.secondary}>({s.articleId})</span>
      </Typography>
      <Typography variant="caption" className={classes.secondary} component="p">
        {s.explanation}
      </Typography>
      {s.feedback && (
        <Typography variant="caption" component="p">
          Marked {s.feedback.helpful ? 'helpful' : 'not helpful'} by{' '}
          {s.feedback.actor}
          {s.feedback.note ? `: ${s.feedback.note}` : ''}
        </Typography>
      )}
      {canMark && (
        <Box
          className={classes.buttons}
          role="group"
          aria-label={`Was ${s.title} helpful?`}
        >
          <Button
            size="small"
            variant={verdict === true ? 'contained' : 'outlined'}
            color="primary"
            startIcon={<ThumbUpOutlined />}
            aria-pressed={verdict === true}
            disabled={busy}
            onClick={() => mark(true)}
          >
            Helpful
          </Button>
          <Button
            size="small"
            variant={verdict === false ? 'contained' : 'outlined'}
            color="secondary"
            startIcon={<ThumbDownOutlined />}
            aria-pressed={verdict === false}
            disabled={busy}
            onClick={() => mark(false)}
          >
            Not helpful
          </Button>
        </Box>
      )}
    </li>
  );
}

/**
 * The knowledge articles suggested for the ticket, best first, each with why; the engineer
 * marks each helpful or not. When every one shown is not helpful the ticket is KB-exhausted
 * (an escalation trigger) and the panel says so.
 */
export function KbPanel(props: {
  number: string;
  version: number;
  /** False for a closed ticket: nothing is offered. */
  workable?: boolean;
  onChanged: (message: string) => void;
}) {
  const { number, version, workable = true, onChanged } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const canMark = usePermission({
    permission: incidentOpsKbFeedbackPermission,
  });
  const suggestions = useAsyncRetry(
    () => api.getKbSuggestions(number),
    [api, number, version],
  );
  const [error, setError] = useState<string>();

  if (suggestions.loading && !suggestions.value) {
    return <Progress aria-label="Loading knowledge suggestions" />;
  }
  if (suggestions.error)
    return <ResponseErrorPanel error={suggestions.error} />;
  const { items, kb } = suggestions.value!;

  const mark = async (s: KnowledgeSuggestion, helpful: boolean) => {
    setError(undefined);
    try {
      const res = await api.sendKbFeedback(number, {
        articleId: s.articleId,
        helpful,
      });
      suggestions.retry();
      onChanged(
        res.kb.exhausted
          ? 'Every suggestion is marked not helpful: the ticket is KB-exhausted and its escalation is looked at now.'
          : `${s.articleId} marked ${helpful ? 'helpful' : 'not helpful'}.`,
      );
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <Box>
      {kb?.exhausted && (
        <Box mb={1}>
          <Alert severity="warning">
            KB exhausted: every suggestion shown was marked not helpful. That is
            a trigger to escalate.
          </Alert>
        </Box>
      )}
      {error && (
        <Box mb={1}>
          <ErrorAlert>{error}</ErrorAlert>
        </Box>
      )}
      {items.length === 0 ? (
        <Typography variant="body2">
          No knowledge article matches this ticket.
        </Typography>
      ) : (
        <ol className={classes.list} aria-label="Suggested knowledge articles">
          {items.map(s => (
            <Suggestion
              key={s.articleId}
              s={s}
              canMark={Boolean(canMark.allowed) && workable}
              onMark={helpful => mark(s, helpful)}
            />
          ))}
        </ol>
      )}
      {kb && (
        <Typography variant="caption" className={classes.secondary}>
          {kb.shown} shown on this ticket, {kb.notHelpful} marked not helpful.
        </Typography>
      )}
      {!canMark.loading && !canMark.allowed && (
        <Typography
          variant="caption"
          className={classes.secondary}
          component="p"
        >
          Marking articles needs the incident-ops.kb.feedback permission.
        </Typography>
      )}
    </Box>
  );
}
