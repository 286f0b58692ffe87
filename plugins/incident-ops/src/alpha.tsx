import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { IncidentOpsClient, incidentOpsApiRef } from './api/IncidentOpsApi';

const incidentOpsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: incidentOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new IncidentOpsClient(deps),
    }),
});

/**
 * The Incidents card, on components and resources. Entities without a CMDB CI get a card
 * that tells the owner which annotation to add.
 * @alpha
 */
export const entityIncidentsCard = EntityCardBlueprint.make({
  name: 'incidents',
  params: {
    filter: entity => ['Component', 'Resource'].includes(entity.kind),
    loader: () =>
      import('./components/IncidentsCard').then(m => <m.IncidentsCard />),
  },
});

/**
 * Incident Ops for apps on the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'incident-ops',
  extensions: [incidentOpsApi, entityIncidentsCard],
});
