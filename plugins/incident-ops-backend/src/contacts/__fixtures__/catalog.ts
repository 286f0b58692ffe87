import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';

const P = 'incident-ops.acme.com';

/**
 * Adds the relations the catalog's processors would (dependsOn/dependencyOf,
 * ownedBy/ownerOf, memberOf/hasMember, childOf/parentOf), since the in-memory catalog mock
 * serves entities as given.
 */
export function withRelations(entities: Entity[]): Entity[] {
  const out = entities.map(e => ({
    ...e,
    metadata: { namespace: 'default', ...e.metadata },
    relations: [] as NonNullable<Entity['relations']>,
  }));
  const byRef = new Map(out.map(e => [stringifyEntityRef(e), e]));
  const link = (
    from: Entity,
    type: string,
    reverse: string,
    raw: unknown,
    defaultKind?: string,
  ) => {
    if (typeof raw !== 'string') return;
    const targetRef = stringifyEntityRef(
      parseEntityRef(raw, {
        defaultKind,
        defaultNamespace: from.metadata.namespace,
      }),
    );
    from.relations!.push({ type, targetRef });
    byRef
      .get(targetRef)
      ?.relations!.push({ type: reverse, targetRef: stringifyEntityRef(from) });
  };
  for (const e of out) {
    const spec = (e.spec ?? {}) as Record<string, unknown>;
    const list = (v: unknown) => (Array.isArray(v) ? v : []);
    list(spec.dependsOn).forEach(d => link(e, 'dependsOn', 'dependencyOf', d));
    link(e, 'ownedBy', 'ownerOf', spec.owner, 'group');
    list(spec.memberOf).forEach(g =>
      link(e, 'memberOf', 'hasMember', g, 'group'),
    );
    link(e, 'childOf', 'parentOf', spec.parent, 'group');
  }
  return out;
}

/** The shipped Tanzu Atlas catalog (catalog-info.yaml and catalog/*.yaml), with relations. */
export function shippedCatalog(): Entity[] {
  const root = resolvePackagePath('@acme/plugin-incident-ops-backend', '../..');
  const files = [
    path.join(root, 'catalog-info.yaml'),
    ...fs
      .readdirSync(path.join(root, 'catalog'))
      .filter(f => f.endsWith('.yaml'))
      .map(f => path.join(root, 'catalog', f)),
  ];
  const entities = files.flatMap(f =>
    parseAllDocuments(fs.readFileSync(f, 'utf8')).map(d => d.toJS() as Entity),
  );
  return withRelations(entities.filter(e => e && e.kind !== 'Location'));
}

const resource = (
  name: string,
  type: string,
  annotations: Record<string, string>,
  dependsOn?: string,
  owner = 'group:default/l2',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, annotations },
  spec: { type, owner, ...(dependsOn ? { dependsOn: [dependsOn] } : {}) },
});

const group = (
  name: string,
  displayName: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, annotations, description: `${displayName} group` },
  spec: {
    type: 'team',
    profile: { displayName, email: `${name}@acme.com` },
    children: [],
  },
});

const user = (name: string, memberOf: string[], phone?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name,
    annotations: phone ? { [`${P}/phone`]: phone } : {},
  },
  spec: {
    profile: { displayName: name.toUpperCase(), email: `${name}@acme.com` },
    memberOf,
  },
});

/**
 * A small catalog for the resolver's rules:
 * - cluster c1 (domain d1, owned by area-leads-d1) sets every role; namespace n1 overrides
 *   the team lead and the Slack channel; service s1 runs in n1 and sets nothing.
 * - cluster c2 (domain d2, which is not in the catalog) has no vendor liaison and a hotline
 *   no vendor group has; namespace n3 names a kube-admin who is not in the catalog.
 * - namespace orphan depends on no cluster.
 */
export const fixtureCatalog: Entity[] = withRelations([
  resource('c1', 'kubernetes-cluster', {
    [`${P}/domain`]: 'd1',
    [`${P}/support-engineer`]: 'group:default/l1,user:default/sam',
    [`${P}/evangelist`]: 'user:default/eve',
    [`${P}/team-lead`]: 'user:default/tom',
    [`${P}/kube-admin`]: 'user:default/kim',
    [`${P}/vendor-liaison`]: 'user:default/val',
    [`${P}/slack-channel`]: '#c1-ops',
    [`${P}/teams-channel`]: 'C1 Operations',
    [`${P}/vendor-hotline`]: '+1800002',
  }),
  resource(
    'n1',
    'kubernetes-namespace',
    {
      [`${P}/team-lead`]: 'olga',
      [`${P}/slack-channel`]: '#n1-incidents',
    },
    'resource:default/c1',
  ),
  resource('n2', 'kubernetes-namespace', {}, 'resource:default/c1'),
  resource('c2', 'kubernetes-cluster', {
    [`${P}/domain`]: 'd2',
    [`${P}/support-engineer`]: 'group:default/l1',
    [`${P}/evangelist`]: 'user:default/eve',
    [`${P}/team-lead`]: 'user:default/tom',
    [`${P}/kube-admin`]: 'user:default/kim',
    [`${P}/vendor-hotline`]: '+1800009',
  }),
  resource(
    'n3',
    'kubernetes-namespace',
    { [`${P}/kube-admin`]: 'user:default/ghost' },
    'resource:default/c2',
  ),
  resource('orphan', 'kubernetes-namespace', {}),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 's1' },
    spec: {
      type: 'service',
      owner: 'group:default/apps',
      dependsOn: ['resource:default/n1'],
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'd1', title: 'Domain One' },
    spec: { owner: 'group:default/area-leads-d1' },
  },
  group('l1', 'L1 Support', {
    [`${P}/support-tier`]: 'L1',
    [`${P}/slack-channel`]: '#l1',
  }),
  group('l2', 'L2 Platform', { [`${P}/support-tier`]: 'L2' }),
  group('l3', 'L3 Evangelists', { [`${P}/support-tier`]: 'L3' }),
  group('apps', 'App Team'),
  group('architects', 'Architects', {
    [`${P}/stakeholder-role`]: 'architect',
  }),
  group('area-leads-d1', 'Area Leads D1'),
  group('vendor-managers', 'Vendor Managers', {
    [`${P}/stakeholder-role`]: 'vendor-manager',
  }),
  group('it-leadership', 'IT Leadership', {
    [`${P}/stakeholder-role`]: 'it-leadership',
    [`${P}/teams-channel`]: 'IT Leadership',
  }),
  group('vendor-one', 'Vendor One', {
    [`${P}/stakeholder-role`]: 'vendor',
    [`${P}/vendor-hotline`]: '+1800001',
  }),
  group('vendor-two', 'Vendor Two', {
    [`${P}/stakeholder-role`]: 'vendor',
    [`${P}/vendor-hotline`]: '+1800002',
  }),
  user('sam', ['group:default/l1']),
  user('lee', ['group:default/l1']),
  user('eve', ['group:default/l3']),
  user('tom', [], '+1415001'),
  user('olga', [], '+1415002'),
  user('kim', ['group:default/l2']),
  user('val', []),
  user('ann', ['group:default/area-leads-d1'], '+1415003'),
  user('vic', ['group:default/vendor-managers'], '+1415004'),
  user('ian', ['group:default/it-leadership']),
]);
