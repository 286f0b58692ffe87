import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import CheckIcon from '@material-ui/icons/Check';
import type {
  IncidentDraftPreview,
  KnowledgeSuggestion,
} from '../../api/IncidentOpsApi';
import { kbArticleRouteRef, playbookRouteRef } from '../../routes';

/** How many articles the form shows: the best few, so the form stays short. */
const MAX_ARTICLES = 3;

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  secondary: { color: theme.palette.text.secondary },
  solved: { marginTop: theme.spacing(0.5) },
}));

/**
 * The knowledge articles that match the draft, best first, each with "This solved it", and
 * the playbook of the ticket type the classifier sees. Links open in a new tab, so the form
 * stays as it is.
 */
export function DraftSuggestions(props: {
  preview?: IncidentDraftPreview;
  /** Whether the text typed so far is enough to look for articles. */
  typed: boolean;
  busy: boolean;
  onSolved: (article: KnowledgeSuggestion) => void;
}) {
  const { preview, typed, busy, onSolved } = props;
  const classes = useStyles();
  const kbArticle = useRouteRef(kbArticleRouteRef);
  const playbook = useRouteRef(playbookRouteRef);

  if (!typed || !preview) {
    return (
      <Typography variant="body2" className={classes.secondary}>
        Knowledge articles that match what you type show here: one may solve it
        before a ticket is needed.
      </Typography>
    );
  }
  return (
    <Box>
      {preview.articles.length === 0 ? (
        <Typography variant="body2" className={classes.secondary}>
          No knowledge article matches this yet.
        </Typography>
      ) : (
        <ol className={classes.list} aria-label="Suggested knowledge articles">
          {preview.articles.slice(0, MAX_ARTICLES).map(a => (
            <li
              key={a.articleId}
              className={classes.item}
              data-testid={`draft-kb-${a.articleId}`}
            >
              <Typography variant="body2">
                <Link to={kbArticle({ id: a.articleId })} target="_blank">
                  {a.title}
                </Link>{' '}
                <span className={classes.secondary}>({a.articleId})</span>
              </Typography>
              <Typography
                variant="caption"
                component="p"
                className={classes.secondary}
              >
                {a.explanation}
              </Typography>
              <Button
                size="small"
                variant="outlined"
                color="primary"
                startIcon={<CheckIcon />}
                className={classes.solved}
                disabled={busy}
                aria-label={`This solved it: ${a.title}`}
                onClick={() => onSolved(a)}
              >
                This solved it
              </Button>
            </li>
          ))}
        </ol>
      )}
      {preview.playbook && (
        <Typography variant="body2" component="p">
          Playbook:{' '}
          <Link to={playbook({ id: preview.playbook.id })} target="_blank">
            {preview.playbook.title}
          </Link>
        </Typography>
      )}
    </Box>
  );
}
