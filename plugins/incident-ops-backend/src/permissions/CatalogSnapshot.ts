import {
  ANNOTATION_SERVICENOW_CMDB_CI,
  ANNOTATION_SERVICENOW_USER,
  ANNOTATION_SUPPORT_TIER,
  ENTITY_TYPE_CLUSTER,
  ENTITY_TYPE_NAMESPACE,
  TIERS,
  Tier,
  type AccountableRole,
} from '@acme/plugin-incident-ops-common';
import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  type Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { readOwnershipMatrix } from '../contacts/ownershipMatrix';

const ANNOTATION_KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';

/** A catalog entity incidents can sit on: a cluster, a namespace, or anything with a CI. */
export interface PlacedEntity {
  ref: string;
  type?: string;
  configurationItem?: string;
  /** For a namespace: the Kubernetes name ticket text names it by. */
  namespace?: string;
  owners: string[];
  /** What it depends on (a service's namespace, a namespace's cluster). */
  parents: string[];
  /** What depends on it (a cluster's namespaces, a namespace's services). */
  children: string[];
}

/** What the permission rules read of the catalog, as the plugin itself sees it. */
export interface CatalogFacts {
  entities: Map<string, PlacedEntity>;
  /** Group entity refs of each support tier (support-tier annotation). */
  tierGroups: Map<Tier, string[]>;
  /** Catalog users by their ServiceNow user sys_id (servicenow-user annotation). */
  usersBySysId: Map<string, string[]>;
  /** Holders of each accountable role, by cluster or namespace (inherited cells included). */
  roles: Map<string, Array<{ role: AccountableRole; holder: string }>>;
}

const TTL_MS = 60_000;

const PLACED_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.type',
  'relations',
];

const relations = (e: Entity, type: string) =>
  (e.relations ?? []).filter(r => r.type === type).map(r => r.targetRef);

/**
 * The catalog facts the incident permission rules need, read with the plugin's own
 * credentials and kept for a minute: a permission check must not cost a catalog crawl.
 */
export class CatalogSnapshot {
  private cached?: { at: number; facts: Promise<CatalogFacts> };

  constructor(
    private readonly deps: { catalog: CatalogService; auth: AuthService },
  ) {}

  facts(now = Date.now()): Promise<CatalogFacts> {
    if (!this.cached || now - this.cached.at > TTL_MS) {
      const facts = this.read();
      this.cached = { at: now, facts };
      // a failed read is not kept
      facts.catch(() => {
        if (this.cached?.facts === facts) this.cached = undefined;
      });
    }
    return this.cached.facts;
  }

  private async all(
    filter: Parameters<CatalogService['queryEntities']>[0] & object,
    credentials: BackstageCredentials,
  ) {
    const items: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.catalog.queryEntities(
        cursor ? { cursor, limit: 1000 } : { ...filter, limit: 1000 },
        { credentials },
      );
      items.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return items;
  }

  private async read(): Promise<CatalogFacts> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const [placed, groups, users, matrix] = await Promise.all([
      this.all(
        {
          filter: [{ kind: 'resource' }, { kind: 'component' }],
          fields: PLACED_FIELDS,
        },
        credentials,
      ),
      this.all(
        {
          filter: {
            kind: 'group',
            [`metadata.annotations.${ANNOTATION_SUPPORT_TIER}`]: [...TIERS],
          },
        },
        credentials,
      ),
      this.all(
        {
          filter: { kind: 'user' },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.annotations',
          ],
        },
        credentials,
      ),
      readOwnershipMatrix(this.deps.catalog, credentials),
    ]);

    const entities = new Map<string, PlacedEntity>();
    for (const e of placed) {
      const annotations = e.metadata.annotations ?? {};
      const type = typeof e.spec?.type === 'string' ? e.spec.type : undefined;
      if (
        !annotations[ANNOTATION_SERVICENOW_CMDB_CI] &&
        type !== ENTITY_TYPE_CLUSTER &&
        type !== ENTITY_TYPE_NAMESPACE
      ) {
        continue;
      }
      entities.set(stringifyEntityRef(e), {
        ref: stringifyEntityRef(e),
        type,
        configurationItem: annotations[ANNOTATION_SERVICENOW_CMDB_CI],
        namespace:
          type === ENTITY_TYPE_NAMESPACE
            ? annotations[ANNOTATION_KUBERNETES_NAMESPACE] ?? e.metadata.name
            : undefined,
        owners: relations(e, RELATION_OWNED_BY),
        parents: relations(e, RELATION_DEPENDS_ON),
        children: relations(e, RELATION_DEPENDENCY_OF),
      });
    }

    const tierGroups = new Map<Tier, string[]>(TIERS.map(t => [t, []]));
    for (const g of groups) {
      const tier = g.metadata.annotations?.[
        ANNOTATION_SUPPORT_TIER
      ]?.trim().toUpperCase() as Tier;
      tierGroups.get(tier)?.push(stringifyEntityRef(g));
    }

    const usersBySysId = new Map<string, string[]>();
    for (const u of users) {
      const sysId = u.metadata.annotations?.[ANNOTATION_SERVICENOW_USER];
      if (!sysId) continue;
      usersBySysId.set(sysId, [
        ...(usersBySysId.get(sysId) ?? []),
        stringifyEntityRef(u),
      ]);
    }

    const roles = new Map(
      matrix.rows.map(row => [
        row.entityRef,
        row.cells.flatMap(c =>
          c.holders.map(holder => ({ role: c.role, holder })),
        ),
      ]),
    );
    return { entities, tierGroups, usersBySysId, roles };
  }
}
