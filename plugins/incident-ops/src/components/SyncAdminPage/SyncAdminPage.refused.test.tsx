import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { configure } from '@testing-library/react';
import {
  minutesAgo,
  mockApi,
  refusedWriteBacks,
  renderPage,
  status,
} from './__testUtils__/syncAdmin';

// a small machine renders MUI slowly
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);

describe('SyncAdminPage with incident-ops.sync.admin', () => {
  it('shows refused write-backs with reason, attempts and when, and re-queues one', async () => {
    const api = mockApi({
      getOutbox: jest.fn().mockResolvedValue({ items: refusedWriteBacks }),
      requeueOutboxItem: jest
        .fn()
        .mockResolvedValue({ id: 12, status: 'pending' }),
    });
    await renderPage(api);

    const table = await screen.findByRole('table', {
      name: 'Refused write-backs',
    });
    const row = within(table).getByTestId('refused-write-back-12');
    expect(row).toHaveTextContent(
      /INC0010002.*transition.*Close code is mandatory.*8.*UTC \(30 min ago\)/,
    );
    expect(api.getOutbox).toHaveBeenCalledTimes(1);

    fireEvent.click(
      within(row).getByRole('button', {
        name: 'Re-queue write-back INC0010002',
      }),
    );

    await waitFor(() => expect(api.requeueOutboxItem).toHaveBeenCalledWith(12));
    await waitFor(() => expect(api.getOutbox).toHaveBeenCalledTimes(2));
    expect(api.getSyncStatus).toHaveBeenCalledTimes(2);
  });

  it('discards a refused notification after asking', async () => {
    const api = mockApi({
      getNotificationOutbox: jest.fn().mockResolvedValue({
        items: [
          {
            id: 4,
            key: 'delivery:4',
            kind: 'delivery',
            event: 'incident.escalated',
            channel: 'slack',
            number: 'INC0010003',
            title: 'INC0010003 escalated to L2',
            status: 'refused',
            attempts: 6,
            lastError: 'Slack answered 404 channel_not_found',
            createdAt: minutesAgo(60),
            doneAt: minutesAgo(10),
          },
        ],
      }),
      discardNotification: jest
        .fn()
        .mockResolvedValue({ id: 4, status: 'discarded' }),
    });
    await renderPage(api);

    expect(api.getNotificationOutbox).toHaveBeenCalledWith({
      status: 'refused',
      limit: 50,
    });
    const row = await screen.findByTestId('refused-notification-4');
    expect(row).toHaveTextContent(
      /INC0010003 escalated to L2.*INC0010003 · slack.*channel_not_found.*6/,
    );
    fireEvent.click(
      within(row).getByRole('button', {
        name: 'Discard notification INC0010003 escalated to L2',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Discard' }));

    await waitFor(() =>
      expect(api.discardNotification).toHaveBeenCalledWith(4),
    );
    await waitFor(() =>
      expect(api.getNotificationOutbox).toHaveBeenCalledTimes(2),
    );
  });

  it('shows what the backend said when a re-queue fails', async () => {
    const api = mockApi({
      getOutbox: jest.fn().mockResolvedValue({ items: refusedWriteBacks }),
      requeueOutboxItem: jest
        .fn()
        .mockRejectedValue(new Error('Write-back 11 is not refused')),
    });
    await renderPage(api);
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Re-queue write-back INC0010001',
      }),
    );
    const row = screen.getByTestId('refused-write-back-11');
    expect(
      await within(row).findByText('Write-back 11 is not refused'),
    ).toBeInTheDocument();
    expect(api.getOutbox).toHaveBeenCalledTimes(1);
  });

  it('names the table and the role of a configuration problem at the top', async () => {
    await renderPage(
      mockApi({
        getOutbox: jest.fn().mockResolvedValue({ items: refusedWriteBacks }),
      }),
    );
    const title = await screen.findByText(
      'Configuration problem: ServiceNow refuses the integration user',
    );
    const alert = title.closest('[role="alert"]') as HTMLElement;
    expect(alert).toHaveTextContent(
      'Table incident: the integration user needs the itil or sn_incident_write role. 1 write-back was refused.',
    );
    expect(alert).toHaveTextContent('ACL Exception Update Failed');
    // The other refusal is ServiceNow's business rule, not a configuration problem.
    expect(alert).not.toHaveTextContent('Close code is mandatory');
  });

  it('shows no configuration alert when nothing is refused for it', async () => {
    await renderPage(mockApi());
    await screen.findByText('No write-back is failing.');
    expect(screen.queryByText(/Configuration problem/)).not.toBeInTheDocument();
  });

  it('lists the assignment groups with no tier and the config key that maps them', async () => {
    const api = mockApi({
      getUnmappedGroups: jest.fn().mockResolvedValue({
        items: [
          {
            provider: 'servicenow',
            group: { id: 'g1', name: 'Service Desk' },
            open: 7,
            oldestOpenedAt: minutesAgo(120),
          },
          { provider: 'servicenow', open: 2, oldestOpenedAt: minutesAgo(45) },
        ],
      }),
    });
    await renderPage(api);
    const table = await screen.findByRole('table', {
      name: 'Assignment groups with no tier',
    });
    expect(
      within(table).getByTestId('unmapped-servicenow-g1'),
    ).toHaveTextContent(/Service Desk.*ServiceNow.*7.*UTC \(2 h ago\)/);
    expect(
      within(table).getByTestId('unmapped-servicenow-none'),
    ).toHaveTextContent(/No assignment group.*ServiceNow.*2.*45 min ago/);
    expect(
      screen.getByText('incidentOps.tiers.<tier>.assignmentGroups'),
    ).toBeInTheDocument();
  });

  it('says so when every open ticket has a tier', async () => {
    await renderPage(mockApi());
    expect(
      await screen.findByText(
        'Every open ticket is in an assignment group with a tier.',
      ),
    ).toBeInTheDocument();
  });

  it('warns when a reconciliation refused to remove too many incidents', async () => {
    const refused =
      'The listing of ServiceNow lacks 9,000 of 10,000 stored incidents (90%); one reconciliation removes at most 20%.';
    await renderPage(
      mockApi({
        getSyncStatus: jest.fn().mockResolvedValue(
          status({
            lastReconciliation: { at: minutesAgo(5), removed: 0, refused },
          }),
        ),
      }),
    );
    const title = await screen.findByText('Reconciliation removed nothing');
    expect(title.closest('[role="alert"]')).toHaveTextContent(refused);
    expect(
      screen.getByText('refused to remove incidents missing at the source'),
    ).toBeInTheDocument();
  });
});
