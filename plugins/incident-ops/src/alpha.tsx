import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import SyncIcon from '@material-ui/icons/Sync';
import AssessmentIcon from '@material-ui/icons/AssessmentOutlined';
import AssignmentLateIcon from '@material-ui/icons/AssignmentLate';
import PeopleIcon from '@material-ui/icons/PeopleOutline';
import PlaybooksIcon from '@material-ui/icons/MenuBook';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import ArticleIcon from '@material-ui/icons/LibraryBooks';
import { IncidentOpsClient, incidentOpsApiRef } from './api/IncidentOpsApi';
import { hasOpsTab } from './components/OpsQueue/hasOpsTab';
import {
  externalRouteRefs,
  kbArticleRouteRef,
  opsQueueRouteRef,
  ownershipMatrixRouteRef,
  pageRouteRefs,
  playbookRouteRef,
  playbooksRouteRef,
  reportsRouteRef,
  syncAdminRouteRef,
} from './routes';

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
 * The escalation contact tree on components and resources: who is reached at each level,
 * and which entity each contact comes from.
 * @alpha
 */
export const entityContactsCard = EntityCardBlueprint.make({
  name: 'contacts',
  params: {
    filter: entity => ['Component', 'Resource'].includes(entity.kind),
    loader: () =>
      import('./components/ContactsCard').then(m => <m.ContactsCard />),
  },
});

/**
 * The ownership matrix at /incident-ops/ownership, in the nav as "Ownership matrix": every
 * cluster and namespace × the five accountable roles, with the gaps.
 * @alpha
 */
export const ownershipMatrixPage = PageBlueprint.make({
  name: 'ownership-matrix',
  params: {
    path: '/incident-ops/ownership',
    title: 'Ownership matrix',
    icon: <PeopleIcon />,
    noHeader: true,
    routeRef: ownershipMatrixRouteRef,
    loader: () =>
      import('./components/OwnershipMatrixPage').then(m => (
        <m.OwnershipMatrixPage />
      )),
  },
});

/**
 * The Ops tab on cluster, namespace and service pages: the entity's incidents with their
 * SLA clocks, worked from an incident view in a drawer.
 * @alpha
 */
export const entityOpsContent = EntityContentBlueprint.make({
  name: 'ops',
  params: {
    path: 'ops',
    title: 'Ops',
    filter: hasOpsTab,
    loader: () =>
      import('./components/OpsQueue').then(m => <m.EntityOpsContent />),
  },
});

/**
 * The Ops queue at /incident-ops/queue, in the nav as "Ops queue": every open incident,
 * breaching first, with filters and the incident view.
 * @alpha
 */
export const opsQueuePage = PageBlueprint.make({
  name: 'ops-queue',
  params: {
    path: '/incident-ops/queue',
    title: 'Ops queue',
    icon: <AssignmentLateIcon />,
    noHeader: true,
    routeRef: opsQueueRouteRef,
    loader: () => import('./components/OpsQueue').then(m => <m.OpsQueuePage />),
  },
});

/**
 * The Reports page at /incident-ops/reports, in the nav as "Incident reports": the weekly,
 * monthly and quarterly reports with their charts, SLA compliance, recommendations and CSV.
 * @alpha
 */
export const reportsPage = PageBlueprint.make({
  name: 'reports',
  params: {
    path: '/incident-ops/reports',
    title: 'Incident reports',
    icon: <AssessmentIcon />,
    noHeader: true,
    routeRef: reportsRouteRef,
    loader: () =>
      import('./components/ReportsPage').then(m => <m.ReportsPage />),
  },
});

/**
 * The sync admin page at /incident-ops/sync: provider status, quarantine and "Sync now".
 * With its title and icon it also shows up in the app's nav as "Incident sync". The page
 * renders its own header, so the default plugin page header is turned off.
 * @alpha
 */
export const syncAdminPage = PageBlueprint.make({
  name: 'sync-admin',
  params: {
    path: '/incident-ops/sync',
    title: 'Incident sync',
    icon: <SyncIcon />,
    noHeader: true,
    routeRef: syncAdminRouteRef,
    loader: () =>
      import('./components/SyncAdminPage').then(m => <m.SyncAdminPage />),
  },
});

/**
 * A knowledge article at /incident-ops/kb/:id, where search hits on repository articles and
 * the incident view link to. Not in the nav.
 * @alpha
 */
export const kbArticlePage = PageBlueprint.make({
  name: 'kb-article',
  params: {
    path: '/incident-ops/kb/:id',
    noHeader: true,
    routeRef: kbArticleRouteRef,
    loader: () =>
      import('./components/KnowledgePages').then(m => (
        <m.KnowledgeArticlePage />
      )),
  },
});

/**
 * The playbooks at /incident-ops/playbooks, in the nav as "Playbooks": what each is for and
 * the ticket type → playbook mapping.
 * @alpha
 */
export const playbooksPage = PageBlueprint.make({
  name: 'playbooks',
  params: {
    path: '/incident-ops/playbooks',
    title: 'Playbooks',
    icon: <PlaybooksIcon />,
    noHeader: true,
    routeRef: playbooksRouteRef,
    loader: () =>
      import('./components/KnowledgePages').then(m => <m.PlaybooksPage />),
  },
});

/**
 * One playbook at /incident-ops/playbooks/:id, where search hits on playbooks link to: each
 * step with its instructions, checks and templates. Not in the nav.
 * @alpha
 */
export const playbookPage = PageBlueprint.make({
  name: 'playbook',
  params: {
    path: '/incident-ops/playbooks/:id',
    noHeader: true,
    routeRef: playbookRouteRef,
    loader: () =>
      import('./components/KnowledgePages').then(m => <m.PlaybookPage />),
  },
});

/** KB articles in the app's search results, with their ticket types and tags. @alpha */
export const kbSearchResultListItem = SearchResultListItemBlueprint.make({
  name: 'kb',
  params: {
    predicate: result => result.type === 'incident-ops-kb',
    icon: <ArticleIcon />,
    component: () =>
      import('./components/SearchResults').then(m => props => (
        <m.IncidentOpsSearchResultItem
          result={props.result}
          icon={props.icon}
          kind="Knowledge article"
        />
      )),
  },
});

/** Playbooks in the app's search results. @alpha */
export const playbookSearchResultListItem = SearchResultListItemBlueprint.make({
  name: 'playbook',
  params: {
    predicate: result => result.type === 'incident-ops-playbook',
    icon: <PlaybooksIcon />,
    component: () =>
      import('./components/SearchResults').then(m => props => (
        <m.IncidentOpsSearchResultItem
          result={props.result}
          icon={props.icon}
          kind="Playbook"
        />
      )),
  },
});

/** "Knowledge articles" and "Playbooks" in the search page's result type filter. @alpha */
export const kbSearchResultType = SearchFilterResultTypeBlueprint.make({
  name: 'kb',
  params: {
    value: 'incident-ops-kb',
    name: 'Knowledge articles',
    icon: <ArticleIcon />,
  },
});

/** @alpha */
export const playbookSearchResultType = SearchFilterResultTypeBlueprint.make({
  name: 'playbook',
  params: {
    value: 'incident-ops-playbook',
    name: 'Playbooks',
    icon: <PlaybooksIcon />,
  },
});

/**
 * Incident Ops for apps on the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'incident-ops',
  routes: pageRouteRefs,
  externalRoutes: externalRouteRefs,
  extensions: [
    incidentOpsApi,
    entityIncidentsCard,
    entityOpsContent,
    opsQueuePage,
    entityContactsCard,
    syncAdminPage,
    ownershipMatrixPage,
    reportsPage,
    kbArticlePage,
    playbooksPage,
    playbookPage,
    kbSearchResultListItem,
    playbookSearchResultListItem,
    kbSearchResultType,
    playbookSearchResultType,
  ],
});
