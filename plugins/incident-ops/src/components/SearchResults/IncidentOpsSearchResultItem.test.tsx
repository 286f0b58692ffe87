import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { IncidentOpsSearchResultItem } from './IncidentOpsSearchResultItem';

describe('IncidentOpsSearchResultItem', () => {
  it('shows a KB article with where it comes from, its ticket types and tags', async () => {
    await renderInTestApp(
      <IncidentOpsSearchResultItem
        kind="Knowledge article"
        result={
          {
            title: 'How to Request Egress Access for livelink-* Namespaces',
            text: 'Open a ticket with the namespace, the destination FQDN and port. '.repeat(
              6,
            ),
            location: '/incident-ops/kb/egress-access-livelink',
            articleId: 'egress-access-livelink',
            source: 'repository',
            ticketTypes: ['egress'],
            tags: ['firewall', 'networkpolicy'],
          } as any
        }
      />,
    );
    expect(
      screen.getByRole('link', {
        name: 'How to Request Egress Access for livelink-* Namespaces',
      }),
    ).toHaveAttribute('href', '/incident-ops/kb/egress-access-livelink');
    expect(
      screen.getByText(
        'Knowledge article · egress-access-livelink · repository',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('egress')).toBeInTheDocument();
    expect(screen.getByText('firewall')).toBeInTheDocument();
    // long texts are cut to a readable snippet
    expect(screen.getByText(/…$/)).toBeInTheDocument();
  });

  it('shows a playbook, and nothing without a result', async () => {
    const { container } = await renderInTestApp(
      <IncidentOpsSearchResultItem kind="Playbook" />,
    );
    expect(container).toBeEmptyDOMElement();
    await renderInTestApp(
      <IncidentOpsSearchResultItem
        kind="Playbook"
        result={{
          title: 'Egress Access',
          text: 'Namespace validation, firewall rule template, test verification',
          location: '/incident-ops/playbooks/egress-access',
        }}
      />,
    );
    expect(screen.getByText('Playbook')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Egress Access' })).toHaveAttribute(
      'href',
      '/incident-ops/playbooks/egress-access',
    );
  });
});
