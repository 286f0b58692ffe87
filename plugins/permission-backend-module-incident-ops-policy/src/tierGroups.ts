import {
  ANNOTATION_SUPPORT_TIER,
  TIERS,
} from '@acme/plugin-incident-ops-common';
import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** Answers the refs (lower case) of the support tier groups. @public */
export type TierGroupsLookup = () => Promise<string[]>;

/**
 * The support tier groups are the catalog groups with a support-tier annotation (the same
 * groups the backend maps its tiers to). Looked up at most once per `maxAgeMs` (default one
 * minute), since the policy answers many checks per page.
 */
export function catalogTierGroups(options: {
  catalog: CatalogService;
  auth: AuthService;
  maxAgeMs?: number;
  now?: () => number;
}): TierGroupsLookup {
  const { catalog, auth, maxAgeMs = 60_000, now = Date.now } = options;
  let cached: { at: number; refs: Promise<string[]> } | undefined;
  const load = async () => {
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: 'group',
          [`metadata.annotations.${ANNOTATION_SUPPORT_TIER}`]: [...TIERS],
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.map(g => stringifyEntityRef(g).toLocaleLowerCase('en-US'));
  };
  return () => {
    if (!cached || now() - cached.at >= maxAgeMs) {
      const refs = load();
      cached = { at: now(), refs };
      // a failed lookup is not kept
      refs.catch(() => {
        if (cached?.refs === refs) cached = undefined;
      });
    }
    return cached.refs;
  };
}
