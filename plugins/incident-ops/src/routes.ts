import { createRouteRef } from '@backstage/core-plugin-api';

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
