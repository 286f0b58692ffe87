import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { IncidentOpsClient, incidentOpsApiRef } from './api/IncidentOpsApi';
import {
  externalRouteRefs,
  kbArticleRouteRef,
  opsQueueRouteRef,
  ownershipMatrixRouteRef,
  pageRouteRefs,
  playbookRouteRef,
  playbooksRouteRef,
  reportsRouteRef,
  rootRouteRef,
  syncAdminRouteRef,
} from './routes';

/**
 * The Incident Ops plugin for apps on the legacy frontend system. Its two external routes
 * are optional; bind them in the app's `createApp` to get the Incidents card's Ops links
 * and the article page's search link:
 *
 * ```ts
 * bindRoutes({ bind }) {
 *   bind(incidentOpsPlugin.externalRoutes, {
 *     entityPage: catalogPlugin.routes.catalogEntity,
 *     searchPage: searchPlugin.routes.root,
 *   });
 * }
 * ```
 * @public
 */
export const incidentOpsPlugin = createPlugin({
  id: 'incident-ops',
  apis: [
    createApiFactory({
      api: incidentOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new IncidentOpsClient(deps),
    }),
  ],
  routes: { root: rootRouteRef, ...pageRouteRefs },
  externalRoutes: externalRouteRefs,
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

/** The escalation contacts card for entity pages. @public */
export const EntityContactsCard = incidentOpsPlugin.provide(
  createComponentExtension({
    name: 'EntityContactsCard',
    component: {
      lazy: () => import('./components/ContactsCard').then(m => m.ContactsCard),
    },
  }),
);

/**
 * The ownership matrix page: every cluster and namespace × the five accountable roles, with
 * inherited cells and gaps. Mount it in the app's routes, e.g. at `/incident-ops/ownership`.
 * @public
 */
export const IncidentOpsOwnershipMatrixPage = incidentOpsPlugin.provide(
  createRoutableExtension({
    name: 'IncidentOpsOwnershipMatrixPage',
    component: () =>
      import('./components/OwnershipMatrixPage').then(
        m => m.OwnershipMatrixPage,
      ),
    mountPoint: ownershipMatrixRouteRef,
  }),
);

/**
 * The Ops tab for cluster, namespace and service pages: the entity's incidents with their
 * SLA clocks, worked from an incident view in a drawer. Mount it as an entity route, e.g.
 * at `ops` titled "Ops".
 * @public
 */
export const EntityOpsContent = incidentOpsPlugin.provide(
  createComponentExtension({
    name: 'EntityOpsContent',
    component: {
      lazy: () => import('./components/OpsQueue').then(m => m.EntityOpsContent),
    },
  }),
);

/**
 * The Ops queue across every entity: filters, breaching first, and the incident view. Mount
 * it in the app's routes, e.g. at `/incident-ops/queue`.
 * @public
 */
export const IncidentOpsQueuePage = incidentOpsPlugin.provide(
  createRoutableExtension({
    name: 'IncidentOpsQueuePage',
    component: () => import('./components/OpsQueue').then(m => m.OpsQueuePage),
    mountPoint: opsQueueRouteRef,
  }),
);

/**
 * The sync admin page: how each incident source's sync is doing, what is in quarantine,
 * and a "Sync now" button for those with the `incident-ops.sync.run` permission. Mount it
 * in the app's routes, e.g. at `/incident-ops/sync`.
 * @public
 */
export const IncidentOpsSyncAdminPage = incidentOpsPlugin.provide(
  createRoutableExtension({
    name: 'IncidentOpsSyncAdminPage',
    component: () =>
      import('./components/SyncAdminPage').then(m => m.SyncAdminPage),
    mountPoint: syncAdminRouteRef,
  }),
);

/**
 * The Reports page: weekly, monthly and quarterly reports with charts, SLA compliance, the
 * recommendations and CSV download. Mount it in the app's routes, e.g. at
 * `/incident-ops/reports`.
 * @public
 */
export const IncidentOpsReportsPage = incidentOpsPlugin.provide(
  createRoutableExtension({
    name: 'IncidentOpsReportsPage',
    component: () =>
      import('./components/ReportsPage').then(m => m.ReportsPage),
    mountPoint: reportsRouteRef,
  }),
);

/**
 * A knowledge article: source, ticket types, tags, last update and the body as Markdown.
 * Mount it at `/incident-ops/kb/:id`, where the search collator's documents and the
 * incident view link to.
 * @public
 */
export const IncidentOpsKnowledgeArticlePage = incidentOpsPlugin.provide(
  createRoutableExtension({
    name: 'IncidentOpsKnowledgeArticlePage',
    component: () =>
      import('./components/KnowledgePages').then(m => m.KnowledgeArticlePage),
    mountPoint: kbArticleRouteRef,
  }),
);

/**
 * The playbook list with the ticket type → playbook mapping. Mount it at
 * `/incident-ops/playbooks`.
 * @public
 */
export const IncidentOpsPlaybooksPage = incidentOpsPlugin.provide(
  createRoutableExtension({
    name: 'IncidentOpsPlaybooksPage',
    component: () =>
      import('./components/KnowledgePages').then(m => m.PlaybooksPage),
    mountPoint: playbooksRouteRef,
  }),
);

/**
 * One playbook, step by step with its checks and templates. Mount it at
 * `/incident-ops/playbooks/:id`, where the search collator's documents link to.
 * @public
 */
export const IncidentOpsPlaybookPage = incidentOpsPlugin.provide(
  createRoutableExtension({
    name: 'IncidentOpsPlaybookPage',
    component: () =>
      import('./components/KnowledgePages').then(m => m.PlaybookPage),
    mountPoint: playbookRouteRef,
  }),
);
