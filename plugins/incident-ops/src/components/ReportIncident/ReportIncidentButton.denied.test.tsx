import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { namespace } from './__fixtures__/report';
import { ReportIncidentButton } from './ReportIncidentButton';

// A file of its own: usePermission caches decisions per permission for the whole module.
describe('ReportIncidentButton without incident-ops.incident.create', () => {
  it('is not there', async () => {
    const authorize = jest.fn((): AuthorizeResult.DENY => AuthorizeResult.DENY);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [incidentOpsApiRef, {}],
          [permissionApiRef, mockApis.permission({ authorize })],
        ]}
      >
        <ReportIncidentButton entity={namespace} />
        <span>rendered</span>
      </TestApiProvider>,
    );
    await waitFor(() =>
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: expect.objectContaining({
            name: 'incident-ops.incident.create',
          }),
        }),
      ),
    );
    expect(screen.getByText('rendered')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Report an incident/ }),
    ).not.toBeInTheDocument();
  });
});
