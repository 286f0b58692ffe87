import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import incidentOpsPlugin, { ownershipMatrixPage } from './alpha';
import { incidentOpsApiRef } from './api/IncidentOpsApi';
import { ownershipMatrixRouteRef } from './routes';

describe('the ownership matrix page (new frontend system)', () => {
  it('is at /incident-ops/ownership, titled for the nav', () => {
    const tester = createExtensionTester(ownershipMatrixPage);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/incident-ops/ownership',
    );
    expect(tester.get(coreExtensionData.routeRef)).toBe(
      ownershipMatrixRouteRef,
    );
    expect(tester.get(coreExtensionData.title)).toBe('Ownership matrix');
  });

  it('renders in an app, with an "Ownership matrix" nav item', async () => {
    renderTestApp({
      features: [incidentOpsPlugin],
      initialRouteEntries: ['/incident-ops/ownership'],
      apis: [
        [
          incidentOpsApiRef,
          {
            getOwnershipMatrix: async () => ({
              roles: [],
              rows: [],
              people: [],
              domains: [],
              gaps: { total: 0, byRole: [] },
            }),
          },
        ],
      ],
    });
    expect(
      await screen.findByRole('heading', { name: 'Ownership matrix' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No clusters or namespaces in the catalog'),
    ).toBeInTheDocument();
    expect(
      screen
        .getAllByText('Ownership matrix')
        .map(e => e.closest('a')?.getAttribute('href')),
    ).toContain('/incident-ops/ownership');
  });
});
