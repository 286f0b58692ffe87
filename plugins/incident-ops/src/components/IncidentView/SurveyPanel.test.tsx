import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import type { IncidentSurveyView } from '@acme/plugin-incident-ops-common';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { SurveyPanel } from './SurveyPanel';

configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);

const DAY = 24 * 3_600_000;

/** The requestor's answer, given `daysAgo` days ago. */
const answered = (daysAgo: number, requestor: boolean) => {
  const createdAt = new Date(Date.now() - daysAgo * DAY).toISOString();
  return {
    number: 'INC13076920',
    open: true,
    requestor,
    editable: daysAgo <= 7,
    survey: {
      number: 'INC13076920',
      requestor: 'sys-jonas',
      submittedBy: 'user:default/jonas.weber',
      onBehalf: false,
      rating: 2,
      comment: 'Took three days',
      kbArticles: [],
      createdAt,
      updatedAt: createdAt,
      editableUntil: new Date(Date.parse(createdAt) + 7 * DAY).toISOString(),
    },
  } as IncidentSurveyView;
};

// usePermission caches decisions per permission for the module: granted here;
// SurveyPanel.denied.test.tsx covers DENY.
function render(api: Partial<IncidentOpsApi>, onChanged = jest.fn()) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [incidentOpsApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <SurveyPanel
        number="INC13076920"
        version={0}
        requestorName="Jonas Weber"
        onChanged={onChanged}
      />
    </TestApiProvider>,
  );
}

describe('SurveyPanel', () => {
  it('lets someone allowed record the answer on the requestor’s behalf', async () => {
    const submitSurvey = jest.fn().mockResolvedValue({});
    const getSurvey = jest
      .fn()
      .mockResolvedValueOnce({
        number: 'INC13076920',
        open: true,
        requestor: false,
        editable: true,
      })
      .mockResolvedValue(answered(0, false));
    const onChanged = jest.fn();
    await render({ getSurvey, submitSurvey }, onChanged);
    expect(
      await screen.findByText('The requestor has not answered the survey yet.'),
    ).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Post-resolution survey' });
    expect(form).toHaveTextContent('Rating given by Jonas Weber');
    const send = within(form).getByRole('button', {
      name: 'Send the answer on their behalf',
    });
    // no rating yet
    expect(send).toBeDisabled();
    fireEvent.click(within(form).getByLabelText('2 Stars'));
    fireEvent.change(within(form).getByLabelText('Comment (optional)'), {
      target: { value: '  Took three days ' },
    });
    fireEvent.click(send);
    await waitFor(() =>
      expect(submitSurvey).toHaveBeenCalledWith('INC13076920', {
        rating: 2,
        comment: 'Took three days',
      }),
    );
    await waitFor(() =>
      expect(onChanged).toHaveBeenCalledWith(
        'Survey answer recorded. Thank you.',
      ),
    );
    // the answer as recorded, and who sent it
    expect(await screen.findByTestId('survey-answer')).toHaveTextContent(
      /Rated 2 of 5 on .* \(sent by user:default\/jonas\.weber\)“Took three days”It can be changed until/,
    );
  });

  it('shows the requestor their answer, ready to change within the week', async () => {
    await render({ getSurvey: jest.fn().mockResolvedValue(answered(2, true)) });
    expect(await screen.findByTestId('survey-answer')).toHaveTextContent(
      'It can be changed until',
    );
    const form = screen.getByRole('form', { name: 'Post-resolution survey' });
    expect(form).toHaveTextContent('Your rating');
    expect(within(form).getByLabelText('2 Stars')).toBeChecked();
    expect(within(form).getByLabelText('Comment (optional)')).toHaveValue(
      'Took three days',
    );
    expect(
      within(form).getByRole('button', { name: 'Change the answer' }),
    ).toBeEnabled();
  });

  it('shows a final answer without a form', async () => {
    await render({ getSurvey: jest.fn().mockResolvedValue(answered(8, true)) });
    expect(await screen.findByTestId('survey-answer')).toHaveTextContent(
      /Rated 2 of 5.*It is final: it could be changed until/,
    );
    expect(
      screen.queryByRole('form', { name: 'Post-resolution survey' }),
    ).toBeNull();
  });

  it('shows what the backend refuses', async () => {
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'The survey on INC13076920 is final now',
          },
          request: { method: 'POST', url: '/x' },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'Content-Type': 'application/json' } },
      ) as any,
    );
    const onChanged = jest.fn();
    await render(
      {
        getSurvey: jest.fn().mockResolvedValue(answered(7, true)),
        submitSurvey: jest.fn().mockRejectedValue(refused),
      },
      onChanged,
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Change the answer' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The survey on INC13076920 is final now',
    );
    expect(onChanged).not.toHaveBeenCalled();
  });
});
