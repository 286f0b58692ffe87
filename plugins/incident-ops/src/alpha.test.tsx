import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import incidentOpsPlugin, { syncAdminPage } from './alpha';
import { incidentOpsApiRef } from './api/IncidentOpsApi';
import { syncAdminRouteRef } from './routes';

describe('incident-ops (new frontend system)', () => {
  it('provides the sync admin page at /incident-ops/sync, titled for the nav', () => {
    const tester = createExtensionTester(syncAdminPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/incident-ops/sync');
    expect(tester.get(coreExtensionData.routeRef)).toBe(syncAdminRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Incident sync');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
  });

  it('renders the page in an app, with an "Incident sync" nav item', async () => {
    renderTestApp({
      features: [incidentOpsPlugin],
      initialRouteEntries: ['/incident-ops/sync'],
      apis: [
        [
          incidentOpsApiRef,
          {
            getSyncStatus: async () => ({
              providers: [{ provider: 'servicenow', lagSeconds: 90 }],
            }),
            getQuarantine: async () => ({ items: [] }),
            getOutbox: async () => ({ items: [] }),
            getNotificationOutbox: async () => ({ items: [] }),
            getUnmappedGroups: async () => ({ items: [] }),
          },
        ],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
    });
    expect(
      await screen.findByRole('heading', { name: 'Incident Ops — sync' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('1 min 30 s behind ServiceNow'),
    ).toBeInTheDocument();
    expect(screen.getByText('Incident sync').closest('a')).toHaveAttribute(
      'href',
      '/incident-ops/sync',
    );
  });
});
