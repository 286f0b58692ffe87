import type { Incident } from '@acme/plugin-incident-ops-common';

export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    source: 'servicenow',
    id: 'a'.repeat(32),
    number: 'INC13070001',
    shortDescription: 'Karpenter GPU node failure on mecc',
    priority: 'P1',
    sourcePriority: '1',
    impact: '1',
    urgency: '1',
    status: 'work-in-progress',
    sourceState: '2',
    category: 'hardware',
    subcategory: 'node',
    tier: 'L3',
    assignmentGroup: { id: 'g3', name: 'Atlas-L3-Evangelists' },
    assignedTo: { id: 'u1', name: 'Wei Zhang' },
    configurationItem: { id: 'ci-mecc', name: 'mecc' },
    openedAt: '2026-11-20T08:00:00.000Z',
    sourceUpdatedAt: '2026-11-20T09:00:00.000Z',
    sourceVersion: 3,
    syncedAt: '2026-11-20T09:01:00.000Z',
    url: 'https://acme.service-now.com/nav_to.do?uri=incident.do',
    ...overrides,
  };
}
