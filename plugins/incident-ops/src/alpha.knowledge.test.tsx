import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import incidentOpsPlugin, {
  kbArticlePage,
  playbookPage,
  playbooksPage,
} from './alpha';
import { IncidentOpsApi, incidentOpsApiRef } from './api/IncidentOpsApi';
import {
  kbArticleRouteRef,
  playbookRouteRef,
  playbooksRouteRef,
} from './routes';
import {
  egressPlaybook,
  playbookList,
  repositoryArticle,
} from './components/KnowledgePages/__fixtures__/knowledge';

// without the catalog plugin in the test app, an owner's entity link has nowhere to go
const api: Partial<IncidentOpsApi> = {
  getKnowledgeArticle: async () => ({ ...repositoryArticle, owner: undefined }),
  listPlaybooks: async () => playbookList,
  getPlaybookDefinition: async () => egressPlaybook,
};

const navLinks = () =>
  screen.getAllByRole('link').map(a => [a.textContent, a.getAttribute('href')]);

describe('knowledge pages (new frontend system)', () => {
  it('mounts the article and playbook pages where search documents link to; only the list is in the nav', () => {
    const article = createExtensionTester(kbArticlePage);
    expect(article.get(coreExtensionData.routePath)).toBe(
      '/incident-ops/kb/:id',
    );
    expect(article.get(coreExtensionData.routeRef)).toBe(kbArticleRouteRef);
    expect(article.get(coreExtensionData.icon)).toBeUndefined();

    const playbook = createExtensionTester(playbookPage);
    expect(playbook.get(coreExtensionData.routePath)).toBe(
      '/incident-ops/playbooks/:id',
    );
    expect(playbook.get(coreExtensionData.routeRef)).toBe(playbookRouteRef);
    expect(playbook.get(coreExtensionData.icon)).toBeUndefined();

    const list = createExtensionTester(playbooksPage);
    expect(list.get(coreExtensionData.routePath)).toBe(
      '/incident-ops/playbooks',
    );
    expect(list.get(coreExtensionData.routeRef)).toBe(playbooksRouteRef);
    expect(list.get(coreExtensionData.title)).toBe('Playbooks');
    expect(list.get(coreExtensionData.icon)).toBeTruthy();
  });

  it('opens an article by its id, with "Playbooks" in the nav and no nav item for articles', async () => {
    renderTestApp({
      features: [incidentOpsPlugin],
      initialRouteEntries: ['/incident-ops/kb/egress-access-livelink'],
      apis: [[incidentOpsApiRef, api]],
    });
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: repositoryArticle.title,
      }),
    ).toBeInTheDocument();
    expect(navLinks()).toContainEqual(['Playbooks', '/incident-ops/playbooks']);
    expect(
      navLinks().filter(([, href]) => href?.startsWith('/incident-ops/kb')),
    ).toEqual([]);
    // the playbook link comes from the playbook page's route ref
    expect(screen.getByRole('link', { name: 'egress-access' })).toHaveAttribute(
      'href',
      '/incident-ops/playbooks/egress-access',
    );
  });

  it('opens a playbook by its id, and the list at /incident-ops/playbooks', async () => {
    renderTestApp({
      features: [incidentOpsPlugin],
      initialRouteEntries: ['/incident-ops/playbooks/egress-access'],
      apis: [[incidentOpsApiRef, api]],
    });
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Egress Access playbook',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('link', { name: 'Playbooks' })[0],
    ).toHaveAttribute('href', '/incident-ops/playbooks');
    expect(
      screen.queryByRole('table', { name: 'Playbooks' }),
    ).not.toBeInTheDocument();
  });

  it('shows the list at /incident-ops/playbooks', async () => {
    renderTestApp({
      features: [incidentOpsPlugin],
      initialRouteEntries: ['/incident-ops/playbooks'],
      apis: [[incidentOpsApiRef, api]],
    });
    expect(
      await screen.findByRole('table', { name: 'Playbooks' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Ticket type to playbook' }),
    ).toBeInTheDocument();
  });
});
