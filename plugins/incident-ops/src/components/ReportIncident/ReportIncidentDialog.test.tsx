import { alertApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { knowledgeRoutes } from '../../testUtils/mountedRoutes';
import {
  cluster,
  egressPreview,
  namespace,
  queuedReport,
} from './__fixtures__/report';
import { ReportIncidentDialog } from './ReportIncidentDialog';

// a small machine renders MUI slowly; a queued report is asked about after 2 s
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);

const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function render(
  api: Partial<IncidentOpsApi>,
  options: { onClose?: jest.Mock; onReported?: jest.Mock; entity?: any } = {},
) {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [incidentOpsApiRef, api],
        [alertApiRef, alertApi],
        [catalogApiRef, catalogApiMock({ entities: [cluster, namespace] })],
      ]}
    >
      <ReportIncidentDialog
        entity={'entity' in options ? options.entity : namespace}
        onClose={options.onClose ?? jest.fn()}
        onReported={options.onReported}
      />
    </TestApiProvider>,
    { mountedRoutes: knowledgeRoutes },
  );
  return { rendered, alertApi };
}

const type = (label: RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

async function choose(select: string, option: RegExp) {
  fireEvent.mouseDown(screen.getByRole('button', { name: new RegExp(select) }));
  fireEvent.click(await screen.findByRole('option', { name: option }));
}

const preview = () =>
  screen.getByRole('region', { name: 'What this report will be' });

describe('ReportIncidentDialog', () => {
  it('previews the draft as it is typed: priority at once, then tier, cadence, type, CI, articles and playbook', async () => {
    const previewIncidentDraft = jest.fn().mockResolvedValue(egressPreview);
    await render({ previewIncidentDraft });

    expect(
      screen.getByRole('dialog', {
        name: 'Report an incident on livelink-prod (abrc1l)',
      }),
    ).toBeInTheDocument();
    // before any text: the lowest priority, the CI from the annotation, nothing asked
    expect(within(preview()).getByText('P4 Low')).toBeInTheDocument();
    expect(
      within(preview()).getByText('abrc1l:livelink-prod'),
    ).toBeInTheDocument();

    await choose('Impact', /^1 High/);
    await choose('Urgency', /^2 Medium/);
    // the matrix answers without the backend
    expect(within(preview()).getByText('P2 High')).toBeInTheDocument();
    expect(previewIncidentDraft).not.toHaveBeenCalled();

    // three keystrokes in a row are one request, with the last text
    type(/Short description/, 'NFS');
    type(/Short description/, 'NFS mount');
    type(/Short description/, 'NFS mount to nas-prd-02 (TCP 2049) times out');
    type(/Description/, 'mount.nfs: Connection timed out & "retrying" + ü');
    expect(
      await screen.findByText('An update every 60 minutes until resolved'),
    ).toBeInTheDocument();
    expect(previewIncidentDraft).toHaveBeenCalledTimes(1);
    expect(previewIncidentDraft).toHaveBeenCalledWith({
      shortDescription: 'NFS mount to nas-prd-02 (TCP 2049) times out',
      description: 'mount.nfs: Connection timed out & "retrying" + ü',
      impact: '1',
      urgency: '2',
      entityRef: 'resource:default/livelink-prod',
    });
    expect(
      within(preview()).getByText('L2 (Atlas-L2-Platform)'),
    ).toBeInTheDocument();
    expect(within(preview()).getByText('Egress')).toBeInTheDocument();

    const articles = screen.getByRole('list', {
      name: 'Suggested knowledge articles',
    });
    const first = within(articles).getByRole('link', {
      name: 'NFS mounts from pods - egress to filers on TCP 2049 and 111',
    });
    expect(first).toHaveAttribute('href', '/incident-ops/kb/egress-nfs-mounts');
    expect(screen.getByRole('link', { name: 'Egress Access' })).toHaveAttribute(
      'href',
      '/incident-ops/playbooks/egress-access',
    );
  });

  it('"This solved it" records a deflection and closes the form without filing', async () => {
    const recordDeflection = jest.fn().mockResolvedValue({
      deflection: { id: 1, articleId: 'KB0010001', actor: 'u', at: 'now' },
    });
    const reportIncident = jest.fn();
    const onClose = jest.fn();
    const { alertApi } = await render(
      {
        previewIncidentDraft: jest.fn().mockResolvedValue(egressPreview),
        recordDeflection,
        reportIncident,
      },
      { onClose },
    );
    type(/Short description/, 'egress to api.stripe.com');
    type(/Description/, 'pods get timeouts');
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'This solved it: How to Request Egress Access for livelink-* Namespaces',
      }),
    );
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(recordDeflection).toHaveBeenCalledWith({
      articleId: 'KB0010001',
      text: 'egress to api.stripe.com\n\npods get timeouts',
      entityRef: 'resource:default/livelink-prod',
      ticketType: 'egress',
    });
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
    expect(reportIncident).not.toHaveBeenCalled();
  });

  it('sends one report with one client key, however often Submit is pressed, and shows the 400', async () => {
    const reportIncident = jest
      .fn()
      .mockRejectedValueOnce(
        await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'InputError',
                message: 'resource:default/nowhere is not in the catalog',
              },
              request: { method: 'POST', url: '/incidents' },
              response: { statusCode: 400 },
            }),
            { status: 400, headers: { 'Content-Type': 'application/json' } },
          ),
        ),
      )
      .mockImplementation(async (body: { clientKey: string }) => ({
        incident: queuedReport(body.clientKey),
      }));
    const onReported = jest.fn();
    await render(
      {
        previewIncidentDraft: jest.fn().mockResolvedValue(egressPreview),
        reportIncident,
        getIncidentReport: jest.fn(async (clientKey: string) => ({
          incident: { ...queuedReport(clientKey), status: 'queued' as const },
        })),
      },
      { onReported },
    );
    type(/Short description/, 'NFS mount to nas-prd-02 times out');
    const submit = screen.getByRole('button', { name: 'Report the incident' });
    fireEvent.click(submit);
    fireEvent.click(submit);
    expect(
      await screen.findByText('resource:default/nowhere is not in the catalog'),
    ).toBeInTheDocument();
    expect(reportIncident).toHaveBeenCalledTimes(1);

    // sent again after the error: the same key
    fireEvent.click(
      screen.getByRole('button', { name: 'Report the incident' }),
    );
    expect(
      await screen.findByText(/Queued, will be filed/),
    ).toBeInTheDocument();
    expect(reportIncident).toHaveBeenCalledTimes(2);
    const [[first], [second]] = reportIncident.mock.calls;
    expect(first.clientKey).toMatch(UUID);
    expect(second.clientKey).toBe(first.clientKey);
    expect(second).toEqual({
      clientKey: first.clientKey,
      shortDescription: 'NFS mount to nas-prd-02 times out',
      impact: '3',
      urgency: '3',
      entityRef: 'resource:default/livelink-prod',
    });
    expect(screen.getByText('IOPS0000001')).toBeInTheDocument();
    expect(onReported).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'queued' }),
    );
  });

  it('asks about a queued report until it is filed, then shows its number', async () => {
    const getIncidentReport = jest
      .fn()
      .mockImplementationOnce(async (clientKey: string) => ({
        incident: queuedReport(clientKey),
      }))
      .mockImplementation(async (clientKey: string) => ({
        incident: {
          ...queuedReport(clientKey),
          status: 'filed',
          number: 'INC0010123',
        },
      }));
    const onReported = jest.fn();
    await render(
      {
        previewIncidentDraft: jest.fn().mockResolvedValue(egressPreview),
        reportIncident: jest.fn(async body => ({
          incident: queuedReport(body.clientKey),
        })),
        getIncidentReport,
      },
      { onReported },
    );
    type(/Short description/, 'NFS mount to nas-prd-02 times out');
    fireEvent.click(
      screen.getByRole('button', { name: 'Report the incident' }),
    );
    const status = await screen.findByTestId('report-status');
    expect(status).toHaveTextContent(/Queued, will be filed/);
    await waitFor(() => expect(status).toHaveTextContent('INC0010123'), {
      timeout: 10_000,
    });
    expect(getIncidentReport).toHaveBeenCalledTimes(2);
    expect(getIncidentReport.mock.calls[0][0]).toMatch(UUID);
    expect(onReported).toHaveBeenLastCalledWith(
      expect.objectContaining({ status: 'filed', number: 'INC0010123' }),
    );
  });

  it('on the queue page, asks which entity is affected before it can be sent', async () => {
    const previewIncidentDraft = jest.fn().mockResolvedValue(egressPreview);
    await render({ previewIncidentDraft }, { entity: undefined });
    expect(
      screen.getByRole('dialog', { name: 'Report an incident' }),
    ).toBeInTheDocument();
    type(/Short description/, 'nodes do not scale');
    const submit = screen.getByRole('button', { name: 'Report the incident' });
    expect(submit).toBeDisabled();

    const picker = screen.getByLabelText(
      /Affected cluster, namespace or service/,
    );
    fireEvent.change(picker, { target: { value: 'abrc' } });
    fireEvent.click(await screen.findByRole('option', { name: 'abrc1l' }));
    expect(submit).toBeEnabled();
    expect(within(preview()).getByText('abrc1l')).toBeInTheDocument();
    await waitFor(() =>
      expect(previewIncidentDraft).toHaveBeenLastCalledWith(
        expect.objectContaining({ entityRef: 'resource:default/abrc1l' }),
      ),
    );
  });
});
