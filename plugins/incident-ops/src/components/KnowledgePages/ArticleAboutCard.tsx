import type { TicketType } from '@acme/plugin-incident-ops-common';
import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Chip, makeStyles } from '@material-ui/core';
import {
  ArticleFeedbackFigures,
  KnowledgeArticleView,
} from '../../api/IncidentOpsApi';
import { TICKET_TYPE_LABEL } from '../common/format';
import { playbookRouteRef } from '../../routes';
import { Fact } from '../common/Fact';
import { formatUpdated, sourceLabel } from './articleFormat';

const useStyles = makeStyles(theme => ({
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

/** The article's facts: where it comes from, what it is for, who owns it, how it is used. */
export function ArticleAboutCard(props: { article: KnowledgeArticleView }) {
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
