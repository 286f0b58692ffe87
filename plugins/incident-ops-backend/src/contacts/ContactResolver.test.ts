import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  ContactTree,
  OwnershipMatrix,
} from '@acme/plugin-incident-ops-common';
import { ContactResolver, parseRoleRefs } from './ContactResolver';
import { fixtureCatalog, shippedCatalog } from './__fixtures__/catalog';

const credentials = mockCredentials.user();

function resolver(entities = fixtureCatalog) {
  const catalog = catalogServiceMock({ entities });
  return { catalog, contacts: new ContactResolver({ catalog }) };
}

/** level → [contact ref or name, roles, from, inherited] */
function summary(tree: ContactTree) {
  return Object.fromEntries(
    tree.levels.map(l => [
      l.level,
      l.contacts.map(c => [
        c.contact.entityRef ?? `${c.contact.kind}:${c.contact.phone}`,
        c.roles.join('+'),
        c.from.entityRef,
        c.from.inherited,
      ]),
    ]),
  );
}

const cell = (m: OwnershipMatrix, row: string, role: string) =>
  m.rows.find(r => r.entityRef === row)!.cells.find(c => c.role === role)!;

describe('parseRoleRefs', () => {
  it('normalises comma-separated refs, users by default, without duplicates', () => {
    expect(
      parseRoleRefs(' group:atlas-l1 , Bob,user:default/bob,, not:a:ref/x/y '),
    ).toEqual(['group:default/atlas-l1', 'user:default/bob', 'not:a:ref/x/y']);
    expect(parseRoleRefs(undefined)).toEqual([]);
  });
});

describe('ContactResolver.contactTree', () => {
  it('resolves a service through its namespace and cluster, saying where each contact comes from', async () => {
    const tree = await resolver().contacts.contactTree(
      'component:default/s1',
      credentials,
    );
    expect(tree.chain.map(c => c.entityRef)).toEqual([
      'component:default/s1',
      'resource:default/n1',
      'resource:default/c1',
    ]);
    expect(summary(tree)).toEqual({
      l1: [
        [
          'group:default/l1',
          'support-engineer+l1',
          'resource:default/c1',
          true,
        ],
        ['user:default/sam', 'support-engineer', 'resource:default/c1', true],
      ],
      l2: [
        ['user:default/kim', 'kube-admin', 'resource:default/c1', true],
        ['group:default/apps', 'owner', 'component:default/s1', false],
        ['group:default/l2', 'l2', 'group:default/l2', false],
      ],
      l3: [
        ['user:default/eve', 'evangelist', 'resource:default/c1', true],
        [
          'group:default/architects',
          'architect',
          'group:default/architects',
          false,
        ],
        ['group:default/l3', 'l3', 'group:default/l3', false],
      ],
      // the namespace's own team lead wins over the cluster's
      'team-lead': [
        ['user:default/olga', 'team-lead', 'resource:default/n1', true],
      ],
      management: [
        [
          'group:default/area-leads-d1',
          'area-lead',
          'resource:default/c1',
          true,
        ],
        [
          'group:default/vendor-managers',
          'vendor-manager',
          'group:default/vendor-managers',
          false,
        ],
        [
          'group:default/it-leadership',
          'it-leadership',
          'group:default/it-leadership',
          false,
        ],
      ],
      // the vendor whose hotline the cluster names comes first, and the hotline is not repeated
      vendor: [
        ['user:default/val', 'vendor-liaison', 'resource:default/c1', true],
        [
          'group:default/vendor-two',
          'vendor',
          'group:default/vendor-two',
          false,
        ],
        [
          'group:default/vendor-one',
          'vendor',
          'group:default/vendor-one',
          false,
        ],
      ],
    });
    expect(tree.gaps).toEqual([]);
    expect(tree.domain).toEqual({
      entityRef: 'domain:default/d1',
      title: 'Domain One',
      from: 'resource:default/c1',
    });
    expect(tree.channels).toEqual({
      slack: {
        value: '#n1-incidents',
        from: 'resource:default/n1',
        inherited: true,
      },
      teams: {
        value: 'C1 Operations',
        from: 'resource:default/c1',
        inherited: true,
      },
    });
  });

  it('gives names, emails, phones, channels and group members', async () => {
    const tree = await resolver().contacts.contactTree(
      'resource:default/n1',
      credentials,
    );
    const find = (level: string, ref: string) =>
      tree.levels
        .find(l => l.level === level)!
        .contacts.find(c => c.contact.entityRef === ref)!;
    expect(find('team-lead', 'user:default/olga')).toEqual({
      roles: ['team-lead'],
      contact: {
        entityRef: 'user:default/olga',
        kind: 'user',
        name: 'OLGA',
        email: 'olga@acme.com',
        phone: '+1415002',
      },
      from: {
        entityRef: 'resource:default/n1',
        via: 'annotation',
        detail: 'incident-ops.acme.com/team-lead',
        inherited: false,
      },
    });
    const l1 = find('l1', 'group:default/l1').contact;
    expect(l1.slackChannel).toBe('#l1');
    expect(l1.members?.map(m => m.name)).toEqual(['SAM', 'LEE']);
    expect(
      find('management', 'group:default/area-leads-d1').contact.members,
    ).toEqual([
      {
        entityRef: 'user:default/ann',
        kind: 'user',
        name: 'ANN',
        email: 'ann@acme.com',
        phone: '+1415003',
      },
    ]);
    expect(find('vendor', 'group:default/vendor-two').contact.phone).toBe(
      '+1800002',
    );
    expect(
      find('management', 'group:default/it-leadership').contact.teamsChannel,
    ).toBe('IT Leadership');
  });

  it('reports gaps: no vendor liaison, no area lead for a domain that is not in the catalog, a kube-admin who does not exist', async () => {
    const tree = await resolver().contacts.contactTree(
      'resource:default/n3',
      credentials,
    );
    expect(tree.gaps).toEqual(['kube-admin', 'area-lead', 'vendor-liaison']);
    const l2 = tree.levels.find(l => l.level === 'l2')!;
    expect(l2.contacts[0]).toMatchObject({
      roles: ['kube-admin'],
      contact: { entityRef: 'user:default/ghost', missing: true },
      from: { entityRef: 'resource:default/n3', inherited: false },
    });
    // a hotline that no vendor group has is listed on its own
    const vendor = tree.levels.find(l => l.level === 'vendor')!;
    expect(vendor.contacts.at(-1)).toEqual({
      roles: ['vendor'],
      contact: { kind: 'hotline', name: 'Vendor hotline', phone: '+1800009' },
      from: {
        entityRef: 'resource:default/c2',
        via: 'annotation',
        detail: 'incident-ops.acme.com/vendor-hotline',
        inherited: true,
      },
    });
    expect(tree.domain).toEqual({
      entityRef: 'domain:default/d2',
      from: 'resource:default/c2',
    });
  });

  it('has only the platform-wide contacts and the owner for an entity outside any cluster', async () => {
    const tree = await resolver().contacts.contactTree(
      'resource:default/orphan',
      credentials,
    );
    expect(tree.chain).toHaveLength(1);
    expect(tree.gaps).toEqual([
      'support-engineer',
      'kube-admin',
      'evangelist',
      'team-lead',
      'area-lead',
      'vendor-liaison',
    ]);
    expect(tree.channels).toEqual({});
  });

  it('rejects a malformed ref and an unknown entity', async () => {
    const { contacts } = resolver();
    await expect(
      contacts.contactTree('resource:default/', credentials),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      contacts.contactTree('resource:default/nope', credentials),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('ContactResolver.recipientsFor', () => {
  it('gives each contact holding the roles once, with its roles and members', async () => {
    const recipients = await resolver().contacts.recipientsFor(
      'component:default/s1',
      ['team-lead', 'area-lead', 'vendor-manager', 'l1', 'support-engineer'],
      credentials,
    );
    expect(
      recipients.map(r => [r.entityRef, r.roles, r.members?.length]),
    ).toEqual([
      ['group:default/l1', ['support-engineer', 'l1'], 2],
      ['user:default/sam', ['support-engineer'], undefined],
      ['user:default/olga', ['team-lead'], undefined],
      ['group:default/area-leads-d1', ['area-lead'], 1],
      ['group:default/vendor-managers', ['vendor-manager'], 1],
    ]);
    expect(recipients[3].members?.[0].phone).toBe('+1415003');
  });

  it('leaves out contacts that are not in the catalog', async () => {
    const recipients = await resolver().contacts.recipientsFor(
      'resource:default/n3',
      ['kube-admin', 'vendor-liaison', 'vendor'],
      credentials,
    );
    expect(recipients.map(r => r.entityRef ?? r.phone)).toEqual([
      'group:default/vendor-one',
      'group:default/vendor-two',
      '+1800009',
    ]);
  });
});

describe('ContactResolver.ownershipMatrix', () => {
  it('lists clusters with their namespaces, inherited cells and gaps', async () => {
    const m = await resolver().contacts.ownershipMatrix(credentials);
    expect(m.rows.map(r => [r.entityRef, r.type, r.cluster, r.domain])).toEqual(
      [
        ['resource:default/c1', 'cluster', undefined, 'd1'],
        ['resource:default/n1', 'namespace', 'resource:default/c1', 'd1'],
        ['resource:default/n2', 'namespace', 'resource:default/c1', 'd1'],
        ['resource:default/c2', 'cluster', undefined, 'd2'],
        ['resource:default/n3', 'namespace', 'resource:default/c2', 'd2'],
        ['resource:default/orphan', 'namespace', undefined, undefined],
      ],
    );
    expect(cell(m, 'resource:default/n1', 'team-lead')).toEqual({
      role: 'team-lead',
      holders: ['user:default/olga'],
      from: 'resource:default/n1',
      inherited: false,
      gap: false,
    });
    expect(cell(m, 'resource:default/n1', 'support-engineer')).toEqual({
      role: 'support-engineer',
      holders: ['group:default/l1', 'user:default/sam'],
      from: 'resource:default/c1',
      inherited: true,
      gap: false,
    });
    expect(cell(m, 'resource:default/c2', 'vendor-liaison')).toEqual({
      role: 'vendor-liaison',
      holders: [],
      inherited: false,
      gap: true,
    });
    // named, but not in the catalog: still a gap, and the name is shown
    expect(cell(m, 'resource:default/n3', 'kube-admin')).toMatchObject({
      holders: ['user:default/ghost'],
      gap: true,
    });
    expect(m.people.find(p => p.entityRef === 'user:default/ghost')).toEqual({
      entityRef: 'user:default/ghost',
      kind: 'user',
      name: 'user:default/ghost',
      missing: true,
    });
    expect(m.gaps).toEqual({
      // c2 + n3 vendor liaison, n3 kube-admin, orphan all five
      total: 8,
      byRole: [
        { role: 'support-engineer', count: 1 },
        { role: 'evangelist', count: 1 },
        { role: 'team-lead', count: 1 },
        { role: 'kube-admin', count: 2 },
        { role: 'vendor-liaison', count: 3 },
      ],
    });
    expect(m.domains).toEqual([
      { name: 'd1', title: 'Domain One' },
      { name: 'd2' },
    ]);
  });

  it('asks the catalog once for all clusters and namespaces, whatever their number, and once for the people', async () => {
    const { catalog, contacts } = resolver();
    const query = jest.spyOn(catalog, 'queryEntities');
    const byRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
    const byRef = jest.spyOn(catalog, 'getEntityByRef');
    await contacts.ownershipMatrix(credentials);
    expect(query).toHaveBeenCalledTimes(1);
    expect(byRefs).toHaveBeenCalledTimes(1);
    expect(byRef).not.toHaveBeenCalled();
  });
});

describe('the shipped Tanzu Atlas catalog', () => {
  const shipped = resolver(shippedCatalog()).contacts;

  it('has one planted gap: no vendor liaison on rtg and its namespaces', async () => {
    const m = await shipped.ownershipMatrix(credentials);
    expect(m.rows).toHaveLength(13);
    const gaps = m.rows.flatMap(r =>
      r.cells.filter(c => c.gap).map(c => `${r.name}:${c.role}`),
    );
    expect(gaps).toEqual([
      'rtg:vendor-liaison',
      'livelink-dev:vendor-liaison',
      'monitoring:vendor-liaison',
      'snowflake-connect:vendor-liaison',
    ]);
    expect(m.people.filter(p => p.missing)).toEqual([]);
  });

  it('resolves livelink-api through livelink-prod and abrc1l to every level', async () => {
    const tree = await shipped.contactTree(
      'component:default/livelink-api',
      credentials,
    );
    expect(tree.gaps).toEqual([]);
    const names = Object.fromEntries(
      tree.levels.map(l => [l.level, l.contacts.map(c => c.contact.name)]),
    );
    expect(names['team-lead']).toEqual(['Olivia Grant']);
    expect(names.management).toEqual([
      'Area Leads - Digital Channels',
      'Vendor Managers',
      'IT Leadership',
    ]);
    expect(names.vendor).toEqual([
      'Carlos Rivera',
      'VMware Tanzu Support',
      'AWS Enterprise Support',
    ]);
    expect(tree.channels.slack).toEqual({
      value: '#livelink-prod-incidents',
      from: 'resource:default/livelink-prod',
      inherited: true,
    });
  });

  it('shows the rtg gap in the contact tree of its namespaces', async () => {
    const tree = await shipped.contactTree(
      'resource:default/monitoring',
      credentials,
    );
    expect(tree.gaps).toEqual(['vendor-liaison']);
  });
});
