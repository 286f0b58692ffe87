import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { KnowledgeArticlePage } from './KnowledgeArticlePage';
import { bodyWithoutTitle } from './articleFormat';
import {
  repositoryArticle,
  responseError,
  serviceNowArticle,
} from './__fixtures__/knowledge';
import { knowledgeRoutes } from '../../testUtils/mountedRoutes';

function render(api: Partial<IncidentOpsApi>, id: string) {
  return renderInTestApp(
    <TestApiProvider apis={[[incidentOpsApiRef, api]]}>
      <Routes>
        <Route path="/incident-ops/kb/:id" element={<KnowledgeArticlePage />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [`/incident-ops/kb/${id}`],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...knowledgeRoutes,
      },
    },
  );
}

const facts = () => within(screen.getByTestId('kb-article-facts'));

describe('KnowledgeArticlePage', () => {
  it('shows progress while the article loads, asking for the id in the path', async () => {
    const getKnowledgeArticle = jest.fn(() => new Promise<never>(() => {}));
    await render({ getKnowledgeArticle }, 'egress-access-livelink');
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getKnowledgeArticle).toHaveBeenCalledWith('egress-access-livelink');
  });

  it('renders a repository article: facts, and the body as Markdown without repeating the title', async () => {
    await render(
      { getKnowledgeArticle: async () => repositoryArticle },
      'egress-access-livelink',
    );
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'How to Request Egress Access for livelink-* Namespaces',
      }),
    ).toBeInTheDocument();
    // the body's own "# title" is dropped: the title is there once
    expect(
      screen.getAllByText(/How to Request Egress Access/, {
        selector: 'h1, h2, h3',
      }),
    ).toHaveLength(1);
    // Markdown rendered: headings, bold, inline code, a code block, a table
    expect(
      await screen.findByRole('heading', { level: 2, name: 'Summary' }),
    ).toBeInTheDocument();
    expect(screen.getByText('default-deny').tagName).toBe('STRONG');
    expect(screen.getByText('livelink-prod').tagName).toBe('CODE');
    expect(
      screen.getByText(/kubectl --context abrc1l get namespace/),
    ).toBeInTheDocument();
    expect(screen.getByRole('table')).toHaveTextContent('2049');
    expect(screen.queryByText(/^\*\*|^## /)).not.toBeInTheDocument();

    const about = facts();
    expect(about.getByText('Repository (Markdown)')).toBeInTheDocument();
    expect(about.getByText('egress-access-livelink')).toBeInTheDocument();
    expect(about.getByRole('list', { name: 'Ticket types' })).toHaveTextContent(
      'Egress',
    );
    expect(about.getByRole('list', { name: 'Tags' })).toHaveTextContent(
      'egressfirewallnetworkpolicy',
    );
    expect(about.getByText('L1')).toBeInTheDocument();
    expect(about.getByRole('link', { name: 'egress-access' })).toHaveAttribute(
      'href',
      '/incident-ops/playbooks/egress-access',
    );
    expect(
      about.getByRole('link', { name: /atlas-l1-support/ }),
    ).toHaveAttribute('href', '/catalog/default/group/atlas-l1-support');
    expect(about.getByText('KB0010001')).toBeInTheDocument();
    expect(about.getByText(/2026/)).toHaveTextContent('(version 2)');
    expect(
      about.getByText('Suggested on 3 tickets: helpful on 2, not helpful on 1'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Open in ServiceNow/)).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('renders a ServiceNow article: plain text, a link to its ServiceNow page, and that it is retired', async () => {
    await render(
      { getKnowledgeArticle: async () => serviceNowArticle },
      'KB0010001',
    );
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Egress whitelisting for Atlas namespaces',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Raise a firewall request\.\s+Then add the NetworkPolicy\./,
      ),
    ).toBeInTheDocument();
    const link = screen.getByRole('link', { name: /Open in ServiceNow/ });
    expect(link).toHaveAttribute('href', serviceNowArticle.url);
    expect(link).toHaveAttribute('target', '_blank');
    // and from the header, by its number (the header's labels are hidden on narrow screens,
    // as jsdom's is)
    const headerLinks = screen
      .getAllByText('KB0010001')
      .map(e => e.closest('a'))
      .filter(Boolean);
    expect(headerLinks).toHaveLength(1);
    expect(headerLinks[0]).toHaveAttribute('href', serviceNowArticle.url);
    expect(screen.getByText(/This article is retired/)).toBeInTheDocument();
    const about = facts();
    expect(about.getAllByText('ServiceNow').length).toBeGreaterThan(0);
    expect(about.getByText('Not linked to a ticket type')).toBeInTheDocument();
    expect(about.getByText('Networking')).toBeInTheDocument();
    expect(about.getByText('41')).toBeInTheDocument();
    expect(about.queryByText('Feedback')).not.toBeInTheDocument();
  });

  it('shows what requestors said on the tickets it was marked on', async () => {
    await render(
      {
        getKnowledgeArticle: async () => ({
          ...repositoryArticle,
          surveys: {
            responses: 4,
            averageRating: 2.75,
            low: 2,
            comments: [
              {
                number: 'INC13100007',
                rating: 1,
                comment: 'The article was out of date',
                submittedAt: '2026-11-20T10:00:00.000Z',
              },
            ],
          },
        }),
      },
      'egress-access-livelink',
    );
    const section = within(await screen.findByTestId('requestor-surveys'));
    expect(screen.getByText('What requestors said')).toBeInTheDocument();
    expect(
      section.getByText('4 surveys, average 2.75 / 5; 2 rated 2 or less'),
    ).toBeInTheDocument();
    const comments = section.getByRole('list', {
      name: 'Low scores with comments',
    });
    expect(comments).toHaveTextContent('“The article was out of date”');
    expect(comments).toHaveTextContent(/1 ★ · INC13100007 · .*2026/);
  });

  it('says when no requestor answered yet, and shows no section without figures', async () => {
    const { unmount } = await render(
      {
        getKnowledgeArticle: async () => ({
          ...repositoryArticle,
          surveys: { responses: 0, averageRating: null, low: 0, comments: [] },
        }),
      },
      'egress-access-livelink',
    );
    expect(
      await screen.findByText(
        'No requestor has answered the survey on a ticket it was marked on yet.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Low scores with comments' }),
    ).not.toBeInTheDocument();
    unmount();
    await render(
      { getKnowledgeArticle: async () => serviceNowArticle },
      'KB0010001',
    );
    await screen.findByRole('heading', {
      level: 1,
      name: 'Egress whitelisting for Atlas namespaces',
    });
    expect(screen.queryByText('What requestors said')).not.toBeInTheDocument();
  });

  it('says so when there is no such article, with a search for it', async () => {
    const error = await responseError(404, 'No knowledge article KB404');
    await render(
      {
        getKnowledgeArticle: async () => {
          throw error;
        },
      },
      'KB404',
    );
    expect(
      await screen.findByText('No knowledge article KB404'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Search for KB404' }),
    ).toHaveAttribute('href', '/search?query=KB404');
  });

  it('shows other errors, and tries again on request', async () => {
    const error = await responseError(500, 'database is locked');
    const getKnowledgeArticle = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValueOnce(repositoryArticle);
    await render({ getKnowledgeArticle }, 'egress-access-livelink');
    expect(
      await screen.findByText(/Request failed with 500/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/No knowledge article/)).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('heading', { level: 2, name: 'Summary' }),
    ).toBeInTheDocument();
    expect(getKnowledgeArticle).toHaveBeenCalledTimes(2);
  });
});

describe('bodyWithoutTitle', () => {
  it('drops a leading level-1 heading only', () => {
    expect(bodyWithoutTitle('# Title\n\n## Summary\ntext')).toBe(
      '## Summary\ntext',
    );
    expect(bodyWithoutTitle('## Summary\n# Not first')).toBe(
      '## Summary\n# Not first',
    );
  });
});
