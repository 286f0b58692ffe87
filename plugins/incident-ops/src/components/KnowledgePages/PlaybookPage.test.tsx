import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { PlaybookPage } from './PlaybookPage';
import { fieldSource } from './FieldsTable';
import { PlaybooksPage } from './PlaybooksPage';
import {
  egressPlaybook,
  playbookList,
  responseError,
} from './__fixtures__/knowledge';
import { knowledgeRoutes } from '../../testUtils/mountedRoutes';

function render(api: Partial<IncidentOpsApi>, path: string) {
  return renderInTestApp(
    <TestApiProvider apis={[[incidentOpsApiRef, api]]}>
      <Routes>
        <Route path="/incident-ops/playbooks" element={<PlaybooksPage />} />
        <Route path="/incident-ops/playbooks/:id" element={<PlaybookPage />} />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [path], mountedRoutes: knowledgeRoutes },
  );
}

const stepCard = (name: RegExp) =>
  within(screen.getByRole('listitem', { name }));

describe('PlaybookPage', () => {
  it('shows progress while the playbook loads, asking for the id in the path', async () => {
    const getPlaybookDefinition = jest.fn(() => new Promise<never>(() => {}));
    await render(
      { getPlaybookDefinition },
      '/incident-ops/playbooks/egress-access',
    );
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getPlaybookDefinition).toHaveBeenCalledWith('egress-access');
  });

  it('shows the summary, the ticket types and each step in order with its kind, checks and templates', async () => {
    await render(
      { getPlaybookDefinition: async () => egressPlaybook },
      '/incident-ops/playbooks/egress-access',
    );
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Egress Access playbook',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Playbooks' })).toHaveAttribute(
      'href',
      '/incident-ops/playbooks',
    );
    expect(
      screen.getByText(/Open egress from a namespace behind/),
    ).toBeInTheDocument();
    expect(screen.getByText('Runs for').parentElement).toHaveTextContent(
      'Runs forEgress',
    );

    // the steps, in order, numbered, each with its kind
    const steps = within(
      screen.getByRole('heading', { name: 'Steps' }).closest('section')!,
    )
      .getAllByRole('heading', { level: 3 })
      .map(h => h.textContent);
    expect(steps).toEqual([
      '1. Validate the namespace and the request',
      '2. Fill the firewall rule and the NetworkPolicy',
      '3. Verify the connection from the namespace',
    ]);
    const first = stepCard(/Validate the namespace/);
    expect(first.getByText('Check')).toBeInTheDocument();
    expect(stepCard(/Fill the firewall rule/).getByText('Task')).toBeTruthy();
    const verify = stepCard(/Verify the connection/);
    expect(verify.getByText('Verification')).toBeInTheDocument();
    expect(
      verify.getByText(
        /Recorded as verified or failed; the ticket cannot be resolved without an override reason/,
      ),
    ).toHaveTextContent(
      'until it is verified. To mark it verified, {{fqdn}}, {{port}} must have values.',
    );
    expect(
      first.getByText(/Recorded as done, skipped or failed/),
    ).toHaveTextContent(
      'To mark it done, {{cluster}}, {{namespace}} must have values.',
    );

    // placeholders are named, in instructions, checks (inside code) and templates
    const instruction = first.getByText(/exists on/);
    expect(instruction).toHaveTextContent(
      'Confirm that {{namespace}} exists on {{cluster}}.',
    );
    const namespace = within(instruction).getByText('{{namespace}}');
    expect(namespace).toHaveAttribute('title', 'Source namespace (namespace)');
    const check = first.getByText(/finds the namespace/);
    const code = check.querySelector('code')!;
    expect(code).toHaveTextContent(
      'kubectl --context {{cluster}} get namespace {{namespace}}',
    );
    expect(within(code).getByText('{{cluster}}')).toHaveAttribute(
      'title',
      'Cluster (cluster)',
    );

    const template = stepCard(/Fill the firewall rule/).getByLabelText(
      'Firewall rule request',
    );
    expect(template.tagName).toBe('PRE');
    expect(template).toHaveTextContent(
      'Rule name: k8s-{{cluster}}-{{namespace}}-{{fqdn | slug}}-{{port}}',
    );
    expect(within(template).getByText('{{fqdn | slug}}')).toHaveAttribute(
      'title',
      'Destination host (FQDN) (fqdn)',
    );
    expect(
      stepCard(/Fill the firewall rule/).getByText(/^Filled from/),
    ).toHaveTextContent(
      'Filled from {{cluster}} Cluster, {{namespace}} Source namespace, {{fqdn}} Destination host (FQDN), {{port}} Destination port, {{protocol}} Protocol',
    );

    // the placeholders and where their values come from
    const fields = within(
      screen.getByRole('table', { name: 'Values the texts use' }),
    );
    const protocolRow = fields.getByText('{{protocol}}').closest('tr')!;
    expect(protocolRow).toHaveTextContent(
      'ProtocolGiven by the engineer, else TCP',
    );
    const ruleRow = fields.getByText('{{firewallRuleId}}').closest('tr')!;
    expect(ruleRow).toHaveTextContent(
      'The id the network team gives the rule.',
    );
  });

  it('shows what requestors said on the tickets it was run on', async () => {
    await render(
      {
        getPlaybookDefinition: async () => ({
          ...egressPlaybook,
          surveys: {
            responses: 8,
            averageRating: 2.38,
            low: 5,
            comments: [
              {
                number: 'INC13100011',
                rating: 1,
                comment: 'The firewall step took days',
                submittedAt: '2026-11-21T10:00:00.000Z',
              },
              {
                number: 'INC13100008',
                rating: 2,
                comment: 'Had to ask twice',
                submittedAt: '2026-11-18T10:00:00.000Z',
              },
            ],
          },
        }),
      },
      '/incident-ops/playbooks/egress-access',
    );
    const section = within(await screen.findByTestId('requestor-surveys'));
    expect(
      screen.getByText('Post-resolution surveys of the tickets it was run on'),
    ).toBeInTheDocument();
    expect(
      section.getByText('8 surveys, average 2.38 / 5; 5 rated 2 or less'),
    ).toBeInTheDocument();
    const items = within(
      section.getByRole('list', { name: 'Low scores with comments' }),
    ).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      expect.stringMatching(/^“The firewall step took days”1 ★ · INC13100011/),
      expect.stringMatching(/^“Had to ask twice”2 ★ · INC13100008/),
    ]);
  });

  it('says so when there is no such playbook, with a link to the list', async () => {
    const error = await responseError(404, "No playbook 'nope'");
    await render(
      {
        getPlaybookDefinition: async () => {
          throw error;
        },
      },
      '/incident-ops/playbooks/nope',
    );
    expect(await screen.findByText('No playbook nope')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All playbooks' })).toHaveAttribute(
      'href',
      '/incident-ops/playbooks',
    );
  });

  it('shows other errors, and tries again on request', async () => {
    const error = await responseError(500, 'boom');
    const getPlaybookDefinition = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValueOnce(egressPlaybook);
    await render(
      { getPlaybookDefinition },
      '/incident-ops/playbooks/egress-access',
    );
    expect(
      await screen.findByText(/Request failed with 500/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('heading', { name: 'Steps' }),
    ).toBeInTheDocument();
  });
});

describe('fieldSource', () => {
  it('says where a value comes from', () => {
    expect(fieldSource({ label: 'Namespace', from: 'namespace' })).toBe(
      'The ticket (namespace), or given by the engineer',
    );
    expect(fieldSource({ label: 'Protocol', default: 'TCP' })).toBe(
      'Given by the engineer, else TCP',
    );
    expect(fieldSource({ label: 'Rule id' })).toBe('Given by the engineer');
  });
});

describe('PlaybooksPage', () => {
  it('shows progress while the playbooks load', async () => {
    await render(
      { listPlaybooks: () => new Promise<never>(() => {}) },
      '/incident-ops/playbooks',
    );
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('lists the playbooks with the ticket types that run them, and the mapping for every ticket type', async () => {
    await render(
      { listPlaybooks: async () => playbookList },
      '/incident-ops/playbooks',
    );
    const table = within(
      await screen.findByRole('table', { name: 'Playbooks' }),
    );
    const rows = table.getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'Egress AccessOpen egress from a namespace.Egress',
      'FluxCD / GitOpsGet a stuck Flux reconciliation going again.GitOps / FluxCD',
      'Certificate rotationRotate a certificate by hand.No ticket type (started by hand)',
    ]);
    expect(table.getByRole('link', { name: 'Egress Access' })).toHaveAttribute(
      'href',
      '/incident-ops/playbooks/egress-access',
    );

    const mapping = within(
      screen.getByRole('table', { name: 'Ticket type to playbook' }),
    );
    const rowOf = (type: string) =>
      mapping.getByText(type).closest('tr') as HTMLElement;
    expect(within(rowOf('Egress')).getByRole('link')).toHaveAttribute(
      'href',
      '/incident-ops/playbooks/egress-access',
    );
    expect(rowOf('GitOps / FluxCD')).toHaveTextContent('FluxCD / GitOps');
    expect(rowOf('Cluster outage')).toHaveTextContent(
      'None: worked case by case',
    );
    // every ticket type has a row
    expect(mapping.getAllByRole('row')).toHaveLength(10);
  });

  it('says so when no playbooks are loaded', async () => {
    await render(
      { listPlaybooks: async () => ({ items: [], mapping: {} }) },
      '/incident-ops/playbooks',
    );
    expect(await screen.findByText('No playbooks loaded')).toBeInTheDocument();
  });

  it('shows errors, and tries again on request', async () => {
    const error = await responseError(503, 'unavailable');
    const listPlaybooks = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValueOnce(playbookList);
    await render({ listPlaybooks }, '/incident-ops/playbooks');
    expect(
      await screen.findByText(/Request failed with 503/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('table', { name: 'Playbooks' }),
    ).toBeInTheDocument();
  });
});
