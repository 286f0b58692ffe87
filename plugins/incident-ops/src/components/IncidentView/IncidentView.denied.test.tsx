import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { configure, screen } from '@testing-library/react';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import {
  communications,
  detail,
  playbookView,
  suggestions,
} from '../__fixtures__/incidents';
import { IncidentView } from './IncidentView';
import { knowledgeRoutes } from '../../testUtils/mountedRoutes';

configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);

// A file of its own: usePermission caches decisions per permission for the whole module.
describe('IncidentView without the permissions to work tickets', () => {
  it('offers no action the user may not take, says which permission each needs, and still shows everything', async () => {
    const authorize = jest.fn((): AuthorizeResult.DENY => AuthorizeResult.DENY);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            incidentOpsApiRef,
            {
              getIncident: async () => detail(),
              getPlaybook: async () => playbookView(),
              getKbSuggestions: async () => suggestions(),
              recordKbViews: async () => {},
              getCommunications: async () => communications(),
              getVendorEngagements: async () => ({ items: [] }),
              getContacts: jest.fn(),
            },
          ],
          [permissionApiRef, mockApis.permission({ authorize })],
          [catalogApiRef, catalogApiMock({ entities: [] })],
        ]}
      >
        <IncidentView number="INC13076920" />
      </TestApiProvider>,
      { mountedRoutes: knowledgeRoutes },
    );
    expect(
      await screen.findByText(/You can read this ticket but not work it/),
    ).toHaveTextContent(
      /incident-ops.incident.transition.*incident-ops.incident.escalate/,
    );
    expect(
      await screen.findByText(/needs the incident-ops.playbook.run permission/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/needs the incident-ops.kb.feedback permission/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('group', { name: 'Work the ticket' }),
    ).not.toBeInTheDocument();
    for (const name of [
      /Resolve/,
      /Escalate/,
      /Mark done/,
      /Helpful/,
      /Send update/,
      /Record vendor case/,
    ]) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
    const asked = authorize.mock.calls.map(
      (c: any[]) => c[0]?.permission?.name,
    );
    expect(asked).toEqual(
      expect.arrayContaining([
        'incident-ops.incident.transition',
        'incident-ops.incident.escalate',
        'incident-ops.playbook.run',
        'incident-ops.kb.feedback',
        'incident-ops.incident.communicate',
        'incident-ops.vendor-engagement.manage',
      ]),
    );
    // still readable
    expect(
      screen.getByRole('list', { name: 'Timeline, newest first' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Egress Access steps' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Hourly update due in 12 min')).toBeInTheDocument();
  });
});
