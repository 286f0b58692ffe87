import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { configure } from '@testing-library/react';

// a small machine renders MUI slowly
configure({ asyncUtilTimeout: 5000 });
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { detail } from '../__fixtures__/incidents';
import { IncidentView } from './IncidentView';

// A file of its own: usePermission caches decisions per permission for the whole module.
describe('IncidentView without the workflow permissions', () => {
  it('offers no moves and no escalation, and says which permissions they need', async () => {
    const authorize = jest.fn((): AuthorizeResult.DENY => AuthorizeResult.DENY);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [incidentOpsApiRef, { getIncident: async () => detail() }],
          [permissionApiRef, mockApis.permission({ authorize })],
        ]}
      >
        <IncidentView number="INC13076920" />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/You can read this ticket but not work it/),
    ).toHaveTextContent(
      /incident-ops.incident.transition.*incident-ops.incident.escalate/,
    );
    expect(
      screen.queryByRole('group', { name: 'Work the ticket' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Resolve|Escalate/ }),
    ).toBeNull();
    const asked = authorize.mock.calls.map(
      (c: any[]) => c[0]?.permission?.name,
    );
    expect(asked).toEqual(
      expect.arrayContaining([
        'incident-ops.incident.transition',
        'incident-ops.incident.escalate',
      ]),
    );
    // still readable
    expect(
      screen.getByRole('list', { name: 'Timeline, newest first' }),
    ).toBeInTheDocument();
  });
});
