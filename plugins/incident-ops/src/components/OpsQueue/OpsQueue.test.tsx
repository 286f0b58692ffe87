import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { configure } from '@testing-library/react';

// a small machine renders MUI slowly
configure({ asyncUtilTimeout: 5000 });
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { detail, queue, queueItem } from '../__fixtures__/incidents';
import { OpsQueue } from './OpsQueue';

const clusters = ['abrc1l', 'mecc', 'rtg'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name },
  spec: { type: 'kubernetes-cluster' },
}));

function signals() {
  const subscribers: Array<(m: any) => void> = [];
  return {
    api: {
      subscribe: (_channel: string, cb: (m: any) => void) => {
        subscribers.push(cb);
        return { unsubscribe: () => {} };
      },
    },
    send: (message: object) => subscribers.forEach(cb => cb(message)),
  };
}

function render(
  api: Partial<IncidentOpsApi>,
  options: { entityRef?: string; route?: string; signal?: any } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [incidentOpsApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: clusters as any })],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
        ...(options.signal ? [[signalApiRef, options.signal] as const] : []),
      ]}
    >
      <OpsQueue entityRef={options.entityRef} />
    </TestApiProvider>,
    { routeEntries: [options.route ?? '/incident-ops/queue'] },
  );
}

const rowOf = (number: string) => screen.getByTestId(`queue-${number}`);

jest.setTimeout(30_000);

describe('OpsQueue', () => {
  it('lists incidents breaching first with their SLA clocks, tier clocks and who is on them', async () => {
    const getQueue = jest.fn().mockResolvedValue(queue);
    const getCommunicationsDue = jest.fn().mockResolvedValue({
      at: new Date().toISOString(),
      overdue: 0,
      items: [
        {
          number: 'INC13076920',
          priority: 'P2',
          status: 'work-in-progress',
          shortDescription: 'x',
          kind: 'hourly-update',
          slot: 1,
          dueAt: new Date(Date.now() + 12 * 60_000).toISOString(),
          state: 'upcoming',
          dueInMs: 12 * 60_000,
        },
      ],
    });
    await render({ getQueue, getCommunicationsDue });
    expect(await screen.findByText('INC13076901')).toBeInTheDocument();
    expect(await screen.findByText('Update due in 12 min')).toBeInTheDocument();
    expect(getQueue).toHaveBeenCalledWith(
      expect.objectContaining({ sort: 'breaching', limit: 25, offset: 0 }),
    );
    expect(rowOf('INC13076901')).toHaveTextContent(/Resolution overdue 1 h/);
    expect(
      within(rowOf('INC13076901')).getByLabelText(
        /SLA to resolve breached by 1 h/,
      ),
    ).toBeInTheDocument();
    expect(rowOf('INC13076901')).toHaveTextContent('Wei Zhang');
    expect(rowOf('INC13076901')).toHaveTextContent('mecc · Node provisioning');
    expect(rowOf('INC13076920')).toHaveTextContent('20 min left to resolve');
    expect(rowOf('INC13076920')).toHaveTextContent('Escalates to L2 in 12 min');
    expect(rowOf('INC13076932')).toHaveTextContent('Paused, 2 d 22 h left');
    expect(rowOf('INC13076932')).toHaveTextContent('Awaiting customer');
    expect(
      screen.getByText(/3 incidents, 1 breached on this page/),
    ).toBeInTheDocument();
    // the rows are in the order the backend gave
    const numbers = screen
      .getAllByTestId(/^queue-/)
      .map(r => r.getAttribute('data-testid'));
    expect(numbers).toEqual([
      'queue-INC13076901',
      'queue-INC13076920',
      'queue-INC13076932',
    ]);
  });

  it('filters by priority, tier, status, cluster and ticket type, and changes the order', async () => {
    const getQueue = jest.fn().mockResolvedValue(queue);
    await render(
      { getQueue },
      {
        route:
          '/incident-ops/queue?priority=P1&priority=P2&tier=L3&status=escalated&ticketType=egress&cluster=mecc&sort=priority',
      },
    );
    await screen.findByText('INC13076901');
    expect(getQueue).toHaveBeenLastCalledWith(
      expect.objectContaining({
        priority: ['P1', 'P2'],
        tier: ['L3'],
        status: ['escalated'],
        ticketType: ['egress'],
        cluster: 'mecc',
        sort: 'priority',
      }),
    );

    // choose another cluster from those in the catalog
    fireEvent.mouseDown(screen.getByLabelText('Cluster'));
    fireEvent.click(await screen.findByRole('option', { name: 'rtg' }));
    await waitFor(() =>
      expect(getQueue).toHaveBeenLastCalledWith(
        expect.objectContaining({ cluster: 'rtg' }),
      ),
    );

    // and a priority more
    fireEvent.mouseDown(screen.getByLabelText('Filter by priority'));
    fireEvent.click(await screen.findByRole('option', { name: 'P4' }));
    await waitFor(() =>
      expect(getQueue).toHaveBeenLastCalledWith(
        expect.objectContaining({ priority: ['P1', 'P2', 'P4'] }),
      ),
    );
    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'Escape' });

    fireEvent.mouseDown(screen.getByLabelText('Order'));
    fireEvent.click(
      await screen.findByRole('option', { name: 'Breaching first' }),
    );
    await waitFor(() =>
      expect(getQueue).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'breaching' }),
      ),
    );
  });

  it('scopes to an entity in the Ops tab, without a cluster filter', async () => {
    const getQueue = jest.fn().mockResolvedValue(queue);
    await render({ getQueue }, { entityRef: 'component:default/livelink-api' });
    await screen.findByText('INC13076901');
    expect(getQueue).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/livelink-api',
        cluster: undefined,
      }),
    );
    expect(screen.queryByLabelText('Cluster')).not.toBeInTheDocument();
  });

  it('shows a ticket at triage as L1 · triage', async () => {
    const getQueue = jest.fn().mockResolvedValue({
      items: [
        {
          ...queueItem({
            number: 'INC0010009',
            priority: 'P3',
            status: 'unassigned',
            tier: 'L1',
            assignedTo: undefined,
            assignmentGroup: undefined,
            tierClock: {
              tier: 'L1',
              usedMs: 10 * 60_000,
              limitMs: 30 * 60_000,
              leftMs: 20 * 60_000,
              breached: false,
            },
          }),
          triage: true,
        },
        queueItem({ number: 'INC0010010', tier: 'L1' }),
      ],
      total: 2,
      now: new Date().toISOString(),
    });
    await render({ getQueue });
    await screen.findByText('INC0010009');
    expect(rowOf('INC0010009')).toHaveTextContent(/L1 · triage · /);
    expect(rowOf('INC0010010')).not.toHaveTextContent(/triage/);
  });

  it('says when nothing is open, and offers to clear filters when they hide everything', async () => {
    const getQueue = jest.fn().mockResolvedValue({
      items: [],
      total: 0,
      now: new Date().toISOString(),
    });
    await render({ getQueue }, { route: '/incident-ops/queue?priority=P1' });
    expect(
      await screen.findByText('No incidents match these filters'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByText('Nothing open')).toBeInTheDocument();
    expect(getQueue).toHaveBeenLastCalledWith(
      expect.objectContaining({ priority: [] }),
    );
  });

  it('shows the error when the queue cannot be read', async () => {
    await render({
      getQueue: jest.fn().mockRejectedValue(new Error('incident-ops is down')),
    });
    await waitFor(() =>
      expect(
        screen.getAllByText(/incident-ops is down/).length,
      ).toBeGreaterThan(0),
    );
  });

  it('shows progress while loading', async () => {
    await render({ getQueue: () => new Promise(() => {}) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('opens an incident in a drawer from its link, and closes it', async () => {
    const getIncident = jest.fn().mockResolvedValue(detail());
    await render({ getQueue: jest.fn().mockResolvedValue(queue), getIncident });
    fireEvent.click(
      await screen.findByRole('link', {
        name: 'Open INC13076920: Pod visibility loss in livelink-prod',
      }),
    );
    const drawer = await screen.findByRole('dialog', {
      name: 'Incident INC13076920',
    });
    expect(getIncident).toHaveBeenCalledWith('INC13076920');
    expect(
      await within(drawer).findByText('P2 at L1: a P2 goes to L2 at once'),
    ).toBeInTheDocument();
    fireEvent.click(
      within(drawer).getByRole('button', { name: 'Close the incident view' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Incident INC13076920' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('reads the queue again when an incident changes (signal)', async () => {
    const signal = signals();
    const getQueue = jest.fn().mockResolvedValue(queue);
    await render({ getQueue }, { signal: signal.api });
    await screen.findByText('INC13076901');
    expect(getQueue).toHaveBeenCalledTimes(1);
    act(() =>
      signal.send({ number: 'INC13076901', change: 'transition', at: 'now' }),
    );
    await waitFor(() => expect(getQueue).toHaveBeenCalledTimes(2));
  });
});
