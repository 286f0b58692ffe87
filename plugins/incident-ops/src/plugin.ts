import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { IncidentOpsClient, incidentOpsApiRef } from './api/IncidentOpsApi';
import { rootRouteRef } from './routes';

/** The Incident Ops plugin for apps on the legacy frontend system. @public */
export const incidentOpsPlugin = createPlugin({
  id: 'incident-ops',
  apis: [
    createApiFactory({
      api: incidentOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new IncidentOpsClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The Incidents card for entity pages. @public */
export const EntityIncidentsCard = incidentOpsPlugin.provide(
  createComponentExtension({
    name: 'EntityIncidentsCard',
    component: {
      lazy: () =>
        import('./components/IncidentsCard').then(m => m.IncidentsCard),
    },
  }),
);
