import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import type {
  EntityIncident,
  EntityIncidentsResponse,
} from '@acme/plugin-incident-ops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  IncidentOpsApi,
  IncidentReport,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import { entityPageRouteRef } from '../../routes';
import { knowledgeRoutes } from '../../testUtils/mountedRoutes';
import { IncidentsCard } from './IncidentsCard';

const cluster: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'abrc1l',
    annotations: { 'incident-ops.acme.com/servicenow-cmdb-ci': 'abrc1l' },
  },
  spec: { type: 'kubernetes-cluster' },
};

const incident = (overrides: Partial<EntityIncident>): EntityIncident => ({
  source: 'servicenow',
  id: 'x',
  number: 'INC13076932',
  shortDescription: 'Add egress NFS access for livelink-prod',
  priority: 'P3',
  status: 'work-in-progress',
  sourceState: '2',
  tier: 'L1',
  assignedTo: { id: 'u', name: 'Priya Raman' },
  assignmentGroup: { id: 'g', name: 'Atlas-L1-Support' },
  openedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
  sourceUpdatedAt: new Date().toISOString(),
  sourceVersion: 1,
  syncedAt: new Date().toISOString(),
  url: 'https://acme.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3Dx',
  attachedTo: {
    entityRef: 'resource:default/abrc1l',
    relation: 'self',
    by: 'cmdb-ci',
  },
  ...overrides,
});

const response = (items: EntityIncident[]): EntityIncidentsResponse => ({
  entities: [
    {
      entityRef: 'resource:default/abrc1l',
      relation: 'self',
      kind: 'Resource',
      type: 'kubernetes-cluster',
      configurationItem: 'abrc1l',
    },
    {
      entityRef: 'resource:default/livelink-prod',
      relation: 'dependent',
      kind: 'Resource',
      type: 'kubernetes-namespace',
      configurationItem: 'abrc1l:livelink-prod',
    },
  ],
  scope: { entities: 2, withConfigurationItem: 2 },
  items,
  totalOpen: items.length,
});

function renderCard(api: Partial<IncidentOpsApi>, entity: Entity = cluster) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [incidentOpsApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <IncidentsCard />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityPageRouteRef,
        ...knowledgeRoutes,
      },
    },
  );
}

describe('IncidentsCard', () => {
  it('lists open incidents with priority, status, tier, who is on it and where', async () => {
    const getEntityIncidents = jest.fn().mockResolvedValue(
      response([
        incident({
          number: 'INC13076901',
          priority: 'P1',
          shortDescription: 'Karpenter GPU node failure',
          status: 'escalated',
          tier: 'L3',
        }),
        incident({
          number: 'INC13076932',
          status: 'unassigned',
          tier: undefined,
          assignedTo: undefined,
          attachedTo: {
            entityRef: 'resource:default/livelink-prod',
            relation: 'dependent',
            by: 'cmdb-ci',
          },
        }),
        incident({
          number: 'INC13076950',
          priority: 'P4',
          attachedTo: {
            entityRef: 'resource:default/livelink-prod',
            relation: 'dependent',
            by: 'mention',
          },
        }),
      ]),
    );
    await renderCard({ getEntityIncidents });
    expect(getEntityIncidents).toHaveBeenCalledWith('resource:default/abrc1l');
    expect(await screen.findByText('INC13076901')).toBeInTheDocument();
    expect(screen.getByText('3 open')).toBeInTheDocument();
    expect(
      screen.getByText('in namespace livelink-prod (named in the ticket)'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('P1 Critical')).toBeInTheDocument();
    expect(screen.getByText('Escalated')).toBeInTheDocument();
    expect(screen.getByText('L3')).toBeInTheDocument();
    expect(screen.getByText('in namespace livelink-prod')).toBeInTheDocument();
    expect(screen.getByText('unassigned')).toBeInTheDocument();
    expect(screen.getAllByText('opened 3 h ago')).toHaveLength(3);
    expect(screen.getByText('INC13076932').closest('a')).toHaveAttribute(
      'href',
      'https://acme.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3Dx',
    );
  });

  it('says so when nothing is open', async () => {
    await renderCard({
      getEntityIncidents: jest.fn().mockResolvedValue(response([])),
    });
    expect(
      await screen.findByText(/No open incidents on this resource/),
    ).toBeInTheDocument();
  });

  it('reports an incident on the entity and reads the card again', async () => {
    const getEntityIncidents = jest.fn().mockResolvedValue(response([]));
    const filed = (clientKey: string): IncidentReport => ({
      clientKey,
      provisionalNumber: 'IOPS0000001',
      number: 'INC0010123',
      status: 'filed',
      priority: 'P4',
      tier: 'L1',
      shortDescription: 'kubectl login fails',
      entityRef: 'resource:default/abrc1l',
      attempts: 1,
      createdAt: '2026-12-07T04:00:00Z',
      updatedAt: '2026-12-07T04:00:00Z',
    });
    const reportIncident = jest.fn(async (body: { clientKey: string }) => ({
      incident: filed(body.clientKey),
    }));
    await renderCard({
      getEntityIncidents,
      reportIncident,
      previewIncidentDraft: jest.fn().mockRejectedValue(new Error('offline')),
    });
    await screen.findByText(/No open incidents on this resource/);
    fireEvent.click(screen.getByRole('button', { name: 'Report an incident' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Report an incident on abrc1l',
    });
    fireEvent.change(within(dialog).getByLabelText(/Short description/), {
      target: { value: 'kubectl login fails' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Report the incident' }),
    );
    expect(await screen.findByText('INC0010123')).toBeInTheDocument();
    expect(reportIncident).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'resource:default/abrc1l' }),
    );
    await waitFor(() => expect(getEntityIncidents).toHaveBeenCalledTimes(2));
  }, 30_000);

  it('tells the owner which annotation to add when nothing names a CMDB CI', async () => {
    await renderCard({
      getEntityIncidents: jest.fn().mockResolvedValue({
        entities: [
          {
            entityRef: 'component:default/docs-site',
            relation: 'self',
            kind: 'Component',
          },
        ],
        scope: { entities: 1, withConfigurationItem: 0 },
        items: [],
        totalOpen: 0,
      }),
    });
    expect(
      (await screen.findAllByText(/incident-ops.acme.com\/servicenow-cmdb-ci/))
        .length,
    ).toBeGreaterThan(0);
  });

  it('shows the error when the backend fails', async () => {
    await renderCard({
      getEntityIncidents: jest
        .fn()
        .mockRejectedValue(new Error('incident-ops is down')),
    });
    await waitFor(() =>
      expect(
        screen.getAllByText(/incident-ops is down/).length,
      ).toBeGreaterThan(0),
    );
  });

  it('shows progress while loading', async () => {
    await renderCard({
      getEntityIncidents: () => new Promise(() => {}),
    });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows each incident’s SLA clock and links it to the Ops tab', async () => {
    const getEntityIncidents = jest.fn().mockResolvedValue(
      response([
        incident({
          number: 'INC13076901',
          priority: 'P1',
          sla: {
            target: 'resolve',
            state: 'breached',
            limitMs: 4 * 3600_000,
            usedMs: 5 * 3600_000,
            pausedMs: 0,
            overByMs: 3600_000,
          },
        }),
        incident({
          number: 'INC13076932',
          status: 'awaiting-customer',
          sla: {
            target: 'resolve',
            state: 'paused',
            limitMs: 72 * 3600_000,
            usedMs: 2 * 3600_000,
            pausedMs: 3600_000,
            leftMs: 70 * 3600_000,
          },
        }),
      ]),
    );
    const getCommunicationsDue = jest.fn().mockResolvedValue({
      at: new Date().toISOString(),
      overdue: 1,
      items: [
        {
          number: 'INC13076901',
          priority: 'P1',
          status: 'work-in-progress',
          shortDescription: 'x',
          kind: 'hourly-update',
          slot: 2,
          dueAt: new Date(Date.now() - 5 * 60_000).toISOString(),
          state: 'overdue',
          dueInMs: -5 * 60_000,
        },
      ],
    });
    await renderCard({ getEntityIncidents, getCommunicationsDue });
    const breached = (await screen.findByText('INC13076901')).closest('tr')!;
    expect(
      await within(breached).findByText('Update overdue 5 min'),
    ).toBeInTheDocument();
    expect(breached).toHaveTextContent('Resolution overdue 1 h');
    const paused = screen.getByText('INC13076932').closest('tr')!;
    expect(paused).toHaveTextContent('Paused, 2 d 22 h left');
    expect(
      screen.getByLabelText(
        /SLA to resolve paused while awaiting the customer, 2 d 22 h left/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Work INC13076901 in the Ops tab' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/abrc1l/ops?incident=INC13076901',
    );
  });
});
