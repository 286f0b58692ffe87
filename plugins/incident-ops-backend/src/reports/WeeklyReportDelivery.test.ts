import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEFAULT_ESCALATION_POLICY,
  parseReportPeriod,
  ReportPeriod,
} from '@acme/plugin-incident-ops-common';
import knexFactory, { Knex } from 'knex';
import { migrate } from '../database/migrate';
import { DatabaseReportDeliveryStore } from '../database/DatabaseReportDeliveryStore';
import { DatabaseReportStore } from '../database/DatabaseReportStore';
import { ReportBuilder } from './ReportBuilder';
import { WeeklyReportDelivery, summarize } from './WeeklyReportDelivery';
import { reportRecipients } from './setup';
import { insertDecisions, insertIncidents } from './__fixtures__/history';

jest.setTimeout(60_000);

const week = parseReportPeriod('weekly', '2026-W47') as ReportPeriod;
const monday = new Date('2026-11-23T07:00:00Z');

describe('WeeklyReportDelivery', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const extra: Knex[] = [];
  afterAll(async () => {
    await Promise.all(extra.map(k => k.destroy()));
  });

  const recipients = [
    {
      entityRef: 'group:default/area-leads-digital-channels',
      email: 'area-leads-digital-channels@acme.com',
    },
    {
      entityRef: 'group:default/it-leadership',
      email: 'it-leadership@acme.com',
    },
    { entityRef: 'group:default/vendor-managers' },
  ];

  /**
   * A "replica": its own connection pool on PostgreSQL, its own store and delivery; through
   * the notification outbox, or straight to Backstage notifications (`send`).
   */
  function replica(
    knex: Knex,
    options: { ownPool?: boolean; send?: jest.Mock; outbox?: boolean },
  ) {
    let db = knex;
    if (options.ownPool && knex.client.config.client === 'pg') {
      db = knexFactory(knex.client.config);
      extra.push(db);
    }
    return new WeeklyReportDelivery({
      store: new DatabaseReportDeliveryStore(db),
      builder: new ReportBuilder({
        store: new DatabaseReportStore(db),
        policy: DEFAULT_ESCALATION_POLICY,
      }),
      notifications: options.send && { send: options.send },
      outbox: options.outbox ? { channels: ['backstage', 'email'] } : undefined,
      appBaseUrl: 'https://backstage.acme.com',
      recipients: async () => recipients,
      logger: mockServices.logger.mock(),
    });
  }

  async function setUp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await migrate({ getClient: async () => knex } as any);
    await insertIncidents(knex, [
      {
        n: 1,
        priority: 'P2',
        tier: 'L2',
        type: 'namespace-access',
        opened: '2026-11-17T09:00:00.000Z',
        responded: '2026-11-17T09:10:00.000Z',
        resolved: '2026-11-17T12:00:00.000Z',
      },
    ]);
    await insertDecisions(knex, [
      {
        n: 1,
        at: '2026-11-17T09:01:00.000Z',
        rule: 'l1-to-l2-priority',
        from: 'L1',
        to: 'L2',
      },
    ]);
    return { knex, store: new DatabaseReportDeliveryStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'two replicas delivering the same week send it once, %p',
    async databaseId => {
      const { knex, store } = await setUp(databaseId);
      const send = jest.fn().mockResolvedValue(undefined);
      const a = replica(knex, { send });
      const b = replica(knex, { send, ownPool: true });

      const results = await Promise.all([
        a.deliver(week, monday),
        b.deliver(week, monday),
        a.run(monday),
        b.run(monday),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(send).toHaveBeenCalledTimes(1);
      expect(send).toHaveBeenCalledWith({
        recipients: {
          type: 'entity',
          entityRef: [
            'group:default/area-leads-digital-channels',
            'group:default/it-leadership',
            'group:default/vendor-managers',
          ],
        },
        payload: expect.objectContaining({
          title: 'Incident report for week 2026-W47',
          link: '/incident-ops/reports?week=2026-W47',
          topic: 'incident-ops-weekly-report',
          scope: 'incident-ops-weekly-report:2026-W47',
          description: expect.stringContaining(
            'Escalations: 1; by trigger priority 1.',
          ),
        }),
      });
      expect(await store.getDelivery('weekly', '2026-W47')).toMatchObject({
        status: 'sent',
        attempts: 1,
        channels: ['backstage'],
        recipients: recipients.map(r => r.entityRef),
      });

      // the hourly runs that follow find it done
      expect(await a.run(new Date('2026-11-23T08:00:00Z'))).toBe(false);
      expect(await b.run(new Date('2026-11-24T08:00:00Z'))).toBe(false);
      expect(send).toHaveBeenCalledTimes(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'two replicas queue the week in the notification outbox once, per channel, %p',
    async databaseId => {
      const { knex, store } = await setUp(databaseId);
      const a = replica(knex, { outbox: true });
      const b = replica(knex, { outbox: true, ownPool: true });
      const results = await Promise.all([
        a.deliver(week, monday),
        b.deliver(week, monday),
        a.run(monday),
        b.run(monday),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const rows = await knex('incident_notifications').orderBy('channel');
      expect(
        rows.map(r => ({
          key: r.dedupe_key,
          kind: r.kind,
          channel: r.channel,
          status: r.status,
          to: JSON.parse(r.recipients).to,
        })),
      ).toEqual([
        {
          key: 'incident-ops-weekly-report:2026-W47:backstage',
          kind: 'delivery',
          channel: 'backstage',
          status: 'pending',
          to: recipients.map(r => r.entityRef),
        },
        {
          key: 'incident-ops-weekly-report:2026-W47:email',
          kind: 'delivery',
          channel: 'email',
          status: 'pending',
          to: [
            'area-leads-digital-channels@acme.com',
            'it-leadership@acme.com',
          ],
        },
      ]);
      expect(JSON.parse(rows[1].payload)).toEqual({
        title: 'Incident report for week 2026-W47',
        body: expect.stringContaining('Escalations: 1; by trigger priority 1.'),
        link: 'https://backstage.acme.com/incident-ops/reports?week=2026-W47',
        severity: 'normal',
        event: 'weekly-report',
      });
      expect(await store.getDelivery('weekly', '2026-W47')).toMatchObject({
        status: 'sent',
        attempts: 1,
        channels: ['backstage', 'email'],
      });
      expect(await b.run(new Date('2026-11-24T08:00:00Z'))).toBe(false);
      expect(await knex('incident_notifications')).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'tries a failed delivery again on the next run, then stops, %p',
    async databaseId => {
      const { knex, store } = await setUp(databaseId);
      const send = jest
        .fn()
        .mockRejectedValueOnce(new Error('notifications backend down'))
        .mockResolvedValue(undefined);
      const a = replica(knex, { send });

      expect(await a.run(monday)).toBe(false);
      expect(await store.getDelivery('weekly', '2026-W47')).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'notifications backend down',
      });
      expect(await a.run(new Date('2026-11-23T08:00:00Z'))).toBe(true);
      expect(await store.getDelivery('weekly', '2026-W47')).toMatchObject({
        status: 'sent',
        attempts: 2,
      });
      expect(await a.run(new Date('2026-11-23T09:00:00Z'))).toBe(false);
      expect(send).toHaveBeenCalledTimes(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'takes over a delivery whose sender died, once its lease is over, %p',
    async databaseId => {
      const { knex, store } = await setUp(databaseId);
      // a replica claimed it and died before finishing
      expect(
        await store.claimDelivery({
          kind: 'weekly',
          period: '2026-W47',
          now: monday,
          leaseMs: 30 * 60_000,
          maxAttempts: 5,
        }),
      ).toBe(true);
      const send = jest.fn().mockResolvedValue(undefined);
      const a = replica(knex, { send });
      expect(await a.run(new Date('2026-11-23T07:10:00Z'))).toBe(false);
      expect(await a.run(new Date('2026-11-23T07:31:00Z'))).toBe(true);
      expect(send).toHaveBeenCalledTimes(1);
    },
  );
});

describe('reportRecipients', () => {
  const group = (name: string, type: string, annotations = {}) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, annotations },
    spec: {
      type,
      children: [],
      ...(type === 'team' || name === 'vendor-managers'
        ? {}
        : { profile: { email: `${name}@acme.com` } }),
    },
  });

  it('finds the management groups and IT leadership in the catalog', async () => {
    const recipients = reportRecipients({
      config: mockServices.rootConfig(),
      catalog: catalogServiceMock({
        entities: [
          group('area-leads-digital-channels', 'management'),
          group('vendor-managers', 'management'),
          group('it-leadership', 'department', {
            'incident-ops.acme.com/stakeholder-role': 'it-leadership',
          }),
          group('atlas-l1-support', 'team'),
        ],
      }),
      auth: mockServices.auth(),
    });
    expect(await recipients()).toEqual([
      {
        entityRef: 'group:default/area-leads-digital-channels',
        email: 'area-leads-digital-channels@acme.com',
      },
      {
        entityRef: 'group:default/it-leadership',
        email: 'it-leadership@acme.com',
      },
      { entityRef: 'group:default/vendor-managers', email: undefined },
    ]);
  });

  it('uses the configured recipients when given', async () => {
    const recipients = reportRecipients({
      config: mockServices.rootConfig({
        data: {
          incidentOps: {
            reports: {
              weekly: {
                recipients: [
                  'group:default/cto-office',
                  'group:default/nobody',
                ],
              },
            },
          },
        },
      }),
      catalog: catalogServiceMock({
        entities: [
          {
            ...group('cto-office', 'department'),
            spec: { type: 'department', profile: { email: 'cto@acme.com' } },
          },
        ],
      }),
      auth: mockServices.auth(),
    });
    expect(await recipients()).toEqual([
      { entityRef: 'group:default/cto-office', email: 'cto@acme.com' },
      { entityRef: 'group:default/nobody', email: undefined },
    ]);
  });

  it('summarizes with the true counts, not the lists the report cuts', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await migrate({ getClient: async () => knex } as any);
    const report = await new ReportBuilder({
      store: new DatabaseReportStore(knex),
      policy: DEFAULT_ESCALATION_POLICY,
    }).build(week, monday);
    await knex.destroy();
    // 73 cases past their SLA of which the report lists the first 50; 250 recurring P2s
    // of which it lists 200
    report.vendors = {
      byVendor: [
        {
          vendor: 'tanzu',
          opened: 80,
          responded: 10,
          respondedWithinSla: 7,
          breached: 73,
          waiting: 70,
        },
      ],
      breaches: [],
    };
    report.recurringP2sTotal = 250;
    const text = summarize(report);
    expect(text).toContain('Recurring P2s for the stakeholder review: 250.');
    expect(text).toContain('Vendor cases: 80, 73 past their response SLA.');
  });
});
