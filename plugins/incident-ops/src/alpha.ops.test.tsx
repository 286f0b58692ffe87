import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import incidentOpsPlugin, { entityOpsContent, opsQueuePage } from './alpha';
import { incidentOpsApiRef } from './api/IncidentOpsApi';
import { opsQueueRouteRef } from './routes';
import { queue } from './components/__fixtures__/incidents';

describe('incident-ops Ops tab and queue (new frontend system)', () => {
  it('puts an "Ops" tab at ops on clusters, namespaces and services only', () => {
    const tester = createExtensionTester(entityOpsContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('ops');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Ops');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const entity = (kind: string, type?: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x' },
      spec: type ? { type } : {},
    });
    expect(filter(entity('Resource', 'kubernetes-cluster'))).toBe(true);
    expect(filter(entity('Resource', 'kubernetes-namespace'))).toBe(true);
    expect(filter(entity('Component', 'service'))).toBe(true);
    expect(filter(entity('Resource', 'database'))).toBe(false);
    expect(filter(entity('Group'))).toBe(false);
  });

  it('provides the Ops queue at /incident-ops/queue, in the nav as "Ops queue"', async () => {
    const tester = createExtensionTester(opsQueuePage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/incident-ops/queue');
    expect(tester.get(coreExtensionData.routeRef)).toBe(opsQueueRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Ops queue');

    renderTestApp({
      features: [incidentOpsPlugin],
      initialRouteEntries: ['/incident-ops/queue'],
      apis: [
        [incidentOpsApiRef, { getQueue: async () => queue }],
        [catalogApiRef, catalogApiMock({ entities: [] })],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
    });
    expect(
      await screen.findByRole('heading', { name: 'Ops queue' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('INC13076901')).toBeInTheDocument();
    expect(
      screen.getByText('Ops queue', { selector: 'a *, a' }).closest('a'),
    ).toHaveAttribute('href', '/incident-ops/queue');
  });
});
