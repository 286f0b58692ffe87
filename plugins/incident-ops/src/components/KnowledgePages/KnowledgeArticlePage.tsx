import { Header, HeaderLabel, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { searchPageRouteRef } from '../../routes';
import { PageShell } from '../common/PageShell';
import { formatUpdated, sourceLabel } from './articleFormat';
import { KnowledgeArticleContent } from './KnowledgeArticleContent';

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
