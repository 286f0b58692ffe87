import type {
  ReportCount,
  ReportKind,
  ReportResponse,
} from '@acme/plugin-incident-ops-common';
import {
  parseReportPeriod,
  previousReportPeriods,
} from '@acme/plugin-incident-ops-common';
import { alertApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { ReportsPage } from './ReportsPage';
import { lastCompletePeriod } from './format';
import { knowledgeRoutes } from '../../testUtils/mountedRoutes';

const MIN = 60_000;
const HOUR = 60 * MIN;

const stat = (key: string, count: number, median: number, p90: number) => ({
  key,
  count,
  medianMs: median,
  p90Ms: p90,
});

function makeReport(kind: ReportKind, id: string): ReportResponse {
  const period = parseReportPeriod(kind, id);
  if (period instanceof Error) throw period;
  const trend = [...previousReportPeriods(period, 3), period];
  const breakdown = (scale: number) => ({
    overall: stat('all', 40, 2 * HOUR * scale, 9 * HOUR * scale),
    byPriority: [
      stat('P1', 2, 1 * HOUR * scale, 3 * HOUR * scale),
      stat('P3', 38, 2 * HOUR * scale, 9 * HOUR * scale),
    ],
    byTier: [stat('L1', 30, 90 * MIN * scale, 5 * HOUR * scale)],
    byTicketType: [stat('egress', 25, 2 * HOUR * scale, 8 * HOUR * scale)],
  });
  return {
    period,
    generatedAt: '2026-12-01T08:00:00.000Z',
    trend,
    escalations: {
      total: 12,
      trend: [5, 7, 8, 12],
      byTrigger: [
        { key: 'time-based', count: 7, trend: [3, 4, 5, 7] },
        { key: 'priority', count: 5, trend: [2, 3, 3, 5] },
      ],
      byTier: [
        { key: 'L1→L2', count: 10, trend: [4, 6, 7, 10] },
        { key: 'L2→L3', count: 2, trend: [1, 1, 1, 2] },
      ],
      byPriority: [
        { key: 'P1', count: 2, trend: [0, 1, 1, 2] },
        { key: 'P3', count: 10, trend: [5, 6, 7, 10] },
      ],
      byTicketType: [
        { key: 'node-provisioning', count: 9, trend: [3, 5, 6, 9] },
        { key: 'egress', count: 3, trend: [2, 2, 2, 3] },
      ],
    },
    timeToAcknowledge: breakdown(0.1),
    timeToResolve: breakdown(1),
    sla: [
      {
        priority: 'P1',
        resolved: 2,
        respond: { targetMs: 15 * MIN, breached: 0, compliance: 1 },
        resolve: { targetMs: 4 * HOUR, breached: 1, compliance: 0.5 },
      },
      {
        priority: 'P3',
        resolved: 38,
        respond: { targetMs: 4 * HOUR, breached: 1, compliance: 0.974 },
        resolve: { targetMs: 72 * HOUR, breached: 0, compliance: 1 },
      },
    ] as ReportResponse['sla'],
    recurringP2s: [
      {
        configurationItem: 'mecc:egress-gateway',
        ticketType: 'egress',
        incidents: ['INC13100401', 'INC13100402', 'INC13100403'].map(
          number => ({
            number,
            shortDescription: 'Egress drops',
            status: 'resolved',
            openedAt: '2026-11-21T09:00:00.000Z',
            flaggedAt: '2026-11-21T09:02:00.000Z',
            explanation: 'Recurring P2',
          }),
        ),
      },
    ],
    recurringP2sTotal: 3,
    kb: {
      suggestionsShown: 30,
      ticketsWithSuggestions: 14,
      markedHelpful: 9,
      markedNotHelpful: 4,
      kbExhaustedTickets: 2,
      deflections: 3,
      mostHelpful: [
        {
          source: 'servicenow',
          article: 'KB0010001',
          title: 'Request egress for a namespace',
          shown: 12,
          helpful: 8,
          notHelpful: 1,
        },
      ],
      leastHelpful: [],
    },
    vendors: {
      byVendor: [
        {
          vendor: 'tanzu',
          opened: 3,
          responded: 2,
          respondedWithinSla: 1,
          breached: 1,
          waiting: 1,
        },
      ],
      breaches: [],
    },
    postMortems: {
      withinMs: 24 * HOUR,
      due: 2,
      onTime: 1,
      late: 0,
      overdue: 1,
      pending: 0,
      items: [
        {
          number: 'INC13100013',
          shortDescription: 'Cluster API down on abrc1l',
          priority: 'P1',
          resolvedAt: '2026-11-15T02:00:00.000Z',
          dueAt: '2026-11-16T02:00:00.000Z',
          state: 'overdue',
        },
      ],
    },
    surveys: {
      responses: 4,
      averageRating: 2.75,
      distribution: [1, 1, 0, 1, 1],
      low: [
        {
          number: 'INC13100003',
          rating: 1,
          comment: 'Nobody told us it was fixed',
          ticketType: 'egress',
          kbArticle: 'egress-access-livelink',
          playbook: 'egress-access',
          submittedAt: '2026-11-20T10:00:00.000Z',
        },
        {
          number: 'INC13100004',
          rating: 2,
          submittedAt: '2026-11-21T10:00:00.000Z',
        },
      ],
    },
    recommendations:
      kind === 'weekly'
        ? undefined
        : [
            {
              kind: 'route-to-l2',
              subject: 'node-provisioning',
              title: 'node-provisioning tickets almost always escalate past L1',
              detail:
                '19 of 20 node-provisioning tickets at L1 (95%) were escalated.',
              evidence: {
                ticketType: 'node-provisioning',
                atL1: 20,
                escalatedFromL1: 19,
                share: '95%',
              },
            },
            {
              kind: 'review-low-survey-scores',
              subject: 'playbook/egress-access',
              title: 'Requestors rate playbook egress-access low',
              detail: '8 surveys average 2.4 out of 5.',
              evidence: {
                subjectKind: 'playbook',
                subject: 'egress-access',
                responses: 8,
                averageRating: 2.38,
                comments: ['The firewall step took days'],
              },
            },
          ],
  };
}

function mockApi(overrides: Partial<IncidentOpsApi> = {}) {
  return {
    getReport: jest.fn(async (kind: ReportKind, id?: string) =>
      makeReport(kind, id ?? lastCompletePeriod(kind, new Date()).id),
    ),
    getReportCsv: jest.fn(async () => 'section,dimension\r\n'),
    ...overrides,
  };
}

function renderPage(
  api: Partial<IncidentOpsApi>,
  route = '/',
  alertApi = { post: jest.fn() },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [incidentOpsApiRef, api],
        [alertApiRef, alertApi],
      ]}
    >
      <ReportsPage />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: knowledgeRoutes },
  );
}

describe('ReportsPage', () => {
  it('shows the last complete week by default, with its figures and SLA compliance', async () => {
    const api = mockApi();
    await renderPage(api);
    const week = lastCompletePeriod('weekly', new Date()).id;
    await waitFor(() =>
      expect(api.getReport).toHaveBeenCalledWith('weekly', week),
    );
    expect(await screen.findByText('Incident reports')).toBeInTheDocument();
    expect(screen.getByText('12')).toBeInTheDocument();
    expect(
      screen.getByText('+50% on the period before (8)'),
    ).toBeInTheDocument();
    // median time to resolve, and the SLA share over all priorities (39 of 40 in time)
    const tile = (label: string) => screen.getByText(label).parentElement!;
    expect(tile('Time to resolve')).toHaveTextContent(
      'Time to resolve2 hmedian · p90 9 h · 40 tickets',
    );
    expect(screen.getByText('98%')).toBeInTheDocument();

    const sla = screen.getByRole('table', {
      name: 'SLA compliance per priority',
    });
    const p1 = within(sla).getByTestId('sla-P1');
    expect(within(p1).getByText('50%')).toBeInTheDocument();
    expect(within(p1).getByText('(1 breached)')).toBeInTheDocument();
    expect(within(p1).getByText('4 h')).toBeInTheDocument();

    expect(
      screen.getByText(
        'Recommendations come with the monthly and quarterly reports.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Recurring P2s' }),
    ).toHaveTextContent('INC13100401, INC13100402, INC13100403');
    expect(
      screen.getByText('Request egress for a namespace'),
    ).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'KB usage' })).toHaveTextContent(
      'Solved before a ticket ("This solved it")3',
    );
    expect(screen.getByText('1 overdue')).toBeInTheDocument();
    expect(screen.getByText('Nobody told us it was fixed')).toBeInTheDocument();
    // the charts describe themselves
    expect(
      screen.getByRole('img', { name: /Escalations per period, oldest first/ }),
    ).toHaveAccessibleName(expect.stringContaining(`${week} 12`));
  });

  it('shows a month from the URL with its recommendations and their evidence', async () => {
    const api = mockApi();
    await renderPage(api, '/?month=2026-11');
    await waitFor(() =>
      expect(api.getReport).toHaveBeenCalledWith('monthly', '2026-11'),
    );
    const list = await screen.findByRole('list', { name: 'Recommendations' });
    const route = within(list).getByTestId('recommendation-route-to-l2');
    expect(route).toHaveTextContent(
      'node-provisioning tickets almost always escalate past L1',
    );
    expect(
      within(route).getByText('escalated from L1: 19'),
    ).toBeInTheDocument();
    expect(within(route).getByText('share: 95%')).toBeInTheDocument();
    expect(
      within(list).getByText('“The firewall step took days”'),
    ).toBeInTheDocument();
    expect(screen.getByText(/November 2026 · UTC/)).toBeInTheDocument();
  });

  it('switches between weekly, monthly and quarterly reports and periods', async () => {
    const api = mockApi();
    await renderPage(api);
    await screen.findByText('Escalation trend');

    fireEvent.click(screen.getByRole('button', { name: 'Quarterly report' }));
    const quarter = lastCompletePeriod('quarterly', new Date()).id;
    await waitFor(() =>
      expect(api.getReport).toHaveBeenLastCalledWith('quarterly', quarter),
    );

    fireEvent.mouseDown(screen.getByRole('button', { name: /Period/ }));
    const options = await screen.findAllByRole('option');
    expect(options[0]).toHaveTextContent('(in progress)');
    fireEvent.click(options[3]);
    await waitFor(() => expect(api.getReport).toHaveBeenCalledTimes(3));
    const [kind, id] = (api.getReport as jest.Mock).mock.calls[2];
    expect(kind).toBe('quarterly');
    expect(id).toMatch(/^\d{4}-Q[1-4]$/);
    expect(id).not.toBe(quarter);
  });

  it('downloads the report as CSV', async () => {
    const api = mockApi();
    const createObjectURL = jest.fn(() => 'blob:report');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    await renderPage(api, '/?week=2026-W47');
    const button = await screen.findByRole('button', { name: /Download CSV/ });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    await waitFor(() =>
      expect(api.getReportCsv).toHaveBeenCalledWith('weekly', '2026-W47'),
    );
    await waitFor(() =>
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:report'),
    );
  });

  it('says what is wrong when the report cannot be made', async () => {
    const api = mockApi({
      getReport: jest.fn(async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'InputError',
                message:
                  "'2025-W53' is not an ISO week such as 2026-W47: 2025 has weeks 01 to 52",
              },
              request: { method: 'GET', url: '/reports/weekly' },
              response: { statusCode: 400 },
            }),
            { status: 400, headers: { 'Content-Type': 'application/json' } },
          ) as any,
        );
      }),
    });
    await renderPage(api, '/?week=2025-W53');
    expect(
      (await screen.findAllByText(/2025 has weeks 01 to 52/))[0],
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/Request failed with 400/)[0],
    ).toBeInTheDocument();
  });

  it('shows progress while the report is made', async () => {
    const api = mockApi({
      getReport: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderPage(api, '/?week=2026-W47');
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeDisabled();
  });

  it('says so when a period has no escalations, nothing stands out and nobody answered the survey', async () => {
    const api = mockApi({
      getReport: jest.fn(async (kind: ReportKind, id?: string) => {
        const report = makeReport(kind, id!);
        const none = (c: ReportCount): ReportCount => ({
          ...c,
          count: 0,
          trend: c.trend.map(() => 0),
        });
        return {
          ...report,
          escalations: {
            total: 0,
            trend: [0, 0, 0, 0],
            byTrigger: [],
            byTier: report.escalations.byTier.map(none),
            byPriority: [],
            byTicketType: [],
          },
          recurringP2s: [],
          recurringP2sTotal: 0,
          surveys: {
            responses: 0,
            averageRating: null,
            distribution: [0, 0, 0, 0, 0],
            low: [],
          },
          recommendations: [],
        };
      }),
    });
    await renderPage(api, '/?month=2026-11');
    expect(
      await screen.findByText('No escalations in these periods'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('No escalations in this period or the one before'),
    ).toHaveLength(2);
    expect(screen.getByText('No escalations.')).toBeInTheDocument();
    expect(
      screen.getByText(/^Nothing stands out this period/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Recommendations' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('No requestor answered the survey in this period.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Low survey scores' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('No P2 was flagged as recurring.'),
    ).toBeInTheDocument();
    const tile = screen.getByText('Survey rating').parentElement!;
    expect(tile).toHaveTextContent('Survey rating–0 responses');
  });

  it('says what went wrong when the CSV cannot be downloaded, and lets one try again', async () => {
    const alertApi = { post: jest.fn() };
    const getReportCsv = jest.fn(async () => {
      throw new Error('Request failed with 503 Service Unavailable');
    });
    const createObjectURL = jest.fn(() => 'blob:report');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    await renderPage(mockApi({ getReportCsv }), '/?week=2026-W47', alertApi);
    const button = await screen.findByRole('button', { name: /Download CSV/ });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message:
          'Could not download the report: Request failed with 503 Service Unavailable',
        severity: 'error',
      }),
    );
    expect(createObjectURL).not.toHaveBeenCalled();
    await waitFor(() => expect(button).toBeEnabled());
  });

  it('links a low score to the KB article and the playbook used on its ticket', async () => {
    await renderPage(mockApi(), '/?week=2026-W47');
    const low = await screen.findByRole('table', { name: 'Low survey scores' });
    expect(
      within(low).getByRole('link', {
        name: 'KB article egress-access-livelink',
      }),
    ).toHaveAttribute('href', '/incident-ops/kb/egress-access-livelink');
    expect(
      within(low).getByRole('link', { name: 'Playbook egress-access' }),
    ).toHaveAttribute('href', '/incident-ops/playbooks/egress-access');
    // every list whole: nothing says it is cut
    expect(screen.queryByText(/^Showing \d+ of/)).not.toBeInTheDocument();
  });

  it('says when a list shows only some of what there is', async () => {
    const api = mockApi({
      getReport: jest.fn(async (kind: ReportKind, id?: string) => {
        const report = makeReport(kind, id!);
        return {
          ...report,
          recurringP2sTotal: 250,
          surveys: { ...report.surveys, distribution: [40, 33, 0, 1, 1] },
          postMortems: { ...report.postMortems, overdue: 60 },
        };
      }),
    });
    await renderPage(api, '/?week=2026-W47');
    expect(
      await screen.findByText(
        'Showing 3 of 250 P2s flagged as recurring; the rest are left out.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Showing 2 of 73 low scores; the rest are left out.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Showing 1 of 60 post-mortems not done on time; the rest are left out.',
      ),
    ).toBeInTheDocument();
  });
});
