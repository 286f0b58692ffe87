import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  minutesAgo,
  mockApi,
  renderPage,
  status,
} from './__testUtils__/syncAdmin';

async function responseError(
  statusCode: number,
  name: string,
  message: string,
) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/sync' },
        response: { statusCode },
      }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

const syncButton = () =>
  screen.findByRole('button', { name: /sync now/i }) as Promise<HTMLElement>;

describe('SyncAdminPage', () => {
  it('shows each provider’s last run, lag, reconciliation and quarantine count', async () => {
    const api = mockApi();
    await renderPage(api);

    expect(screen.getByText('Incident Ops — sync')).toBeInTheDocument();
    expect(
      await screen.findByText('1 min 30 s behind ServiceNow'),
    ).toBeInTheDocument();
    const details = screen.getByRole('table', {
      name: 'ServiceNow sync details',
    });
    const row = (label: string) =>
      within(details).getByRole('rowheader', { name: label }).closest('tr')!;
    expect(row('Last run')).toHaveTextContent(/UTC \(2 min ago\)/);
    expect(row('Last run')).toHaveTextContent('took 4.2 s');
    expect(row('Fetched')).toHaveTextContent('120');
    expect(row('Stored')).toHaveTextContent('117');
    expect(row('Quarantined in last run')).toHaveTextContent('2');
    expect(row('Last reconciliation')).toHaveTextContent(
      /3 h ago.*removed 3 incidents deleted at the source/,
    );
    expect(row('In quarantine')).toHaveTextContent('2');
    expect(screen.queryByText('Last sync failed')).not.toBeInTheDocument();
    expect(api.getQuarantine).toHaveBeenCalledWith({ limit: 100 });
  });

  it('shows the last error prominently', async () => {
    await renderPage(
      mockApi({
        getSyncStatus: jest.fn().mockResolvedValue(
          status({
            lagSeconds: 7260,
            lastRun: {
              startedAt: minutesAgo(2),
              finishedAt: minutesAgo(1),
              durationMs: 800,
              fetched: 0,
              stored: 0,
              quarantined: 0,
              error: 'ServiceNow answered 401 Unauthorized',
            },
          }),
        ),
      }),
    );
    const alert = (await screen.findByText('Last sync failed')).closest(
      '[role="alert"]',
    );
    expect(alert).toHaveTextContent('ServiceNow answered 401 Unauthorized');
    expect(screen.getByText('2 h 1 min behind ServiceNow')).toBeInTheDocument();
    expect(screen.getByText('took 800 ms')).toBeInTheDocument();
  });

  it('lists quarantined records with their reasons and the payload on demand', async () => {
    await renderPage(mockApi());
    const table = await screen.findByRole('table', {
      name: 'Quarantined records',
    });
    const first = within(table).getByTestId('quarantine-servicenow-a1b2c3');
    expect(first).toHaveTextContent('INC13076999');
    expect(first).toHaveTextContent('Unknown priority "0 - Emergency"');
    expect(first).toHaveTextContent('14');
    expect(first).toHaveTextContent(/10 h ago/);
    expect(first).toHaveTextContent(/5 min ago/);
    const second = within(table).getByTestId('quarantine-servicenow-d4e5f6');
    expect(second).toHaveTextContent('d4e5f6');
    expect(second).toHaveTextContent('Missing opened_at');

    expect(
      screen.queryByRole('region', { name: 'Payload of INC13076999' }),
    ).not.toBeInTheDocument();
    const show = within(first).getByRole('button', {
      name: 'Show payload of INC13076999',
    });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(show);
    const payload = await screen.findByRole('region', {
      name: 'Payload of INC13076999',
    });
    expect(payload).toHaveTextContent('"priority": "0 - Emergency"');
    expect(
      within(first).getByRole('button', {
        name: 'Hide payload of INC13076999',
      }),
    ).toHaveAttribute('aria-expanded', 'true');

    fireEvent.click(
      within(second).getByRole('button', { name: 'Show payload of d4e5f6' }),
    );
    expect(
      await screen.findByRole('region', { name: 'Payload of d4e5f6' }),
    ).toHaveTextContent('No payload stored');
  });

  it('says so when the quarantine is empty', async () => {
    await renderPage(
      mockApi({ getQuarantine: jest.fn().mockResolvedValue({ items: [] }) }),
    );
    expect(
      await screen.findByText(/Nothing in quarantine/),
    ).toBeInTheDocument();
  });

  it('starts a sync, says so and refreshes the status a moment later', async () => {
    const api = mockApi();
    await renderPage(api);
    const button = await syncButton();
    await waitFor(() => expect(button).toBeEnabled());
    expect(api.getSyncStatus).toHaveBeenCalledTimes(1);

    fireEvent.click(button);

    expect(await screen.findByText(/Sync started/)).toHaveTextContent(
      'Sync started for ServiceNow',
    );
    expect(api.triggerSync).toHaveBeenCalledTimes(1);
    expect(api.triggerSync).toHaveBeenCalledWith();
    await waitFor(() => expect(api.getSyncStatus).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(api.getQuarantine).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(api.getOutbox).toHaveBeenCalledTimes(2));
  });

  it('says a sync is already running on 409', async () => {
    const api = mockApi({
      triggerSync: jest
        .fn()
        .mockRejectedValue(
          await responseError(409, 'ConflictError', 'Sync running'),
        ),
    });
    await renderPage(api);
    const button = await syncButton();
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    expect(
      await screen.findByText(/A sync is already running/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Sync started/)).not.toBeInTheDocument();
  });

  it('shows other errors from starting a sync', async () => {
    const api = mockApi({
      triggerSync: jest
        .fn()
        .mockRejectedValue(
          await responseError(500, 'Error', 'ServiceNow is unreachable'),
        ),
    });
    await renderPage(api);
    const button = await syncButton();
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    expect(
      await screen.findByText(
        'Could not start a sync: ServiceNow is unreachable',
      ),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderPage(
      mockApi({
        getSyncStatus: () => new Promise(() => {}),
        getQuarantine: () => new Promise(() => {}),
        getNotificationOutbox: () => new Promise(() => {}),
        getUnmappedGroups: () => new Promise(() => {}),
      }),
    );
    // the sources, the write-backs (whose depth comes with the status), the refused
    // notifications, the groups with no tier and the quarantine
    expect((await screen.findAllByTestId('progress')).length).toBe(5);
  });

  it('shows the error when the status cannot be loaded', async () => {
    await renderPage(
      mockApi({
        getSyncStatus: jest
          .fn()
          .mockRejectedValue(new Error('incident-ops is down')),
      }),
    );
    await waitFor(() =>
      expect(
        screen.getAllByText(/incident-ops is down/).length,
      ).toBeGreaterThan(0),
    );
    // The quarantine still loads on its own.
    expect(
      await screen.findByRole('table', { name: 'Quarantined records' }),
    ).toBeInTheDocument();
  });

  it('says so when no source has synced yet', async () => {
    await renderPage(
      mockApi({
        getSyncStatus: jest.fn().mockResolvedValue({ providers: [] }),
        getQuarantine: jest.fn().mockResolvedValue({ items: [] }),
      }),
    );
    expect(
      await screen.findByText('No incident source has synced yet'),
    ).toBeInTheDocument();
  });

  it('shows the write-backs by state and the failing ones with their last error', async () => {
    const api = mockApi({
      getSyncStatus: jest.fn().mockResolvedValue({
        ...status(),
        outbox: { pending: 2, done: 40, conflict: 1, refused: 4 },
      }),
      getOutbox: jest.fn().mockResolvedValue({
        items: [
          {
            id: 7,
            source: 'servicenow',
            number: 'INC13076932',
            key: 'transition:servicenow:x:7',
            status: 'pending',
            attempts: 3,
            lastError: 'ServiceNow answered 503 Service Unavailable',
            createdAt: minutesAgo(10),
            nextAttemptAt: minutesAgo(-1),
          },
          {
            id: 5,
            source: 'servicenow',
            number: 'INC13076901',
            key: 'escalation:servicenow:y:5',
            status: 'conflict',
            attempts: 1,
            lastError: 'ServiceNow has version 9, the write-back expected 8',
            createdAt: minutesAgo(30),
          },
        ],
      }),
    });
    await renderPage(api);
    const states = await screen.findByRole('table', {
      name: 'Write-backs by state',
    });
    const row = (label: string) =>
      within(states).getByRole('rowheader', { name: label }).closest('tr')!;
    expect(row('Waiting')).toHaveTextContent('2');
    expect(row('Being written')).toHaveTextContent('0');
    expect(row('Refused')).toHaveTextContent('4');
    expect(row('Conflict')).toHaveTextContent('1');
    expect(row('Written')).toHaveTextContent('40');
    expect(api.getOutbox).toHaveBeenCalledWith({ failing: true, limit: 50 });
    const failing = screen.getByRole('table', { name: 'Failing write-backs' });
    expect(within(failing).getByTestId('outbox-7')).toHaveTextContent(
      /INC13076932.*Waiting.*3.*503 Service Unavailable/,
    );
    expect(within(failing).getByTestId('outbox-5')).toHaveTextContent(
      /INC13076901.*Conflict.*1.*expected 8/,
    );
  });

  it('says so when no write-back is failing', async () => {
    await renderPage(mockApi());
    expect(
      await screen.findByText('No write-back is failing.'),
    ).toBeInTheDocument();
  });
});
