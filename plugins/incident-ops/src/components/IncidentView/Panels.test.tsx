import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { ReactElement } from 'react';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import {
  communications,
  detail,
  playbookView,
  suggestions,
} from '../__fixtures__/incidents';
import { CommunicationsPanel, nextDueText } from './CommunicationsPanel';
import { ContactsPanel } from './ContactsPanel';
import { KbPanel } from './KbPanel';
import { PlaybookPanel } from './PlaybookPanel';
import { VendorPanel } from './VendorPanel';
import { knowledgeRoutes } from '../../testUtils/mountedRoutes';

configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);

// usePermission caches decisions per permission for the module: all granted here;
// Panels.denied.test.tsx covers DENY.
function render(
  api: Partial<IncidentOpsApi>,
  ui: ReactElement,
  extra: any[] = [],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [incidentOpsApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
        ...extra,
      ]}
    >
      {ui}
    </TestApiProvider>,
    { mountedRoutes: knowledgeRoutes },
  );
}

describe('PlaybookPanel', () => {
  it('shows the steps with their state and filled templates, and runs a step', async () => {
    const recordPlaybookStep = jest.fn().mockResolvedValue(playbookView());
    const onChanged = jest.fn();
    await render(
      {
        getPlaybook: jest.fn().mockResolvedValue(playbookView()),
        recordPlaybookStep,
      },
      <PlaybookPanel number="INC13076920" version={0} onChanged={onChanged} />,
    );
    const steps = await screen.findByRole('list', {
      name: 'Egress Access steps',
    });
    const first = within(steps).getByTestId('step-validate-namespace');
    expect(first).toHaveTextContent('Done');
    expect(first).toHaveTextContent('Done by user:default/priya.raman');
    // a done step has nothing more to record
    expect(within(first).queryByRole('button')).toBeNull();
    const second = within(steps).getByTestId('step-firewall-rule');
    expect(second).toHaveTextContent('Source: livelink-prod');
    expect(second).toHaveTextContent('still needs port');
    // the third waits for the second
    expect(
      within(steps).getByTestId('step-test-verification'),
    ).toHaveTextContent('First: firewall-rule');
    expect(
      screen.getByText(/Not verified yet: test-verification/),
    ).toBeInTheDocument();

    // port is missing: done only once a value is typed, and it goes with the step
    const done = within(second).getByRole('button', {
      name: 'Mark done: Fill the firewall rule',
    });
    expect(done).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Destination port'), {
      target: { value: '2049' },
    });
    expect(done).toBeEnabled();
    fireEvent.click(done);
    await waitFor(() =>
      expect(recordPlaybookStep).toHaveBeenCalledWith(
        'INC13076920',
        'firewall-rule',
        { status: 'done', note: undefined, values: { port: '2049' } },
      ),
    );
    await waitFor(() =>
      expect(onChanged).toHaveBeenCalledWith('Fill the firewall rule: done.'),
    );
  });

  it('needs a note to skip a step, and shows what the backend refuses', async () => {
    const { ResponseError } = await import('@backstage/errors');
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'firewall-rule comes first',
          },
          request: { method: 'POST', url: '/x' },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'Content-Type': 'application/json' } },
      ) as any,
    );
    const recordPlaybookStep = jest.fn().mockRejectedValue(refused);
    await render(
      {
        getPlaybook: jest.fn().mockResolvedValue(playbookView()),
        recordPlaybookStep,
      },
      <PlaybookPanel number="INC13076920" version={0} onChanged={jest.fn()} />,
    );
    const step = await screen.findByTestId('step-firewall-rule');
    const skip = within(step).getByRole('button', {
      name: 'Skip: Fill the firewall rule',
    });
    expect(skip).toBeDisabled();
    fireEvent.change(within(step).getByLabelText('Note'), {
      target: { value: 'rule exists already' },
    });
    fireEvent.click(skip);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'firewall-rule comes first',
    );
    expect(recordPlaybookStep).toHaveBeenCalledWith(
      'INC13076920',
      'firewall-rule',
      { status: 'skipped', note: 'rule exists already', values: undefined },
    );
  });

  it('starts the mapped playbook when no run is under way', async () => {
    const startPlaybook = jest.fn().mockResolvedValue(playbookView());
    await render(
      {
        getPlaybook: jest
          .fn()
          .mockResolvedValue(playbookView({ run: undefined })),
        startPlaybook,
      },
      <PlaybookPanel number="INC13076920" version={0} onChanged={jest.fn()} />,
    );
    expect(
      await screen.findByText(/Not started: start it to record each step/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Mark done/ }),
    ).not.toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Start Egress Access' }),
    );
    await waitFor(() =>
      expect(startPlaybook).toHaveBeenCalledWith('INC13076920', {
        values: undefined,
        replace: false,
      }),
    );
  });

  it('offers the playbooks there are when the ticket type maps to none', async () => {
    const startPlaybook = jest.fn().mockResolvedValue(playbookView());
    await render(
      {
        getPlaybook: jest.fn().mockResolvedValue(
          playbookView({
            playbook: undefined,
            run: undefined,
            steps: [],
            fields: [],
            ticketType: 'other',
            available: [{ id: 'gitops', title: 'FluxCD / GitOps' }],
          }),
        ),
        startPlaybook,
      },
      <PlaybookPanel number="INC13076920" version={0} onChanged={jest.fn()} />,
    );
    expect(
      await screen.findByText(
        /No playbook is mapped to this ticket type \(other\)/,
      ),
    ).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByLabelText('Run a playbook'));
    fireEvent.click(
      await screen.findByRole('option', { name: 'FluxCD / GitOps' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() =>
      expect(startPlaybook).toHaveBeenCalledWith('INC13076920', {
        playbookId: 'gitops',
      }),
    );
  });
});

describe('KbPanel', () => {
  it('lists suggestions with why, and marks one not helpful', async () => {
    const sendKbFeedback = jest.fn().mockResolvedValue({
      feedback: {},
      kb: { shown: 2, notHelpful: 1, exhausted: false },
    });
    const onChanged = jest.fn();
    const recordKbViews = jest.fn().mockResolvedValue(undefined);
    await render(
      {
        getKbSuggestions: jest.fn().mockResolvedValue(suggestions()),
        recordKbViews,
        sendKbFeedback,
      },
      <KbPanel number="INC13076920" version={0} onChanged={onChanged} />,
    );
    // what it shows is recorded as shown, by an explicit call
    await waitFor(() =>
      expect(recordKbViews).toHaveBeenCalledWith('INC13076920'),
    );
    const list = await screen.findByRole('list', {
      name: 'Suggested knowledge articles',
    });
    const nfs = within(list).getByTestId('kb-KB0010001');
    expect(nfs).toHaveTextContent('Matches nfs in the text');
    expect(
      within(nfs).getByRole('link', { name: /NFS mounts from pods/ }),
    ).toHaveAttribute('href', '/incident-ops/kb/KB0010001');
    fireEvent.click(within(nfs).getByRole('button', { name: /Not helpful/ }));
    await waitFor(() =>
      expect(sendKbFeedback).toHaveBeenCalledWith('INC13076920', {
        articleId: 'KB0010001',
        helpful: false,
      }),
    );
    expect(onChanged).toHaveBeenCalledWith('KB0010001 marked not helpful.');
    expect(
      screen.getByText('2 shown on this ticket, 0 marked not helpful.'),
    ).toBeInTheDocument();
  });

  it('says when the ticket is KB-exhausted, and shows earlier verdicts as pressed', async () => {
    await render(
      {
        recordKbViews: jest.fn().mockResolvedValue(undefined),
        getKbSuggestions: jest.fn().mockResolvedValue(
          suggestions({
            kb: { shown: 1, notHelpful: 1, exhausted: true },
            items: [
              {
                ...suggestions().items[0],
                feedback: {
                  helpful: false,
                  actor: 'user:default/priya.raman',
                  at: new Date().toISOString(),
                },
              },
            ],
          }),
        ),
      },
      <KbPanel number="INC13076920" version={0} onChanged={jest.fn()} />,
    );
    expect(await screen.findByText(/KB exhausted/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Not helpful/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(
      screen.getByText(/Marked not helpful by user:default\/priya.raman/),
    ).toBeInTheDocument();
  });
});

describe('CommunicationsPanel', () => {
  it('says what update is due next, and sends one', async () => {
    const postUpdate = jest.fn().mockResolvedValue({});
    const onChanged = jest.fn();
    await render(
      {
        getCommunications: jest.fn().mockResolvedValue(communications()),
        postUpdate,
      },
      <CommunicationsPanel
        number="INC13076920"
        version={0}
        onChanged={onChanged}
      />,
    );
    expect(
      await screen.findByText('Hourly update due in 12 min'),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Update to stakeholders'), {
      target: { value: 'Metrics server restarted, watching' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Send update' }));
    await waitFor(() =>
      expect(postUpdate).toHaveBeenCalledWith('INC13076920', {
        kind: 'update',
        message: 'Metrics server restarted, watching',
      }),
    );
    expect(onChanged).toHaveBeenCalledWith('Update sent to the stakeholders.');
  });

  it('counts the notifications the outbox refused', async () => {
    const record = (id: number, status: 'done' | 'refused') => ({
      id,
      key: `k${id}`,
      kind: 'delivery' as const,
      event: 'hourly-update',
      channel: 'email',
      status,
      attempts: 1,
      createdAt: new Date().toISOString(),
    });
    await render(
      {
        getCommunications: jest.fn().mockResolvedValue(
          communications({
            notifications: [record(1, 'done'), record(2, 'refused')],
          }),
        ),
      },
      <CommunicationsPanel
        number="INC13076920"
        version={0}
        onChanged={jest.fn()}
      />,
    );
    expect(
      await screen.findByText(
        /2 notifications sent about this ticket, 1 refused/,
      ),
    ).toBeInTheDocument();
  });

  it('asks for the post-mortem of a resolved P1', async () => {
    await render(
      {
        getCommunications: jest.fn().mockResolvedValue(
          communications({
            priority: 'P1',
            status: 'resolved',
            realTime: true,
            obligations: [
              {
                kind: 'post-mortem',
                slot: 1,
                dueAt: new Date(Date.now() - 3_600_000).toISOString(),
                state: 'overdue',
              },
            ],
            next: {
              kind: 'post-mortem',
              slot: 1,
              dueAt: new Date(Date.now() - 3_600_000).toISOString(),
              state: 'overdue',
              dueInMs: -3_600_000,
            },
          }),
        ),
      },
      <CommunicationsPanel
        number="INC13076920"
        version={0}
        onChanged={jest.fn()}
      />,
    );
    expect(
      await screen.findByText('Post-mortem overdue by 1 h'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Record post-mortem' }),
    ).toBeInTheDocument();
  });

  it('words the next obligation', () => {
    const dueAt = new Date().toISOString();
    expect(
      nextDueText({
        kind: 'hourly-update',
        slot: 2,
        dueAt,
        state: 'overdue',
        dueInMs: -300_000,
      }),
    ).toEqual({ text: 'Hourly update overdue by 5 min', overdue: true });
  });
});

describe('VendorPanel', () => {
  it('lists vendor cases against their SLA, records one, and the vendor response', async () => {
    const engagement = {
      id: 3,
      number: 'INC13076920',
      priority: 'P2' as const,
      vendor: 'tanzu' as const,
      caseId: 'SR-123',
      openedAt: new Date(Date.now() - 3_600_000).toISOString(),
      responseSla: 4 * 3_600_000,
      respondBy: new Date(Date.now() + 3 * 3_600_000).toISOString(),
      timeToResponseMs: 3_600_000,
      leftMs: 3 * 3_600_000,
      responded: false,
      breached: false,
    };
    const openVendorEngagement = jest.fn().mockResolvedValue({ engagement });
    const recordVendorResponse = jest.fn().mockResolvedValue({ engagement });
    await render(
      {
        getVendorEngagements: jest
          .fn()
          .mockResolvedValue({ items: [engagement] }),
        openVendorEngagement,
        recordVendorResponse,
      },
      <VendorPanel number="INC13076920" version={0} onChanged={jest.fn()} />,
    );
    const cases = await screen.findByRole('list', { name: 'Vendor cases' });
    expect(cases).toHaveTextContent('Tanzu (VMware) case SR-123');
    expect(cases).toHaveTextContent('waiting 1 h, 3 h left of 4 h');
    fireEvent.click(screen.getByRole('button', { name: 'Vendor responded' }));
    await waitFor(() =>
      expect(recordVendorResponse).toHaveBeenCalledWith('INC13076920', 3, {}),
    );
    fireEvent.change(screen.getByLabelText('Vendor case id'), {
      target: { value: 'AWS-99' },
    });
    fireEvent.mouseDown(screen.getByLabelText('Vendor'));
    fireEvent.click(await screen.findByRole('option', { name: 'AWS' }));
    fireEvent.click(screen.getByRole('button', { name: 'Record vendor case' }));
    await waitFor(() =>
      expect(openVendorEngagement).toHaveBeenCalledWith('INC13076920', {
        vendor: 'aws',
        caseId: 'AWS-99',
        note: undefined,
      }),
    );
  });
});

describe('ContactsPanel', () => {
  const tree = {
    entityRef: 'resource:default/livelink-prod',
    chain: [
      {
        entityRef: 'resource:default/livelink-prod',
        kind: 'Resource',
        type: 'kubernetes-namespace',
      },
    ],
    channels: {},
    levels: [],
    gaps: [],
  };

  it('shows the contact tree of the entity whose CMDB CI the ticket names', async () => {
    const getContacts = jest.fn().mockResolvedValue(tree);
    await render({ getContacts }, <ContactsPanel incident={detail()} />, [
      [
        catalogApiRef,
        catalogApiMock({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'livelink-prod',
                annotations: {
                  'incident-ops.acme.com/servicenow-cmdb-ci':
                    'abrc1l:livelink-prod',
                },
              },
              spec: { type: 'kubernetes-namespace' },
            },
          ],
        }),
      ],
    ]);
    await waitFor(() =>
      expect(getContacts).toHaveBeenCalledWith(
        'resource:default/livelink-prod',
      ),
    );
  });

  it('says so when no entity has the ticket’s CMDB CI', async () => {
    const getContacts = jest.fn();
    await render({ getContacts }, <ContactsPanel incident={detail()} />, [
      [catalogApiRef, catalogApiMock({ entities: [] })],
    ]);
    expect(
      await screen.findByText(
        /No catalog entity has this ticket's CMDB CI \(abrc1l:livelink-prod\)/,
      ),
    ).toBeInTheDocument();
    expect(getContacts).not.toHaveBeenCalled();
  });
});
