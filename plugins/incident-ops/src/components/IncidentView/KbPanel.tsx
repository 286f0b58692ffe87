import { ErrorAlert } from '../common/ErrorAlert';
import { incidentOpsKbFeedbackPermission } from '@acme/plugin-incident-ops-common';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useEffect } from 'react';
import {
  KnowledgeSuggestion,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import { useAction } from '../common/useAction';
import { IncidentPanelProps } from './panelProps';
import { KbSuggestion } from './KbSuggestion';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  secondary: { color: theme.palette.text.secondary },
}));

/**
 * The knowledge articles suggested for the ticket, best first, each with why; the engineer
 * marks each helpful or not. When every one shown is not helpful the ticket is KB-exhausted
 * (an escalation trigger) and the panel says so.
 */
export function KbPanel(props: IncidentPanelProps) {
  const { number, version, workable = true, onChanged } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const canMark = usePermission({
    permission: incidentOpsKbFeedbackPermission,
    resourceRef: number,
  });
  const suggestions = useAsyncRetry(
    () => api.getKbSuggestions(number),
    [api, number, version],
  );
  const { error, run } = useAction();
  // what was shown is what feedback, KB exhaustion and the reports count: say so once
  const shown = (suggestions.value?.items.length ?? 0) > 0;
  useEffect(() => {
    if (shown) api.recordKbViews(number).catch(() => {});
  }, [api, number, shown]);

  if (suggestions.loading && !suggestions.value) {
    return <Progress aria-label="Loading knowledge suggestions" />;
  }
  if (suggestions.error)
    return <ResponseErrorPanel error={suggestions.error} />;
  const { items, kb } = suggestions.value!;

  const mark = async (s: KnowledgeSuggestion, helpful: boolean) => {
    await run(async () => {
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
    });
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
            <KbSuggestion
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
