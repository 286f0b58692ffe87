import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { kbArticleRouteRef } from '../../routes';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import ThumbDownOutlined from '@material-ui/icons/ThumbDownOutlined';
import ThumbUpOutlined from '@material-ui/icons/ThumbUpOutlined';
import { useState } from 'react';
import { KnowledgeSuggestion } from '../../api/IncidentOpsApi';

const useStyles = makeStyles(theme => ({
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

/** One suggested article: why it was suggested, and buttons to mark it helpful or not. */
export function KbSuggestion(props: {
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
