import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

// These refs serve both frontend systems: the legacy plugin (plugin.ts) mounts them as
// routes, the new one (alpha.tsx) as its pages' route refs; components link with
// `useRouteRef` and never write an app path themselves.

export const rootRouteRef = createRouteRef({ id: 'incident-ops' });

/** The ownership matrix page. @public */
export const ownershipMatrixRouteRef = createRouteRef({
  id: 'incident-ops:ownership-matrix',
});

/** The sync admin page: provider status, quarantine, "Sync now". @public */
export const syncAdminRouteRef = createRouteRef({
  id: 'incident-ops:sync-admin',
});

/** The Ops queue page. @public */
export const opsQueueRouteRef = createRouteRef({
  id: 'incident-ops:ops-queue',
});

/** The Reports page. @public */
export const reportsRouteRef = createRouteRef({
  id: 'incident-ops:reports',
});

/** A knowledge article's page (`id`: its number or repository id). @public */
export const kbArticleRouteRef = createRouteRef({
  id: 'incident-ops:kb-article',
  params: ['id'],
});

/** The playbook list. @public */
export const playbooksRouteRef = createRouteRef({
  id: 'incident-ops:playbooks',
});

/** A playbook's page (`id`: the playbook id). @public */
export const playbookRouteRef = createRouteRef({
  id: 'incident-ops:playbook',
  params: ['id'],
});

/**
 * An entity's page in the catalog, where the Incidents card links to the entity's Ops tab.
 * Optional: without it the card shows no Ops link. The new frontend system binds it to the
 * catalog's entity page by default.
 * @public
 */
export const entityPageRouteRef = createExternalRouteRef({
  id: 'incident-ops:entity-page',
  params: ['namespace', 'kind', 'name'],
  optional: true,
  defaultTarget: 'catalog.catalogEntity',
});

/**
 * The app's search page, where a knowledge article that is not found offers to search for
 * it. Optional; the new frontend system binds it to the search page by default.
 * @public
 */
export const searchPageRouteRef = createExternalRouteRef({
  id: 'incident-ops:search-page',
  optional: true,
  defaultTarget: 'search.root',
});

/** The plugin's pages, by the names both frontend systems' plugins give them. */
export const pageRouteRefs = {
  syncAdmin: syncAdminRouteRef,
  opsQueue: opsQueueRouteRef,
  ownershipMatrix: ownershipMatrixRouteRef,
  reports: reportsRouteRef,
  kbArticle: kbArticleRouteRef,
  playbooks: playbooksRouteRef,
  playbook: playbookRouteRef,
};

/** Other plugins' pages the plugin links to, which the app binds. */
export const externalRouteRefs = {
  entityPage: entityPageRouteRef,
  searchPage: searchPageRouteRef,
};
