import type { TicketType } from '@acme/plugin-incident-ops-common';
import {
  Header,
  HeaderLabel,
  InfoCard,
  Link,
  MarkdownContent,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Chip, Grid, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  ArticleFeedbackFigures,
  KnowledgeArticleView,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import { TICKET_TYPE_LABEL } from '../common/format';
import { playbookRouteRef, searchPageRouteRef } from '../../routes';
import { PageShell } from '../common/PageShell';
import { RequestorSurveys } from './RequestorSurveys';

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
  // label above value: the card is narrow beside the article
  facts: {
    margin: 0,
    '& dt': {
      ...theme.typography.caption,
      color: theme.palette.text.secondary,
      fontWeight: 600,
      textTransform: 'uppercase',
      letterSpacing: '0.04em',
    },
    '& dd': {
      ...theme.typography.body2,
      margin: theme.spacing(0.25, 0, 1.75),
      overflowWrap: 'anywhere',
    },
    '& dd:last-child': { marginBottom: 0 },
  },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

/** How the stored source names read to people. */
export function sourceLabel(source: string): string {
  if (source === 'repository') return 'Repository (Markdown)';
  if (source === 'servicenow') return 'ServiceNow';
  return source;
}

/** "26 Nov 2026, 14:05": when something was last changed, with the year. */
export function formatUpdated(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The article's body without its first `# Title` line when that only repeats the title. */
export function bodyWithoutTitle(markdown: string): string {
  return markdown.replace(/^\s*#\s+[^\n]*\n+/, '');
}

function Fact(props: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

function Chips(props: { values: string[]; label: string }) {
  const classes = useStyles();
  return (
    <div className={classes.chips} role="list" aria-label={props.label}>
      {props.values.map(v => (
        <Chip key={v} size="small" label={v} role="listitem" />
      ))}
    </div>
  );
}

function feedbackText(f: ArticleFeedbackFigures): string {
  if (f.suggestedOn === 0) return 'Not suggested on any ticket yet';
  const tickets = (n: number) => `${n} ticket${n === 1 ? '' : 's'}`;
  const marked =
    f.helpful + f.notHelpful === 0
      ? 'not marked yet'
      : `helpful on ${f.helpful}, not helpful on ${f.notHelpful}`;
  return `Suggested on ${tickets(f.suggestedOn)}: ${marked}`;
}

function AboutCard(props: { article: KnowledgeArticleView }) {
  const { article } = props;
  const classes = useStyles();
  const playbook = useRouteRef(playbookRouteRef);
  const feedback = article.feedback;
  const ticketTypes = (article.ticketTypes ?? []).map(
    t => TICKET_TYPE_LABEL[t as TicketType] ?? t,
  );
  return (
    <InfoCard title="About this article">
      <dl className={classes.facts} data-testid="kb-article-facts">
        <Fact label="Source">
          {sourceLabel(article.source)}
          {article.url && (
            <>
              <br />
              <Link to={article.url} target="_blank" rel="noopener">
                Open in ServiceNow
              </Link>
            </>
          )}
        </Fact>
        <Fact label="Article">{article.number}</Fact>
        <Fact label="Ticket types">
          {ticketTypes.length > 0 ? (
            <Chips values={ticketTypes} label="Ticket types" />
          ) : (
            'Not linked to a ticket type'
          )}
        </Fact>
        {(article.tags ?? []).length > 0 && (
          <Fact label="Tags">
            <Chips values={article.tags!} label="Tags" />
          </Fact>
        )}
        {(article.tiers ?? []).length > 0 && (
          <Fact label="Followed by">{article.tiers!.join(', ')}</Fact>
        )}
        {article.playbook && (
          <Fact label="Playbook">
            <Link to={playbook({ id: article.playbook })}>
              {article.playbook}
            </Link>
          </Fact>
        )}
        {article.owner && (
          <Fact label="Owner">
            <EntityRefLink entityRef={article.owner} />
          </Fact>
        )}
        {(article.replaces ?? []).length > 0 && (
          <Fact label="Replaces">{article.replaces!.join(', ')}</Fact>
        )}
        {article.category && <Fact label="Category">{article.category}</Fact>}
        {article.knowledgeBase && article.source !== 'repository' && (
          <Fact label="Knowledge base">{article.knowledgeBase}</Fact>
        )}
        <Fact label="Last updated">
          {formatUpdated(article.sourceUpdatedAt)} (version{' '}
          {article.sourceVersion})
        </Fact>
        {article.validTo && <Fact label="Valid to">{article.validTo}</Fact>}
        {article.viewCount !== undefined && (
          <Fact label="Views in ServiceNow">{article.viewCount}</Fact>
        )}
        {feedback && <Fact label="Feedback">{feedbackText(feedback)}</Fact>}
      </dl>
    </InfoCard>
  );
}

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
        <AboutCard article={article} />
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

/**
 * A knowledge article at `/incident-ops/kb/:id`, where Backstage search and the incident view
 * link to: title, source (with the ServiceNow page for synced articles), ticket types, tags,
 * when it was last updated, and the body rendered as Markdown.
 * @public
 */
export function KnowledgeArticlePage() {
  const { id = '' } = useParams();
  const api = useApi(incidentOpsApiRef);
  const searchPage = useRouteRef(searchPageRouteRef);
  const state = useAsyncRetry(() => api.getKnowledgeArticle(id), [api, id]);
  const { value } = state;
  const header = (
    <Header
      title={value?.title ?? id}
      type="Knowledge article"
      pageTitleOverride={value?.title ?? `Knowledge article ${id}`}
    >
      {value && (
        <HeaderLabel label="Source" value={sourceLabel(value.source)} />
      )}
      {value && (
        <HeaderLabel
          label="Updated"
          value={formatUpdated(value.sourceUpdatedAt)}
        />
      )}
      {value?.url && (
        <HeaderLabel
          label="In ServiceNow"
          value={value.number}
          url={value.url}
        />
      )}
    </Header>
  );
  return (
    <PageShell
      state={state}
      header={header}
      loadingLabel="Loading the article"
      notFound={{
        title: `No knowledge article ${id}`,
        description:
          'It may have been retired or renamed. Search for its subject to find the article that answers it now.',
        action: searchPage && (
          <Link to={`${searchPage()}?query=${encodeURIComponent(id)}`}>
            Search for {id}
          </Link>
        ),
      }}
    >
      {article => <KnowledgeArticleContent article={article} />}
    </PageShell>
  );
}
