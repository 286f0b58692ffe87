import {
  kbArticleRouteRef,
  playbookRouteRef,
  playbooksRouteRef,
  searchPageRouteRef,
} from '../routes';

/**
 * The pages the plugin's components link to, mounted where the new frontend system puts
 * them, for `renderInTestApp`'s `mountedRoutes`.
 */
export const knowledgeRoutes = {
  '/incident-ops/kb/:id': kbArticleRouteRef,
  '/incident-ops/playbooks': playbooksRouteRef,
  '/incident-ops/playbooks/:id': playbookRouteRef,
  '/search': searchPageRouteRef,
};
