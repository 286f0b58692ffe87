import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  AuthService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import permissionBackend from '@backstage/plugin-permission-backend';
import type { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createIncidentOpsIncidentConditionalDecision,
  incidentOpsIncidentConditions,
} from '@acme/plugin-incident-ops-node';
import request from 'supertest';
import {
  asSent,
  startIncidentOpsBackend,
  tiers,
} from '../__testUtils__/testBackend';
import { makeIncident } from '../__fixtures__/incidents';
import type { IncidentProviderConnection } from '@acme/plugin-incident-ops-node';

const incident = (o: Parameters<typeof makeIncident>[0]) =>
  makeIncident({
    priority: 'P3',
    status: 'work-in-progress',
    sourceState: '2',
    openedAt: new Date().toISOString(),
    sourceUpdatedAt: new Date().toISOString(),
    ...o,
  });

jest.setTimeout(120_000);

const group = (name: string, tier: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    annotations: { 'incident-ops.acme.com/support-tier': tier },
  },
  spec: { type: 'team', children: [] },
});

const cluster: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'abrc1l',
    annotations: {
      'incident-ops.acme.com/servicenow-cmdb-ci': 'abrc1l',
      'incident-ops.acme.com/team-lead': 'user:default/tina.lead',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/atlas-l2' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/atlas-l2' },
    { type: 'dependencyOf', targetRef: 'resource:default/livelink-prod' },
  ],
};

const namespace: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'livelink-prod' },
  spec: {
    type: 'kubernetes-namespace',
    owner: 'group:default/atlas-l2',
    dependsOn: ['resource:default/abrc1l'],
  },
  relations: [{ type: 'dependsOn', targetRef: 'resource:default/abrc1l' }],
};

const entities = [
  group('atlas-l1', 'L1'),
  group('atlas-l2', 'L2'),
  group('atlas-l3', 'L3'),
  cluster,
  namespace,
];

/** Who is in which group: the policy below reads claims from here. */
const MEMBERS: Record<string, string[]> = {
  'user:default/lena.l1': ['group:default/atlas-l1'],
  'user:default/leo.l2': ['group:default/atlas-l2'],
  'user:default/tina.lead': [],
  'user:default/dev': [],
};
const as = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

/**
 * The mock auth service, except that a plugin calling on a user's behalf says so (the token
 * names the plugin as the actor), as the real one does: the permission backend accepts
 * conditional requests only from plugins.
 */
const onBehalfOfAuth = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, o) => auth.authenticate(token, o),
      isPrincipal: auth.isPrincipal.bind(auth) as AuthService['isPrincipal'],
      getNoneCredentials: () => auth.getNoneCredentials(),
      getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
      getLimitedUserToken: c => auth.getLimitedUserToken(c),
      listPublicServiceKeys: () => auth.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const { principal } = options.onBehalfOf;
        if (!auth.isPrincipal(options.onBehalfOf, 'user')) {
          return auth.getPluginRequestToken(options);
        }
        return {
          token: mockCredentials.user.token(
            (principal as { userEntityRef: string }).userEntityRef,
            { actor: { subject: `plugin:${plugin.getId()}` } },
          ),
        };
      },
    };
  },
});

/**
 * A policy as a platform team would write it with the exported conditions: the tier's group
 * and the tiers above work a ticket; everybody reads only what their tier or matrix roles
 * cover (to see the list filters at work); everything else is allowed.
 */
const policy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy: ext }) {
        ext.setPolicy({
          async handle(req, user) {
            const claims = [
              ...(MEMBERS[user?.info.userEntityRef ?? ''] ?? []),
              ...(user ? [user.info.userEntityRef] : []),
            ];
            const { isTierGroupMember, hasAccountableRole } =
              incidentOpsIncidentConditions;
            if (isResourcePermission(req.permission, 'incident-ops-incident')) {
              return createIncidentOpsIncidentConditionalDecision(
                req.permission,
                {
                  anyOf: [
                    isTierGroupMember({ claims, includeHigherTiers: true }),
                    hasAccountableRole({ claims }),
                  ],
                },
              );
            }
            return { result: AuthorizeResult.ALLOW };
          },
        });
      },
    });
  },
});

/**
 * INC1 at L1, INC2 at L2 (both elsewhere), INC3 at L3 on the abrc1l cluster, INC4 at L3 on
 * its namespace livelink-prod (named in its text), INC5 at L3 nowhere in the catalog.
 */
const seed = (connection: IncidentProviderConnection) =>
  connection.applyIncidents(
    asSent([
      incident({
        id: 'a',
        number: 'INC1',
        assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
        configurationItem: { id: 'ci-x', name: 'elsewhere' },
      }),
      incident({
        id: 'b',
        number: 'INC2',
        assignmentGroup: { id: 'g2', name: 'Atlas-L2-Platform' },
        configurationItem: { id: 'ci-x', name: 'elsewhere' },
      }),
      incident({
        id: 'c',
        number: 'INC3',
        assignmentGroup: { id: 'g3', name: 'Atlas-L3-Evangelists' },
        configurationItem: { id: 'ci-a', name: 'abrc1l' },
      }),
      // no CI: it sits on the namespace its text names
      incident({
        id: 'd',
        number: 'INC4',
        shortDescription: 'NFS mounts time out in livelink-prod',
        assignmentGroup: { id: 'g3', name: 'Atlas-L3-Evangelists' },
        configurationItem: undefined,
      }),
      // names livelink-prod2, not livelink-prod
      incident({
        id: 'e',
        number: 'INC5',
        shortDescription: 'NFS mounts time out in livelink-prod2',
        assignmentGroup: { id: 'g3', name: 'Atlas-L3-Evangelists' },
        configurationItem: undefined,
      }),
    ]),
  );

describe('incident permissions through the permission framework', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function start(databaseId: TestDatabaseId, config = {}) {
    const knex = await databases.init(databaseId);
    const writeBack = jest.fn(async () => ({ outcome: 'written' as const }));
    const backend = await startIncidentOpsBackend({
      knex,
      entities,
      config: {
        permission: { enabled: true },
        incidentOps: { tiers, ...config },
      },
      provider: { writeBack },
      outboxOnDemand: true,
      features: [
        onBehalfOfAuth,
        permissionsServiceFactory,
        permissionBackend,
        policy,
      ],
    });
    await seed(backend.connection);
    return { ...backend, knex, writeBack };
  }

  it.each(databases.eachSupportedId())(
    'lets the tier and the tiers above work a ticket, and refuses the rest with nothing changed, %p',
    async databaseId => {
      const { server, unvalidated, knex, writeBack } = await start(databaseId);
      const escalate = (number: string, who: string) =>
        request(server)
          .post(`/api/incident-ops/incidents/${number}/escalations`)
          .set('Authorization', as(who))
          .send({ trigger: 'complexity', note: 'needs L2' });

      // no token: 401
      const anonymous = await request(unvalidated)
        .post('/api/incident-ops/incidents/INC1/escalations')
        .set('Authorization', mockCredentials.none.header())
        .send({ trigger: 'complexity', note: 'x' });
      expect(anonymous.status).toBe(401);

      // L1 works its own tier only
      const wrongTier = await escalate('INC2', 'lena.l1');
      expect(wrongTier.status).toBe(403);
      // nobody in a tier group, no role: refused
      expect((await escalate('INC1', 'dev')).status).toBe(403);
      // refused before the incident is looked up: an unknown one is a 403 too
      expect((await escalate('INC404', 'lena.l1')).status).toBe(403);
      expect(await knex('incident_escalations')).toHaveLength(0);
      expect(writeBack).not.toHaveBeenCalled();

      // the tier's group, and a tier above it
      expect((await escalate('INC1', 'lena.l1')).status).toBe(201);
      expect((await escalate('INC2', 'leo.l2')).status).toBe(201);
      // a matrix role on the incident's cluster (team lead of abrc1l), whatever the tier
      const lead = await request(server)
        .post('/api/incident-ops/incidents/INC3/transitions')
        .set('Authorization', as('tina.lead'))
        .send({ to: 'awaiting-customer', note: 'asked the owner' });
      expect(lead.status).toBe(201);
    },
  );

  /** Every write route: per-incident ones on INC1 (an L1 ticket), the rest too. */
  const writes: Array<{
    method: 'post' | 'patch';
    path: string;
    body: object;
    /** The permission a user lacks in the "denied" backend. */
    permission: string;
    perIncident: boolean;
  }> = [
    {
      method: 'post',
      path: '/incidents/INC1/transitions',
      body: { to: 'awaiting-customer', note: 'asked' },
      permission: 'incident-ops.incident.transition',
      perIncident: true,
    },
    {
      method: 'post',
      path: '/incidents/INC1/escalations',
      body: { trigger: 'complexity', note: 'x' },
      permission: 'incident-ops.incident.escalate',
      perIncident: true,
    },
    {
      method: 'post',
      path: '/incidents/INC1/playbook',
      body: {},
      permission: 'incident-ops.playbook.run',
      perIncident: true,
    },
    {
      method: 'post',
      path: '/incidents/INC1/playbook/steps/check',
      body: { status: 'done' },
      permission: 'incident-ops.playbook.run',
      perIncident: true,
    },
    {
      method: 'post',
      path: '/incidents/INC1/kb-feedback',
      body: { articleId: 'egress-nfs-mounts', helpful: true },
      permission: 'incident-ops.kb.feedback',
      perIncident: true,
    },
    {
      method: 'post',
      path: '/incidents/INC1/updates',
      body: { message: 'We are on it' },
      permission: 'incident-ops.incident.communicate',
      perIncident: true,
    },
    {
      method: 'post',
      path: '/incidents/INC1/vendor-engagements',
      body: { vendor: 'tanzu', caseId: 'SR-1' },
      permission: 'incident-ops.vendor-engagement.manage',
      perIncident: true,
    },
    {
      method: 'patch',
      path: '/incidents/INC1/vendor-engagements/1',
      body: {},
      permission: 'incident-ops.vendor-engagement.manage',
      perIncident: true,
    },
    {
      method: 'post',
      path: '/incidents/INC1/survey',
      body: { rating: 3 },
      permission: 'incident-ops.survey.record',
      perIncident: true,
    },
    {
      method: 'post',
      path: '/sync',
      body: {},
      permission: 'incident-ops.sync.run',
      perIncident: false,
    },
    {
      method: 'post',
      path: '/sync/outbox/1/requeue',
      body: {},
      permission: 'incident-ops.sync.admin',
      perIncident: false,
    },
    {
      method: 'post',
      path: '/notifications/outbox/1/discard',
      body: {},
      permission: 'incident-ops.sync.admin',
      perIncident: false,
    },
    {
      method: 'post',
      path: '/lessons',
      body: { title: 'Lesson', summary: 'x' },
      permission: 'incident-ops.lessons.write',
      perIncident: false,
    },
    {
      method: 'post',
      path: '/incidents',
      body: {
        clientKey: '00000000-0000-4000-8000-000000000001',
        shortDescription: 'NFS mounts time out on livelink-prod',
        impact: '2',
        urgency: '2',
        entityRef: 'resource:default/abrc1l',
      },
      permission: 'incident-ops.incident.create',
      perIncident: false,
    },
  ];
  const TABLES = [
    'incident_events',
    'incident_escalations',
    'incident_outbox',
    'incident_notifications',
    'incident_updates',
    'incident_surveys',
    'incident_reports',
    'vendor_engagements',
    'playbook_runs',
    'kb_feedback',
    'lessons_learned',
  ];

  it.each(databases.eachSupportedId())(
    'every write route: 401 without a token, 403 for the wrong tier, nothing changed or sent, %p',
    async databaseId => {
      const { unvalidated, knex, writeBack } = await start(databaseId);
      const counts = async () =>
        Object.fromEntries(
          await Promise.all(
            TABLES.map(async t => [t, (await knex(t)).length] as const),
          ),
        );
      const before = await counts();
      for (const w of writes) {
        const anonymous = await request(unvalidated)
          [w.method](`/api/incident-ops${w.path}`)
          .set('Authorization', mockCredentials.none.header())
          .send(w.body);
        expect({ path: w.path, status: anonymous.status }).toEqual({
          path: w.path,
          status: 401,
        });
      }
      // INC1 is L1's: somebody in no tier group, with no role, may not work it; nor can an
      // L1 engineer work INC2, an L2 ticket
      for (const w of writes.filter(x => x.perIncident)) {
        const refused = await request(unvalidated)
          [w.method](`/api/incident-ops${w.path}`)
          .set('Authorization', as('dev'))
          .send(w.body);
        const wrongTier = await request(unvalidated)
          [w.method](`/api/incident-ops${w.path.replace('INC1', 'INC2')}`)
          .set('Authorization', as('lena.l1'))
          .send(w.body);
        expect([w.path, refused.status, wrongTier.status]).toEqual([
          w.path,
          403,
          403,
        ]);
      }
      expect(await counts()).toEqual(before);
      expect(writeBack).not.toHaveBeenCalled();
    },
  );

  it.each(databases.eachSupportedId())(
    'every write route: 403 without the permission, nothing changed; the right user gets past it, %p',
    async databaseId => {
      // one backend whose policy denies every write permission (reads are allowed)
      const knex = await databases.init(databaseId);
      const denied = await startIncidentOpsBackend({
        knex,
        entities,
        config: { incidentOps: { tiers } },
        deny: [...new Set(writes.map(w => w.permission))],
      });
      await seed(denied.connection);
      const counts = async () =>
        Promise.all(TABLES.map(async t => (await knex(t)).length));
      const before = await counts();
      for (const w of writes) {
        const refused = await request(denied.unvalidated)
          [w.method](`/api/incident-ops${w.path}`)
          .send(w.body);
        expect({ path: w.path, status: refused.status }).toEqual({
          path: w.path,
          status: 403,
        });
      }
      expect(await counts()).toEqual(before);
      // the right user: L1's group works INC1 (the other routes' own tests cover success)
      const { unvalidated } = await start(databaseId);
      // (the escalation last: it moves INC1 to L2, out of L1's hands)
      const mine = writes.filter(x => x.perIncident);
      for (const w of [
        ...mine.filter(x => !x.path.endsWith('escalations')),
        ...mine.filter(x => x.path.endsWith('escalations')),
      ]) {
        const res = await request(unvalidated)
          [w.method](`/api/incident-ops${w.path}`)
          .set('Authorization', as('lena.l1'))
          .send(w.body);
        expect({ path: w.path, status: res.status }).not.toEqual({
          path: w.path,
          status: 403,
        });
      }
      const transition = await request(unvalidated)
        .post('/api/incident-ops/incidents/INC1/transitions')
        .set('Authorization', as('leo.l2'))
        .send({ to: 'work-in-progress' });
      expect(transition.status).not.toBe(403);
    },
  );

  it.each(databases.eachSupportedId())(
    'filters the queue and the entity list by the read conditions, %p',
    async databaseId => {
      const { server, unvalidated } = await start(databaseId);
      const queue = async (who: string) => {
        const res = await request(unvalidated)
          .get('/api/incident-ops/queue?sort=priority')
          .set('Authorization', as(who));
        expect(res.body).toHaveProperty('items');
        return res.body.items.map((i: { number: string }) => i.number).sort();
      };
      expect(await queue('lena.l1')).toEqual(['INC1']);
      expect(await queue('leo.l2')).toEqual(['INC1', 'INC2']);
      // the team lead of abrc1l: its incidents and its namespace's, by CI or by mention
      expect(await queue('tina.lead')).toEqual(['INC3', 'INC4']);
      expect(await queue('dev')).toEqual([]);

      const card = async (who: string) =>
        (
          await request(server)
            .get('/api/incident-ops/incidents')
            .query({ entityRef: 'resource:default/abrc1l' })
            .set('Authorization', as(who))
        ).body.items.map((i: { number: string }) => i.number);
      expect((await card('tina.lead')).sort()).toEqual(['INC3', 'INC4']);
      expect(await card('lena.l1')).toEqual([]);

      // one incident: the same rule
      const one = (n: string, who: string) =>
        request(server)
          .get(`/api/incident-ops/incidents/${n}`)
          .set('Authorization', as(who));
      expect((await one('INC3', 'tina.lead')).status).toBe(200);
      expect((await one('INC3', 'lena.l1')).status).toBe(403);
    },
  );

  it.each(databases.eachSupportedId())(
    'answers 400 for an entity ref that does not parse, %p',
    async databaseId => {
      const { server } = await start(databaseId);
      for (const path of [
        '/api/incident-ops/incidents?entityRef=resource:',
        '/api/incident-ops/queue?entityRef=resource:',
        '/api/incident-ops/contacts?entityRef=resource:',
      ]) {
        const res = await request(server)
          .get(path)
          .set('Authorization', as('leo.l2'));
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses writes to a service principal without an explicit grant, %p',
    async databaseId => {
      const service = mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:scaffolder'),
        targetPluginId: 'incident-ops',
      });
      const escalate = (server: Parameters<typeof request>[0]) =>
        request(server)
          .post('/api/incident-ops/incidents/INC1/escalations')
          .set('Authorization', service)
          .send({ trigger: 'complexity', note: 'from a template' });

      const denied = await start(databaseId);
      const refused = await escalate(denied.server);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('no grant');
      expect(await denied.knex('incident_escalations')).toHaveLength(0);
      // reads are allowed
      const read = await request(denied.server)
        .get('/api/incident-ops/incidents/INC1')
        .set('Authorization', service);
      expect(read.status).toBe(200);

      const granted = await start(databaseId, {
        permissions: {
          serviceGrants: [
            {
              subject: 'plugin:scaffolder',
              permissions: ['incident-ops.incident.escalate'],
            },
          ],
        },
      });
      expect((await escalate(granted.server)).status).toBe(201);
    },
  );
});
