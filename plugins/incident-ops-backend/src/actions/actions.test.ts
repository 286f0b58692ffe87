import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import type { Entity } from '@backstage/catalog-model';
import type { NewIncident } from '@acme/plugin-incident-ops-node';
import { makeIncident } from '../__fixtures__/incidents';
import {
  asSent,
  startIncidentOpsBackend,
  tiers,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const CI = 'incident-ops.acme.com/servicenow-cmdb-ci';
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'abrc1l', annotations: { [CI]: 'abrc1l' } },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/kube-admins' },
    relations: [
      { type: 'dependencyOf', targetRef: 'resource:default/livelink-prod' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'livelink-prod',
      annotations: { [CI]: 'abrc1l:livelink-prod' },
    },
    spec: { type: 'kubernetes-namespace', owner: 'group:default/livelink' },
    relations: [
      { type: 'dependsOn', targetRef: 'resource:default/abrc1l' },
      { type: 'ownedBy', targetRef: 'group:default/livelink' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'livelink', title: 'Livelink team' },
    spec: { type: 'team', children: [] },
  },
];

const incidents = [
  makeIncident({
    id: '1'.repeat(32),
    number: 'INC13080001',
    priority: 'P2',
    shortDescription: 'Pods on livelink-prod cannot reach nas-prd-03 NFS',
    configurationItem: { id: 'ci2', name: 'abrc1l:livelink-prod' },
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
  }),
  makeIncident({
    id: '2'.repeat(32),
    number: 'INC13080002',
    priority: 'P4',
    status: 'closed',
    sourceState: '7',
    configurationItem: { id: 'ci1', name: 'abrc1l' },
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
  }),
  makeIncident({
    id: '3'.repeat(32),
    number: 'INC13080003',
    configurationItem: { id: 'ci9', name: 'mecc' },
  }),
];

const KEY = '6c1f0c1e-2b7a-4d3e-9f5a-0a1b2c3d4e5f';
const user = mockCredentials.user();

describe('incident-ops actions', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function start(
    databaseId: Parameters<typeof databases.init>[0],
    options: { deny?: string[] } = {},
  ) {
    const registry = actionsRegistryServiceMock();
    const auditor = mockServices.auditor.mock();
    const createIncident = jest.fn(async (_: NewIncident) => ({
      id: 'f'.repeat(32),
      number: 'INC0010900',
    }));
    const { connection } = await startIncidentOpsBackend({
      knex: await databases.init(databaseId),
      entities,
      deny: options.deny,
      provider: { createIncident: createIncident as any },
      config: { incidentOps: { tiers } },
      outboxOnDemand: true,
      features: [
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
        auditor.factory,
      ],
    });
    await connection.applyIncidents(asSent(incidents));
    const invoke = (
      name: string,
      input: object,
      credentials: Parameters<typeof registry.invoke>[0]['credentials'] = user,
    ) =>
      registry
        .invoke({ id: `test:${name}`, input: input as any, credentials })
        .then(r => r.output as any);
    return { registry, auditor, invoke };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('registers the five actions with their schemas', async () => {
      const { registry } = await start(databaseId);
      const { actions } = await registry.list();
      expect(actions.map(a => [a.name, a.attributes.readOnly])).toEqual([
        ['list-entity-incidents', true],
        ['explain-incident', true],
        ['suggest-knowledge', true],
        ['report-incident', false],
        ['escalate-incident', false],
      ]);
      const escalate = actions.find(a => a.name === 'escalate-incident')!;
      expect(escalate.schema.input).toMatchObject({
        required: ['number', 'trigger', 'note'],
      });
    });

    it('lists the incidents on a cluster, open by default or all', async () => {
      const { invoke } = await start(databaseId);
      const open = await invoke('list-entity-incidents', {
        entityRef: 'resource:default/abrc1l',
      });
      expect(open.items.map((i: any) => i.number)).toEqual(['INC13080001']);
      expect(open.items[0].attachedTo).toMatchObject({
        entityRef: 'resource:default/livelink-prod',
        by: 'cmdb-ci',
      });
      expect(open.totalOpen).toBe(1);
      expect(open.entities.map((e: any) => e.entityRef)).toEqual([
        'resource:default/abrc1l',
        'resource:default/livelink-prod',
      ]);
      const all = await invoke('list-entity-incidents', {
        entityRef: 'resource:default/abrc1l',
        status: 'all',
      });
      expect(all.items.map((i: any) => i.number).sort()).toEqual([
        'INC13080001',
        'INC13080002',
      ]);
      await expect(
        invoke('list-entity-incidents', { entityRef: 'x', limit: 0 }),
      ).rejects.toMatchObject({ name: 'InputError' });
    });

    it('refuses reads to a caller without the read permission', async () => {
      const { invoke } = await start(databaseId, {
        deny: ['incident-ops.incident.read'],
      });
      await expect(
        invoke('list-entity-incidents', {
          entityRef: 'resource:default/abrc1l',
        }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      await expect(
        invoke('explain-incident', { number: 'INC13080001' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: 'Not allowed to read INC13080001',
      });
      await expect(
        invoke('suggest-knowledge', { text: 'egress to NFS' }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });

    it('escalates with a trigger and a note, audited, and explains why it moved', async () => {
      const { invoke, auditor } = await start(databaseId);
      const { decision } = await invoke('escalate-incident', {
        number: 'INC13080001',
        trigger: 'kb-exhausted',
        note: 'The NFS egress article did not help',
      });
      expect(decision).toMatchObject({
        rule: 'manual-kb-exhausted',
        from: 'L1',
        to: 'L2',
        explanation:
          'user:default/mock escalated it (kb-exhausted): The NFS egress article did not help',
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'incident-escalation',
          meta: expect.objectContaining({
            number: 'INC13080001',
            actor: 'user:default/mock',
            via: 'action',
          }),
        }),
      );

      const explained = await invoke('explain-incident', {
        number: 'INC13080001',
      });
      expect(explained.incident).toMatchObject({
        number: 'INC13080001',
        tier: 'L2',
      });
      expect(explained.escalations).toEqual([
        expect.objectContaining({
          action: 'escalate',
          from: 'L1',
          to: 'L2',
          explanation: decision.explanation,
        }),
      ]);
      expect(explained.policy).toEqual({
        id: expect.any(String),
        current: true,
      });
      expect(explained.clocks.resolve).toMatchObject({
        limit: expect.any(Number),
        breached: expect.any(Boolean),
      });
      expect(explained.clocks.tier).toMatchObject({ tier: 'L2' });
      expect(explained.entityRef).toBe('resource:default/livelink-prod');
      expect(explained.contacts.entityRef).toBe(
        'resource:default/livelink-prod',
      );
      expect(explained.contacts.gaps).not.toContain('owner');
      expect(JSON.stringify(explained.contacts.levels)).toContain(
        'group:default/livelink',
      );

      await expect(
        invoke('explain-incident', { number: 'INC404' }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('refuses an escalation without the escalate permission, changing nothing', async () => {
      const { invoke, auditor } = await start(databaseId, {
        deny: ['incident-ops.incident.escalate'],
      });
      await expect(
        invoke('escalate-incident', {
          number: 'INC13080001',
          trigger: 'complexity',
          note: 'needs L2',
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: 'Not allowed to escalate INC13080001',
      });
      expect(auditor.createEvent).not.toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'incident-escalation' }),
      );
      const explained = await invoke('explain-incident', {
        number: 'INC13080001',
      });
      expect(explained.incident.tier).toBe('L1');
      expect(explained.escalations).toEqual([]);
    });

    it('suggests knowledge for a text, classifying it unless a type is given', async () => {
      const { invoke } = await start(databaseId);
      const byText = await invoke('suggest-knowledge', {
        text: 'Need egress from livelink-prod to nas-prd-03 NFS (TCP 2049) & "111"',
      });
      expect(byText.ticketType).toBe('egress');
      expect(byText.ticketTypeFrom).toBe('classification');
      expect(byText.items.length).toBeGreaterThan(0);
      expect(byText.items[0]).toMatchObject({
        articleId: expect.any(String),
        rank: 1,
        explanation: expect.any(String),
      });
      const typed = await invoke('suggest-knowledge', {
        text: 'pods pending',
        ticketType: 'node-provisioning',
        limit: 1,
      });
      expect(typed).toMatchObject({
        ticketType: 'node-provisioning',
        ticketTypeFrom: 'input',
      });
      expect(typed.items.length).toBeLessThanOrEqual(1);
    });

    it('reports an incident once per clientKey', async () => {
      const { invoke, auditor } = await start(databaseId);
      const report = {
        clientKey: KEY,
        shortDescription: 'NFS mounts time out on livelink-prod',
        impact: '1',
        urgency: '2',
        entityRef: 'resource:default/livelink-prod',
      };
      const first = await invoke('report-incident', report);
      expect(first).toMatchObject({
        created: true,
        incident: {
          clientKey: KEY,
          status: 'queued',
          priority: 'P2',
          tier: 'L2',
          assignmentGroup: 'Atlas-L2-Platform',
          configurationItem: 'abrc1l:livelink-prod',
          reportedBy: 'user:default/mock',
        },
      });
      const again = await invoke('report-incident', report);
      expect(again.created).toBe(false);
      expect(again.incident.provisionalNumber).toBe(
        first.incident.provisionalNumber,
      );
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'incident-report' }),
      );
      await expect(
        invoke('report-incident', { ...report, clientKey: 'not-a-uuid' }),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        invoke('report-incident', { ...report, shortDescription: 'other' }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    });

    it('refuses a report to a caller without the create permission', async () => {
      const { invoke } = await start(databaseId, {
        deny: ['incident-ops.incident.create'],
      });
      const report = {
        clientKey: KEY,
        shortDescription: 'NFS mounts time out',
        impact: '2',
        urgency: '2',
        entityRef: 'resource:default/livelink-prod',
      };
      await expect(invoke('report-incident', report)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: 'Not allowed to report incidents',
      });
      // a service (an MCP client's static token) needs a grant for a write
      const { invoke: asService } = await start(databaseId);
      await expect(
        asService(
          'report-incident',
          report,
          mockCredentials.service('external:assistant'),
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'Not allowed to report incidents: service external:assistant has no grant for incident-ops.incident.create',
      });
    });
  });
});
