import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import {
  mockApi,
  refusedWriteBacks,
  renderPage,
} from './__testUtils__/syncAdmin';
import { SyncAdminPage } from './SyncAdminPage';

// A file of its own: usePermission caches decisions per permission for the whole module.
describe('SyncAdminPage without incident-ops.sync.run', () => {
  it('does not let the user start a sync, says why, and still shows the status', async () => {
    const api = {
      getSyncStatus: jest.fn().mockResolvedValue({
        providers: [{ provider: 'servicenow', quarantined: 0, lagSeconds: 90 }],
      }),
      getQuarantine: jest.fn().mockResolvedValue({ items: [] }),
      triggerSync: jest.fn().mockResolvedValue({ triggered: ['servicenow'] }),
      getOutbox: jest.fn().mockResolvedValue({ items: [] }),
      getNotificationOutbox: jest.fn().mockResolvedValue({ items: [] }),
      getUnmappedGroups: jest.fn().mockResolvedValue({ items: [] }),
    };
    const authorize = jest.fn((): AuthorizeResult.DENY => AuthorizeResult.DENY);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [incidentOpsApiRef, api],
          [permissionApiRef, mockApis.permission({ authorize })],
        ]}
      >
        <SyncAdminPage />
      </TestApiProvider>,
    );

    const explanation = await screen.findByText(
      /needs the incident-ops.sync.run permission/,
    );
    const button = screen.getByRole('button', { name: /sync now/i });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('aria-describedby', explanation.id);
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'incident-ops.sync.run' }),
      }),
    );
    fireEvent.click(button);
    expect(api.triggerSync).not.toHaveBeenCalled();
    expect(
      await screen.findByText('1 min 30 s behind ServiceNow'),
    ).toBeInTheDocument();
  });

  it('shows refused items without Re-queue or Discard, and says why', async () => {
    const api = mockApi({
      getOutbox: jest.fn().mockResolvedValue({ items: [refusedWriteBacks[1]] }),
      requeueOutboxItem: jest.fn(),
    });
    await renderPage(api, AuthorizeResult.DENY);

    const row = await screen.findByTestId('refused-write-back-12');
    expect(row).toHaveTextContent(/INC0010002.*Close code is mandatory.*8/);
    expect(screen.queryByRole('button', { name: /Re-queue/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Discard/ })).toBeNull();
    expect(
      await screen.findByText(/needs the incident-ops.sync.admin permission/),
    ).toBeInTheDocument();
  });
});
