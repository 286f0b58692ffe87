import {
  incidentOpsIncidentReadPermission,
  type Incident,
} from '@acme/plugin-incident-ops-common';
import {
  incidentOpsIncidentResourceRef,
  type IncidentOpsIncidentQuery,
  type IncidentOpsIncidentResource,
} from '@acme/plugin-incident-ops-node';
import type {
  AuthService,
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  type Permission,
  type PermissionCriteria,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import type { IncidentRestriction } from '../database/restriction';
import type { CatalogSnapshot } from './CatalogSnapshot';
import { onEntities, toClause, toResource } from './incidentFacts';

/** Which write permissions each service principal was granted (`incidentOps.permissions.serviceGrants`). */
export type ServiceGrants = Map<string, string[]>;

/**
 * Who may do what to which incident: per-incident checks through the permission framework,
 * the incident resource its rules are applied to, and the filter lists apply for a reader.
 */
export class IncidentAccess {
  constructor(
    private readonly deps: {
      auth: AuthService;
      permissions: PermissionsService;
      permissionsRegistry: PermissionsRegistryService;
      catalog: CatalogService;
      snapshot: CatalogSnapshot;
      getIncident(number: string): Promise<Incident | undefined>;
      /** Users who reported the incident from Backstage (its requestors too). */
      reportersOf?(number: string): Promise<string[]>;
      /** Incidents reported from Backstage by any of these users. */
      reportedBy?(claims: string[]): Promise<string[]>;
      serviceGrants: ServiceGrants;
    },
  ) {}

  /** The incidents as the rules see them (undefined where there is none). */
  async resources(
    numbers: string[],
  ): Promise<Array<IncidentOpsIncidentResource | undefined>> {
    const facts = await this.deps.snapshot.facts();
    return Promise.all(
      numbers.map(async number => {
        const incident = await this.deps.getIncident(number);
        if (!incident) return undefined;
        const reporters = (await this.deps.reportersOf?.(number)) ?? [];
        return toResource(incident, facts, reporters);
      }),
    );
  }

  /**
   * Throws NotAllowedError unless the caller holds the permission (on the incident, for a
   * resource permission). Checked before the incident is looked up, so a refusal does not
   * tell whether it exists. A service principal is refused anything but reads unless it was
   * granted the permission explicitly.
   */
  async authorize(
    credentials: BackstageCredentials,
    permission: Permission,
    what: string,
    number?: string,
  ): Promise<void> {
    const { auth, permissions } = this.deps;
    if (
      auth.isPrincipal(credentials, 'service') &&
      permission.attributes.action !== 'read'
    ) {
      const { subject, accessRestrictions } = credentials.principal;
      const granted =
        accessRestrictions?.permissionNames?.includes(permission.name) ||
        this.deps.serviceGrants.get(subject)?.includes(permission.name);
      if (!granted) {
        throw new NotAllowedError(
          `Not allowed to ${what}: service ${subject} has no grant for ${permission.name}`,
        );
      }
      return;
    }
    if (isResourcePermission(permission) && number === undefined) {
      // a read of something other than one incident: allowed when any incident may be
      const [d] = await permissions.authorizeConditional([{ permission }], {
        credentials,
      });
      if (d.result === AuthorizeResult.DENY) {
        throw new NotAllowedError(`Not allowed to ${what}`);
      }
      return;
    }
    const [decision] = await permissions.authorize(
      [
        isResourcePermission(permission)
          ? { permission, resourceRef: number! }
          : { permission: permission as any },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to ${what}`);
    }
  }

  /** Whether the caller holds the permission (see authorize). */
  async allows(
    credentials: BackstageCredentials,
    permission: Permission,
    number?: string,
  ): Promise<boolean> {
    try {
      await this.authorize(credentials, permission, 'check', number);
      return true;
    } catch (e) {
      if ((e as Error).name === 'NotAllowedError') return false;
      throw e;
    }
  }

  /**
   * What a reader may see of the incidents: the read permission's conditions as a database
   * filter, and nothing on catalog entities they may not see. Undefined: everything.
   * Throws NotAllowedError when they may read none: it is the read check of a list.
   */
  async readRestriction(
    credentials: BackstageCredentials,
  ): Promise<IncidentRestriction | undefined> {
    const { permissions } = this.deps;
    const [[read], [catalogRead]] = await Promise.all([
      permissions.authorizeConditional(
        [{ permission: incidentOpsIncidentReadPermission }],
        { credentials },
      ),
      permissions.authorizeConditional(
        [{ permission: catalogEntityReadPermission }],
        { credentials },
      ),
    ]);
    if (read.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('Not allowed to read incidents');
    }
    const parts: IncidentRestriction[] = [];
    if (read.result === AuthorizeResult.CONDITIONAL) {
      const transform = createConditionTransformer(
        this.deps.permissionsRegistry.getPermissionRuleset(
          incidentOpsIncidentResourceRef,
        ),
      );
      parts.push(await this.resolve(transform(read.conditions)));
    }
    if (catalogRead.result !== AuthorizeResult.ALLOW) {
      parts.push({ not: await this.hiddenFrom(credentials) });
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1
      ? parts[0]
      : { allOf: parts as [IncidentRestriction, ...IncidentRestriction[]] };
  }

  private async resolve(
    criteria: PermissionCriteria<IncidentOpsIncidentQuery>,
  ): Promise<IncidentRestriction> {
    const facts = await this.deps.snapshot.facts();
    type Criteria = PermissionCriteria<IncidentOpsIncidentQuery>;
    type Resolved = [IncidentRestriction, ...IncidentRestriction[]];
    async function walk(
      this: IncidentAccess,
      c: Criteria,
    ): Promise<IncidentRestriction> {
      const each = async (list: Criteria[]) =>
        (await Promise.all(list.map(x => walk.call(this, x)))) as Resolved;
      if ('allOf' in c) return { allOf: await each(c.allOf) };
      if ('anyOf' in c) return { anyOf: await each(c.anyOf) };
      if ('not' in c) return { not: await walk.call(this, c.not) };
      const reported =
        'requestor' in c && this.deps.reportedBy
          ? await this.deps.reportedBy(c.requestor.claims)
          : [];
      return toClause(c, facts, () => reported);
    }
    return walk.call(this, criteria);
  }

  /** Incidents on catalog entities the reader may not see. */
  private async hiddenFrom(
    credentials: BackstageCredentials,
  ): Promise<IncidentRestriction> {
    const facts = await this.deps.snapshot.facts();
    const refs = [...facts.entities.keys()];
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name'] },
      { credentials },
    );
    return onEntities(
      refs.filter((_, i) => !items[i]),
      facts,
      false,
    );
  }
}
