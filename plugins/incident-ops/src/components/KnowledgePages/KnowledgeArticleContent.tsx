import { InfoCard, MarkdownContent } from '@backstage/core-components';
import { Box, Grid, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { KnowledgeArticleView } from '../../api/IncidentOpsApi';
import { RequestorSurveys } from './RequestorSurveys';
import { bodyWithoutTitle } from './articleFormat';
import { ArticleAboutCard } from './ArticleAboutCard';

const useStyles = makeStyles(theme => ({
  body: {
    '& > :first-child': { marginTop: 0 },
    '& h2': { marginTop: theme.spacing(3) },
    // long commands wrap rather than hide their end behind a scroll bar; the syntax
    // highlighter sets white-space inline, hence !important
    '& pre, & pre code': {
      whiteSpace: 'pre-wrap !important',
      overflowWrap: 'anywhere',
    },
    '& li + li': { marginTop: theme.spacing(0.5) },
  },
  plain: { whiteSpace: 'pre-wrap', margin: 0 },
}));

/** The article itself: its facts beside its body, Markdown rendered. */
export function KnowledgeArticleContent(props: {
  article: KnowledgeArticleView;
}) {
  const { article } = props;
  const classes = useStyles();
  const published = article.workflowState === 'published';
  return (
    <Grid container spacing={3}>
      {!published && (
        <Grid item xs={12}>
          <Alert severity="warning">
            This article is {article.workflowState}: it is not suggested on
            tickets.
          </Alert>
        </Grid>
      )}
      <Grid item xs={12} md={8} lg={9}>
        <InfoCard>
          {article.format === 'markdown' ? (
            <MarkdownContent
              className={classes.body}
              content={bodyWithoutTitle(article.text)}
              dialect="gfm"
            />
          ) : (
            <Typography component="p" className={classes.plain}>
              {article.text}
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4} lg={3}>
        <ArticleAboutCard article={article} />
        {article.surveys && (
          <Box mt={3}>
            <RequestorSurveys
              surveys={article.surveys}
              usedOn="it was marked on"
            />
          </Box>
        )}
      </Grid>
    </Grid>
  );
}
