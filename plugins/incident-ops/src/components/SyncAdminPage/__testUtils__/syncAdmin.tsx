import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  IncidentOpsApi,
  incidentOpsApiRef,
  QuarantineResponse,
  SyncStatusResponse,
} from '../../../api/IncidentOpsApi';
import { SyncAdminPage } from '../SyncAdminPage';

export const minutesAgo = (m: number) =>
  new Date(Date.now() - m * 60_000).toISOString();

export const status = (
  overrides: Partial<SyncStatusResponse['providers'][number]> = {},
): SyncStatusResponse => ({
  providers: [
    {
      provider: 'servicenow',
      cursor: '2025-03-04T09:15:02Z',
      quarantined: 2,
      lagSeconds: 90,
      lastReconciliation: { at: minutesAgo(180), removed: 3 },
      lastRun: {
        startedAt: minutesAgo(2),
        finishedAt: minutesAgo(1),
        durationMs: 4200,
        fetched: 120,
        stored: 117,
        quarantined: 2,
      },
      ...overrides,
    },
  ],
});

const quarantine: QuarantineResponse = {
  items: [
    {
      provider: 'servicenow',
      key: 'a1b2c3',
      number: 'INC13076999',
      reason: 'Unknown priority "0 - Emergency"',
      payload: { number: 'INC13076999', priority: '0 - Emergency' },
      firstSeenAt: minutesAgo(600),
      lastSeenAt: minutesAgo(5),
      occurrences: 14,
    },
    {
      provider: 'servicenow',
      key: 'd4e5f6',
      reason: 'Missing opened_at',
      firstSeenAt: minutesAgo(60),
      lastSeenAt: minutesAgo(60),
      occurrences: 1,
    },
  ],
};

export function mockApi(overrides: Partial<IncidentOpsApi> = {}) {
  return {
    getSyncStatus: jest.fn().mockResolvedValue(status()),
    getQuarantine: jest.fn().mockResolvedValue(quarantine),
    triggerSync: jest.fn().mockResolvedValue({ triggered: ['servicenow'] }),
    getOutbox: jest.fn().mockResolvedValue({ items: [] }),
    getNotificationOutbox: jest.fn().mockResolvedValue({ items: [] }),
    getUnmappedGroups: jest.fn().mockResolvedValue({ items: [] }),
    ...overrides,
  };
}

// usePermission caches decisions per permission for the whole module (SWR): a test file
// renders with one answer to every permission, ALLOW unless it says DENY.
export function renderPage(
  api: Partial<IncidentOpsApi>,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [incidentOpsApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize,
          }),
        ],
      ]}
    >
      <SyncAdminPage refreshDelayMs={10} />
    </TestApiProvider>,
  );
}
