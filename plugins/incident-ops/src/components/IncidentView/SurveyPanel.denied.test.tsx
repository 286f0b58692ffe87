import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { configure, screen, waitFor } from '@testing-library/react';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { SurveyPanel } from './SurveyPanel';

configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);

// A file of its own: usePermission caches decisions per permission for the whole module.
describe('SurveyPanel without incident-ops.survey.record', () => {
  const authorize = jest.fn((): AuthorizeResult.DENY => AuthorizeResult.DENY);
  const render = (api: Partial<IncidentOpsApi>) =>
    renderInTestApp(
      <TestApiProvider
        apis={[
          [incidentOpsApiRef, api],
          [permissionApiRef, mockApis.permission({ authorize })],
        ]}
      >
        <SurveyPanel number="INC13076920" version={0} onChanged={jest.fn()} />
      </TestApiProvider>,
    );

  it('offers the form to the requestor, who needs no permission', async () => {
    await render({
      getSurvey: jest.fn().mockResolvedValue({
        number: 'INC13076920',
        open: true,
        requestor: true,
        editable: true,
      }),
    });
    expect(
      await screen.findByRole('form', { name: 'Post-resolution survey' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Send the answer' }),
    ).toBeTruthy();
  });

  it('offers no form to anyone else, and says which permission it needs', async () => {
    await render({
      getSurvey: jest.fn().mockResolvedValue({
        number: 'INC13076920',
        open: true,
        requestor: false,
        editable: true,
      }),
    });
    expect(
      await screen.findByText(
        /needs the incident-ops.survey.record permission/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('form', { name: 'Post-resolution survey' }),
    ).toBeNull();
    await waitFor(() =>
      expect(
        authorize.mock.calls.map((c: any[]) => c[0]?.permission?.name),
      ).toContain('incident-ops.survey.record'),
    );
  });
});
