import request from 'supertest';
import { startIncidentOpsBackend } from '../__testUtils__/testBackend';
import { fixtureCatalog } from '../contacts/__fixtures__/catalog';

async function startBackend(options?: { deny?: true }) {
  const { server } = await startIncidentOpsBackend({
    entities: fixtureCatalog,
    config: {},
    deny: options?.deny,
  });
  return server;
}

describe('GET /contacts', () => {
  it("gives a service's contact tree, inherited from its namespace and cluster", async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/incident-ops/contacts?entityRef=component:default/s1',
    );
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/s1');
    expect(res.body.levels.map((l: any) => l.level)).toEqual([
      'l1',
      'l2',
      'l3',
      'team-lead',
      'management',
      'vendor',
    ]);
    const teamLead = res.body.levels.find((l: any) => l.level === 'team-lead');
    expect(teamLead.contacts).toEqual([
      {
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
          inherited: true,
        },
      },
    ]);
    expect(res.body.gaps).toEqual([]);
  });

  it('names the gaps of a namespace', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/incident-ops/contacts?entityRef=resource:default/n3',
    );
    expect(res.status).toBe(200);
    expect(res.body.gaps).toEqual([
      'kube-admin',
      'area-lead',
      'vendor-liaison',
    ]);
  });

  it('answers 404 for an entity that is not in the catalog', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/incident-ops/contacts?entityRef=resource:default/nowhere',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('answers 400 for a malformed or missing ref', async () => {
    const server = await startBackend();
    const bad = await request(server).get(
      '/api/incident-ops/contacts?entityRef=resource:default/',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Invalid entity ref/);
    const missing = await request(server).get('/api/incident-ops/contacts');
    expect(missing.status).toBe(400);
  });

  it('answers 403 without the read permission', async () => {
    const server = await startBackend({ deny: true });
    const res = await request(server).get(
      '/api/incident-ops/contacts?entityRef=component:default/s1',
    );
    expect(res.status).toBe(403);
  });
});

describe('GET /ownership-matrix', () => {
  it('gives every cluster and namespace with its five roles and counts the gaps', async () => {
    const server = await startBackend();
    const res = await request(server).get('/api/incident-ops/ownership-matrix');
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual([
      'support-engineer',
      'evangelist',
      'team-lead',
      'kube-admin',
      'vendor-liaison',
    ]);
    expect(res.body.rows.map((r: any) => r.name)).toEqual([
      'c1',
      'n1',
      'n2',
      'c2',
      'n3',
      'orphan',
    ]);
    const n2 = res.body.rows.find((r: any) => r.name === 'n2');
    expect(n2.cells.map((c: any) => [c.role, c.inherited, c.gap])).toEqual([
      ['support-engineer', true, false],
      ['evangelist', true, false],
      ['team-lead', true, false],
      ['kube-admin', true, false],
      ['vendor-liaison', true, false],
    ]);
    expect(res.body.gaps.total).toBe(8);
    expect(
      res.body.people.find((p: any) => p.entityRef === 'user:default/val'),
    ).toEqual({
      entityRef: 'user:default/val',
      kind: 'user',
      name: 'VAL',
      email: 'val@acme.com',
    });
  });

  it('answers 403 without the read permission', async () => {
    const server = await startBackend({ deny: true });
    const res = await request(server).get('/api/incident-ops/ownership-matrix');
    expect(res.status).toBe(403);
  });
});
