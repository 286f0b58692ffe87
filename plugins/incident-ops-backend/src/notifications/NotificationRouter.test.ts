import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_SERVICENOW_USER,
  DEFAULT_NOTIFICATION_RULES,
  type Incident,
} from '@acme/plugin-incident-ops-common';
import type {
  IncidentNotifier,
  NotificationRecipient,
} from '@acme/plugin-incident-ops-node';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { ClaimedNotification } from '../database/DatabaseNotificationStore';
import type { IncidentStore } from '../database/IncidentStore';
import { makeIncident } from '../__fixtures__/incidents';
import { ContactResolver } from '../contacts';
import { shippedCatalog } from '../contacts/__fixtures__/catalog';
import { DEFAULT_WEBHOOK, SlackNotifier } from './channels/WebhookNotifiers';
import { readVendors } from './config';
import {
  NotificationRouter,
  contactLookup,
  type RecipientLookup,
} from './NotificationRouter';

type EventRow = Extract<ClaimedNotification, { kind: 'event' }>;

const incident = (overrides: Partial<Incident> = {}) =>
  makeIncident({
    id: '7'.repeat(32),
    number: 'INC7001',
    shortDescription: 'LiveLink API returns 503 from livelink-prod',
    priority: 'P1',
    tier: 'L1',
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
    assignedTo: { id: 'u1', name: 'Priya Sharma' },
    caller: { id: 'c1', name: 'Tom Becker' },
    configurationItem: { id: 'ci-ll', name: 'abrc1l:livelink-prod' },
    ...overrides,
  });

const event = (
  ev: EventRow['event'],
  payload: EventRow['payload'],
  key = `notify:test:${ev}`,
): EventRow => ({
  kind: 'event',
  id: 1,
  token: 'claim',
  key,
  event: ev,
  attempts: 1,
  incident: {
    source: 'servicenow',
    sourceId: '7'.repeat(32),
    number: 'INC7001',
  },
  payload,
});

/** A channel that only says whom it would reach. */
const channel = (
  name: string,
  address: (r: NotificationRecipient) => string | undefined,
  batch = true,
): IncidentNotifier => ({ channel: name, batch, address, send: jest.fn() });

const backstage = channel('backstage', r => r.entityRef);

function router(options: {
  entities: Entity[];
  notifiers: IncidentNotifier[];
  incident?: Incident;
  lookup?: RecipientLookup;
  reportersOf?: (number: string) => Promise<string[]>;
}) {
  const catalog = catalogServiceMock({ entities: options.entities });
  const stored = options.incident ?? incident();
  return new NotificationRouter({
    rules: DEFAULT_NOTIFICATION_RULES,
    notifiers: options.notifiers,
    lookup: options.lookup ?? contactLookup(new ContactResolver({ catalog })),
    catalog,
    auth: mockServices.auth(),
    incidents: {
      getIncidentByNumber: async () => stored,
    } as unknown as IncidentStore,
    vendors: readVendors(new ConfigReader({})),
    reportersOf: options.reportersOf,
  });
}

describe('NotificationRouter', () => {
  it('tells P1 stakeholders of a status change through Backstage notifications when Teams and email are not set up', async () => {
    const { deliveries, outcome } = await router({
      entities: shippedCatalog(),
      notifiers: [backstage],
    }).route(
      event('status-change', {
        priority: 'P1',
        fromStatus: 'work-in-progress',
        toStatus: 'awaiting-customer',
        actor: 'servicenow',
      }),
    );
    expect(outcome).toBe(
      'email: not configured; teams: not configured; backstage: 4',
    );
    expect(deliveries).toHaveLength(1);
    // the requestor (caller), and the P1 stakeholders: team lead, evangelist, area lead
    expect(deliveries[0]).toMatchObject({
      channel: 'backstage',
      to: [
        'group:default/area-leads-digital-channels',
        'user:default/elena.petrova',
        'user:default/olivia.grant',
        'user:default/tom.becker',
      ],
    });
  });

  it('tells who reported the ticket in Backstage as a requestor, when ServiceNow names the integration caller', async () => {
    const reporter: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'jonas.weber' },
      spec: { profile: { displayName: 'Jonas Weber' }, memberOf: [] },
    };
    const { deliveries } = await router({
      entities: [...shippedCatalog(), reporter],
      notifiers: [backstage],
      incident: incident({
        priority: 'P2',
        caller: { id: 'integration', name: 'Backstage Integration' },
      }),
      reportersOf: async number =>
        number === 'INC7001' ? ['user:default/jonas.weber'] : [],
    }).route(event('status-report', { priority: 'P2', slot: 1 }));
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].to).toEqual(['user:default/jonas.weber']);
  });

  describe('a single default webhook', () => {
    let server: Server;
    const posts: Array<{ path: string; body: any }> = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let data = '';
        req.on('data', c => {
          data += c;
        });
        req.on('end', () => {
          posts.push({ path: req.url ?? '', body: JSON.parse(data) });
          res.writeHead(200).end('ok');
        });
      });
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>(r => server.close(() => r())));

    it('gets one post for an L3 escalation, naming everyone it stands for', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const slack = SlackNotifier.fromConfig(
        new ConfigReader({
          incidentOps: {
            notifications: { slack: { webhookUrl: `${url}/services/ONLY` } },
          },
        }),
      )!;
      // evangelists, architects and the entity have Slack channels, none a webhook of its own
      const lookup: RecipientLookup = {
        recipientsFor: async () => [
          {
            kind: 'group',
            entityRef: 'group:default/l3-evangelists',
            name: 'L3 Evangelists',
            roles: ['evangelist'],
            slackChannel: '#atlas-l3-evangelists',
          },
          {
            kind: 'group',
            entityRef: 'group:default/cluster-architects',
            name: 'Cluster Architects',
            roles: ['architect'],
            slackChannel: '#cluster-architects',
          },
          {
            kind: 'user',
            entityRef: 'user:default/raj.iyer',
            name: 'Raj Iyer',
            roles: ['vendor-liaison'],
          },
        ],
        channelsFor: async () => ({ slack: '#livelink-prod-incidents' }),
      };
      const { deliveries, outcome } = await router({
        entities: shippedCatalog(),
        notifiers: [slack],
        lookup,
      }).route(
        event('escalation', {
          priority: 'P2',
          fromTier: 'L2',
          toTier: 'L3',
          explanation: 'no progress',
        }),
      );
      expect(deliveries).toHaveLength(1);
      const [delivery] = deliveries;
      expect(outcome).toContain('slack: 1');
      expect(delivery).toMatchObject({
        key: `notify:test:escalation>slack>${DEFAULT_WEBHOOK}`,
        channel: 'slack',
        to: [DEFAULT_WEBHOOK],
        recipients: [
          { entityRef: 'group:default/l3-evangelists', name: 'L3 Evangelists' },
          {
            entityRef: 'group:default/cluster-architects',
            name: 'Cluster Architects',
          },
          { name: 'resource:default/livelink-prod channel' },
        ],
      });
      await slack.send({
        key: delivery.key,
        to: delivery.to,
        message: delivery.message,
        recipients: delivery.recipients,
      });
      expect(posts).toHaveLength(1);
      expect(posts[0].path).toBe('/services/ONLY');
      expect(posts[0].body.text).toContain(
        `For: ${delivery.recipients.map(r => r.name).join(', ')}`,
      );
    });
  });

  describe('finds the requestor', () => {
    const user = (
      name: string,
      displayName: string,
      extra: { sysId?: string; email?: string } = {},
    ): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: {
        name,
        ...(extra.sysId
          ? { annotations: { [ANNOTATION_SERVICENOW_USER]: extra.sysId } }
          : {}),
      },
      spec: {
        profile: { displayName, email: extra.email ?? `${name}@acme.com` },
      },
    });
    const statusChange = (requestor?: {
      id?: string;
      name: string;
      email?: string;
    }) =>
      event('status-change', {
        priority: 'P3',
        fromStatus: 'work-in-progress',
        toStatus: 'resolved',
        actor: 'servicenow',
        ...(requestor ? { requestor } : {}),
      });
    const route = async (
      entities: Entity[],
      caller: Incident['caller'],
      requestor?: { id?: string; name: string; email?: string },
    ) => {
      const { deliveries, outcome } = await router({
        entities,
        notifiers: [backstage],
        incident: incident({ priority: 'P3', caller }),
      }).route(statusChange(requestor));
      return { to: deliveries.flatMap(d => d.to), outcome };
    };

    it('by the servicenow-user annotation holding the caller’s sys_id first', async () => {
      const { to, outcome } = await route(
        [
          user('jonas.weber', 'Jonas Weber'),
          user('jweber', 'J. Weber', { sysId: 'sys-jonas' }),
        ],
        { id: 'sys-jonas', name: 'Jonas Weber' },
      );
      expect(to).toEqual(['user:default/jweber']);
      expect(outcome).toBe('email: not configured; backstage: 1');
    });

    it('then by email, when the caller comes with one', async () => {
      const { to } = await route(
        [
          user('jonas.weber', 'Jonas Weber'),
          user('jonas.weber2', 'Jonas Weber', { email: 'Jonas.W@acme.com' }),
        ],
        { id: 'sys-jonas', name: 'Jonas Weber' },
        { id: 'sys-jonas', name: 'Jonas Weber', email: 'jonas.w@acme.com' },
      );
      expect(to).toEqual(['user:default/jonas.weber2']);
    });

    it('then by display name, only when exactly one user has it', async () => {
      const one = await route([user('mei.lin', 'Mei Lin')], {
        id: 'sys-mei',
        name: 'Mei Lin',
      });
      expect(one.to).toEqual(['user:default/mei.lin']);

      const two = await route(
        [user('jonas.weber', 'Jonas Weber'), user('jonas.w', 'Jonas Weber')],
        { id: 'sys-jonas', name: 'Jonas Weber' },
      );
      expect(two.to).toEqual([]);
      expect(two.outcome).toBe(
        'email: not configured; requestor Jonas Weber is not matched: 2 catalog users have that display name (user:default/jonas.weber, user:default/jonas.w) and none carries servicenow-user sys-jonas; backstage: nobody reachable (requestor)',
      );
    });

    it('never takes a namesake known as another ServiceNow user, nor guesses first.last', async () => {
      const namesake = await route(
        [user('mei.lin', 'Mei Lin', { sysId: 'sys-other' })],
        { id: 'sys-mei', name: 'Mei Lin' },
      );
      expect(namesake.to).toEqual([]);
      expect(namesake.outcome).toBe(
        'email: not configured; requestor Mei Lin is not a user in the catalog; backstage: nobody reachable (requestor)',
      );
      const guessed = await route([user('tom.becker', 'Thomas Becker')], {
        id: 'sys-tom',
        name: 'Tom Becker',
      });
      expect(guessed.to).toEqual([]);
      expect(guessed.outcome).toContain(
        'requestor Tom Becker is not a user in the catalog',
      );
    });
  });
});
