import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
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
import {
  communications,
  detail,
  playbookView,
  suggestions,
} from '../__fixtures__/incidents';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { IncidentView } from './IncidentView';

jest.setTimeout(30_000);

// usePermission caches decisions per permission for the whole module, so every test here
// runs with the permissions granted; IncidentView.denied.test.tsx covers DENY.
/** The sections' reads, answered plainly; tests override what they look at. */
const sections = (): Partial<IncidentOpsApi> => ({
  getPlaybook: jest.fn().mockResolvedValue(playbookView()),
  getKbSuggestions: jest.fn().mockResolvedValue(suggestions()),
  recordKbViews: jest.fn().mockResolvedValue(undefined),
  getCommunications: jest.fn().mockResolvedValue(communications()),
  getVendorEngagements: jest.fn().mockResolvedValue({ items: [] }),
  getContacts: jest.fn(),
  getSurvey: jest.fn().mockResolvedValue({
    number: 'INC13076920',
    open: true,
    requestor: false,
    editable: true,
  }),
});

async function render(
  apiOverrides: Partial<IncidentOpsApi>,
  extra: any[] = [],
) {
  const api = { ...sections(), ...apiOverrides };
  const onChanged = jest.fn();
  return {
    onChanged,
    rendered: await renderInTestApp(
      <TestApiProvider
        apis={[
          [incidentOpsApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
          [catalogApiRef, catalogApiMock({ entities: [] })],
          ...extra,
        ]}
      >
        <IncidentView number="INC13076920" onChanged={onChanged} />
      </TestApiProvider>,
    ),
  };
}

async function conflict(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message },
        request: { method: 'POST', url: '/incidents/INC13076920/transitions' },
        response: { statusCode: 409 },
      }),
      { status: 409, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

describe('IncidentView', () => {
  it('shows the ticket, its clocks, and its timeline with why it was escalated', async () => {
    await render({ getIncident: jest.fn().mockResolvedValue(detail()) });
    expect(
      await screen.findByRole('heading', {
        name: 'Pod visibility loss in livelink-prod',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open INC13076920 in ServiceNow/ }),
    ).toHaveAttribute(
      'href',
      'https://acme.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3Dx',
    );
    expect(screen.getByText('Tier L2')).toBeInTheDocument();
    expect(
      screen.getByText(/Priya Raman \(Atlas-L1-Support\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('abrc1l:livelink-prod')).toBeInTheDocument();
    expect(screen.getByText('Dana Osei')).toBeInTheDocument();
    expect(
      screen.getByText(/kubectl get pods shows nothing/),
    ).toBeInTheDocument();

    const clocks = screen.getByRole('table', { name: 'Clocks' });
    const row = (name: RegExp) =>
      within(clocks).getByRole('rowheader', { name }).closest('tr')!;
    expect(row(/SLA: resolve/)).toHaveTextContent(/2 h.*8 h.*6 h/);
    expect(row(/SLA: respond/)).toHaveTextContent('answered');
    expect(row(/At L2/)).toHaveTextContent(/20 min.*1 h.*40 min/);

    const timeline = screen.getByRole('list', {
      name: 'Timeline, newest first',
    });
    const entries = within(timeline).getAllByRole('listitem');
    expect(entries[0]).toHaveTextContent('Escalated');
    expect(entries[0]).toHaveTextContent('P2 at L1: a P2 goes to L2 at once');
    expect(entries[0]).toHaveTextContent('Why: rule l1-to-l2-p2, L1 → L2');
    expect(entries[0]).toHaveTextContent(
      'Clocks when it fired: 32 min at the tier (limit 30 min), 1 h 40 min open',
    );
    expect(entries[1]).toHaveTextContent('Status changed here');
  });

  it('says when the clocks run on an older escalation policy', async () => {
    const getIncident = jest.fn().mockResolvedValue(
      detail({
        timeline: {
          ...detail().timeline!,
          policy: { id: 'b'.repeat(64), current: false },
        },
      }),
    );
    await render({ getIncident });
    await waitFor(() => expect(getIncident).toHaveBeenCalled());
    expect(
      await screen.findByText(/in force when it entered L2 \(bbbbbbbbbbbb\)/),
    ).toBeInTheDocument();
  });

  it('offers the moves legal now, and resolving needs a resolution note', async () => {
    const transition = jest.fn().mockResolvedValue({
      event: { id: 1, number: 'INC13076920', type: 'transition' },
      writeBack: { key: 'k', status: 'pending' },
    });
    const getIncident = jest.fn().mockResolvedValue(detail());
    const { onChanged } = await render({
      getIncident,
      transition,
      getPlaybook: jest
        .fn()
        .mockResolvedValue(playbookView({ unverified: [] })),
    });
    const actions = await screen.findByRole('group', {
      name: 'Work the ticket',
    });
    expect(
      within(actions)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Await customer', 'Resolve', 'Escalate to L3']);

    fireEvent.click(within(actions).getByRole('button', { name: 'Resolve' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Resolve INC13076920',
    });
    const submit = within(dialog).getByRole('button', { name: 'Resolve' });
    expect(submit).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText(/Resolution note/), {
      target: { value: 'Restarted the metrics-server; pods visible again' },
    });
    fireEvent.click(submit);
    await waitFor(() =>
      expect(transition).toHaveBeenCalledWith('INC13076920', {
        to: 'resolved',
        note: 'Restarted the metrics-server; pods visible again',
        closeCode: 'Solution provided',
        overrideReason: undefined,
      }),
    );
    expect(
      await screen.findByText(/INC13076920 moved to Resolved/),
    ).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalled();
    expect(getIncident).toHaveBeenCalledTimes(2);
  });

  it('shows what the backend says when a move is refused, and changes nothing', async () => {
    const transition = jest
      .fn()
      .mockRejectedValue(
        await conflict(
          'INC13076920 cannot go from resolved to awaiting-customer; allowed from resolved: work-in-progress, closed',
        ),
      );
    const { onChanged } = await render({
      getIncident: jest.fn().mockResolvedValue(detail()),
      transition,
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Await customer' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Await customer INC13076920',
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Await customer' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /allowed from resolved: work-in-progress, closed/,
    );
    expect(transition).toHaveBeenCalledWith('INC13076920', {
      to: 'awaiting-customer',
      note: undefined,
      closeCode: undefined,
      overrideReason: undefined,
    });
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('asks for an override reason to resolve with a playbook verification not verified', async () => {
    const transition = jest.fn().mockResolvedValue({
      event: { id: 1, number: 'INC13076920', type: 'transition' },
      writeBack: { key: 'k', status: 'pending' },
    });
    await render({
      getIncident: jest.fn().mockResolvedValue(detail()),
      transition,
    });
    // the playbook has loaded and says test-verification is not verified
    await screen.findByText(/Not verified yet: test-verification/);
    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Resolve INC13076920',
    });
    fireEvent.change(within(dialog).getByLabelText(/Resolution note/), {
      target: { value: 'Rule live' },
    });
    const submit = within(dialog).getByRole('button', { name: 'Resolve' });
    expect(submit).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText(/Override reason/), {
      target: { value: 'Requester confirmed the mount works' },
    });
    fireEvent.click(submit);
    await waitFor(() =>
      expect(transition).toHaveBeenCalledWith('INC13076920', {
        to: 'resolved',
        note: 'Rule live',
        closeCode: 'Solution provided',
        overrideReason: 'Requester confirmed the mount works',
      }),
    );
  });

  it('escalates with a trigger and a note', async () => {
    const escalate = jest.fn().mockResolvedValue({
      decision: {
        rule: 'manual-architectural-impact',
        from: 'L2',
        to: 'L3',
        explanation:
          'user:default/guest escalated it (architectural-impact): needs a new egress gateway',
        key: 'k',
      },
    });
    await render({
      getIncident: jest.fn().mockResolvedValue(detail()),
      escalate,
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Escalate to L3' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Escalate INC13076920 from L2 to L3 (Evangelist)',
    });
    const submit = within(dialog).getByRole('button', {
      name: 'Escalate to L3',
    });
    expect(submit).toBeDisabled();
    fireEvent.click(within(dialog).getByLabelText(/Architectural impact/));
    fireEvent.change(
      within(dialog).getByLabelText(/Note for the receiving tier/),
      {
        target: { value: 'needs a new egress gateway' },
      },
    );
    fireEvent.click(submit);
    await waitFor(() =>
      expect(escalate).toHaveBeenCalledWith('INC13076920', {
        trigger: 'architectural-impact',
        note: 'needs a new egress gateway',
      }),
    );
    expect(
      await screen.findByText(/Escalated: user:default\/guest escalated it/),
    ).toBeInTheDocument();
  });

  it('does not offer escalation above L3, nor moves for a closed ticket', async () => {
    const getIncident = jest
      .fn()
      .mockResolvedValueOnce(detail({ tier: 'L3' }))
      .mockResolvedValue(detail({ status: 'closed' }));
    await render({ getIncident });
    const actions = await screen.findByRole('group', {
      name: 'Work the ticket',
    });
    expect(
      within(actions).queryByRole('button', { name: /Escalate/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the post-resolution survey on a resolved ticket, not on one still worked', async () => {
    const { rendered } = await render({
      getIncident: jest.fn().mockResolvedValue(detail()),
    });
    await screen.findByRole('heading', {
      name: 'Pod visibility loss in livelink-prod',
    });
    expect(screen.queryByText('Post-resolution survey')).toBeNull();
    rendered.unmount();

    await render({
      getIncident: jest
        .fn()
        .mockResolvedValue(
          detail({ status: 'resolved', resolvedAt: '2026-11-20T10:00:00Z' }),
        ),
    });
    expect(
      await screen.findByText('Post-resolution survey'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('form', { name: 'Post-resolution survey' }),
    ).toBeInTheDocument();
    // back to work from resolved is a reopen
    const actions = screen.getByRole('group', { name: 'Work the ticket' });
    expect(
      within(actions)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Reopen', 'Close']);
  });

  it('re-reads the incident when a signal says it changed', async () => {
    const subscribers: Array<(m: any) => void> = [];
    const signalApi = {
      subscribe: (_c: string, cb: (m: any) => void) => {
        subscribers.push(cb);
        return { unsubscribe: () => {} };
      },
    };
    const getIncident = jest.fn().mockResolvedValue(detail());
    await render({ getIncident }, [[signalApiRef, signalApi]]);
    await screen.findByRole('heading', {
      name: 'Pod visibility loss in livelink-prod',
    });
    act(() =>
      subscribers.forEach(cb => cb({ number: 'INC1', change: 'x', at: '' })),
    );
    act(() =>
      subscribers.forEach(cb =>
        cb({ number: 'INC13076920', change: 'escalation', at: '' }),
      ),
    );
    await waitFor(() => expect(getIncident).toHaveBeenCalledTimes(2));
  });

  it('shows the error for an unknown ticket, and progress while loading', async () => {
    await render({
      getIncident: jest
        .fn()
        .mockRejectedValue(new Error('No incident INC13076920')),
    });
    await waitFor(() =>
      expect(
        screen.getAllByText(/No incident INC13076920/).length,
      ).toBeGreaterThan(0),
    );
  });

  it('shows progress while loading', async () => {
    await render({ getIncident: () => new Promise(() => {}) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });
});
