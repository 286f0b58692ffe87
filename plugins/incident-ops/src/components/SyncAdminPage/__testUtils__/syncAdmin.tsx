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
  OutboxItem,
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

const configurationReason =
  'Configuration: ServiceNow refused to update incident INC0010001 (403). To update records of table incident, the integration user needs the itil or sn_incident_write role. ServiceNow said: PATCH /api/now/table/incident/abc was refused with 403: Operation Failed (ACL Exception Update Failed due to security constraints)';

/** A write-back refused for the user's role (403), and one by a business rule (400). */
export const refusedWriteBacks: OutboxItem[] = [
  {
    id: 11,
    source: 'servicenow',
    number: 'INC0010001',
    key: 'escalation:servicenow:abc:11',
    status: 'refused',
    attempts: 1,
    lastError: configurationReason,
    createdAt: minutesAgo(20),
    doneAt: minutesAgo(19),
  },
  {
    id: 12,
    source: 'servicenow',
    number: 'INC0010002',
    key: 'transition:servicenow:def:12',
    status: 'refused',
    attempts: 8,
    lastError:
      'ServiceNow refused to update incident INC0010002 (400): Close code is mandatory',
    createdAt: minutesAgo(90),
    doneAt: minutesAgo(30),
  },
];

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
