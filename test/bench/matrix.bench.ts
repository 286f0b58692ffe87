// Benchmark for the role accountability matrix: 5,000 namespaces on 50 clusters in an
// in-memory catalog (the catalog service mock), built by ContactResolver.ownershipMatrix.
// Prints the time per build, how much of it the catalog calls took, and how many calls
// there were; asserts nothing.
import os from 'os';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { ContactResolver } from '@acme/plugin-incident-ops-backend/src/contacts';
import { withRelations } from '@acme/plugin-incident-ops-backend/src/contacts/__fixtures__/catalog';

const NAMESPACES = Number(process.env.BENCH_NAMESPACES ?? 5_000);
const CLUSTERS = 50;
const USERS = 400;
const P = 'incident-ops.acme.com';

function catalog(): Entity[] {
  const user = (n: number) => `user:default/user-${n % USERS}`;
  const entities: Entity[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: `cluster-${c}`,
        annotations: {
          [`${P}/domain`]: c % 2 ? 'digital-channels' : 'data-and-ai',
          [`${P}/support-engineer`]: 'group:default/atlas-l1-support',
          [`${P}/evangelist`]: user(c),
          [`${P}/team-lead`]: user(c + 1),
          [`${P}/kube-admin`]: `${user(c + 2)},${user(c + 3)}`,
          // every tenth cluster has no vendor liaison
          ...(c % 10 ? { [`${P}/vendor-liaison`]: user(c + 4) } : {}),
        },
      },
      spec: { type: 'kubernetes-cluster', owner: 'group:default/kube-admins' },
    });
  }
  for (let n = 0; n < NAMESPACES; n++) {
    // a third override a role or two; the rest inherit everything
    const own: Record<string, string> = {};
    if (n % 3 === 0) own[`${P}/team-lead`] = user(n);
    if (n % 7 === 0) own[`${P}/evangelist`] = `${user(n + 5)},${user(n + 6)}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: `ns-${n}`, annotations: own },
      spec: {
        type: 'kubernetes-namespace',
        owner: 'group:default/atlas-l2-platform',
        dependsOn: [`resource:default/cluster-${n % CLUSTERS}`],
      },
    });
  }
  for (let u = 0; u < USERS; u++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: `user-${u}` },
      spec: {
        profile: { displayName: `User ${u}`, email: `user-${u}@acme.com` },
        memberOf: [],
      },
    });
  }
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'atlas-l1-support' },
    spec: { type: 'team', children: [] },
  });
  return withRelations(entities);
}

async function main() {
  console.log(
    `Ownership matrix benchmark: ${NAMESPACES} namespaces on ${CLUSTERS} clusters, ${USERS} users (in-memory catalog mock); ${
      os.cpus().length
    } x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  );
  const service = catalogServiceMock({ entities: catalog() });
  // count and time the catalog calls, to tell the mock's cost from the resolver's own
  let calls = 0;
  let catalogMs = 0;
  for (const method of ['queryEntities', 'getEntitiesByRefs'] as const) {
    const original = service[method].bind(service) as (...a: any[]) => any;
    (service as any)[method] = async (...args: any[]) => {
      calls += 1;
      const t = performance.now();
      try {
        return await original(...args);
      } finally {
        catalogMs += performance.now() - t;
      }
    };
  }
  const resolver = new ContactResolver({ catalog: service });
  const credentials = mockCredentials.service();

  const runs: Array<{ total: number; catalog: number; calls: number }> = [];
  let last;
  for (let i = 0; i < 6; i++) {
    calls = 0;
    catalogMs = 0;
    const t = performance.now();
    last = await resolver.ownershipMatrix(credentials);
    runs.push({ total: performance.now() - t, catalog: catalogMs, calls });
  }
  const measured = runs.slice(1).sort((a, b) => a.total - b.total); // first run warms up
  const median = measured[Math.floor(measured.length / 2)];
  console.log(
    `matrix: ${last!.rows.length} rows, ${last!.gaps.total} gaps, ${
      last!.people.length
    } people | median of ${measured.length}: ${median.total.toFixed(
      0,
    )} ms (catalog mock ${median.catalog.toFixed(0)} ms in ${
      median.calls
    } calls, resolver ${(median.total - median.catalog).toFixed(
      0,
    )} ms), max ${measured[measured.length - 1].total.toFixed(0)} ms | JSON ${(
      JSON.stringify(last).length / 1e6
    ).toFixed(1)} MB`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
