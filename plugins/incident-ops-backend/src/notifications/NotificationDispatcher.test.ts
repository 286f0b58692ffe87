import { createStores } from '../database';
import { PolicyBook } from '../escalation/PolicyBook';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_ESCALATION_POLICY,
  DEFAULT_NOTIFICATION_RULES,
  Incident,
} from '@acme/plugin-incident-ops-common';
import type {
  IncidentNotification,
  IncidentNotifier,
  NotificationRecipient,
} from '@acme/plugin-incident-ops-node';
import { createServer } from 'http';
import knexFactory, { Knex } from 'knex';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { makeIncident } from '../__fixtures__/incidents';
import { ContactResolver } from '../contacts';
import { shippedCatalog } from '../contacts/__fixtures__/catalog';
import { EscalationEngine } from '../escalation/EscalationEngine';
import { EmailNotifier } from './channels/EmailNotifier';
import { SmsNotifier } from './channels/WebhookNotifiers';
import { readVendors } from './config';
import { NotificationDispatcher } from './NotificationDispatcher';
import { NotificationRouter, contactLookup } from './NotificationRouter';

jest.setTimeout(120_000);

const T0 = Date.parse('2026-11-25T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A channel that records what it was asked to send and can be made to fail. */
function recorder(
  channel: string,
  address: (r: NotificationRecipient) => string | undefined,
  batch = true,
) {
  const sent: IncidentNotification[] = [];
  let failures = 0;
  const notifier: IncidentNotifier = {
    channel,
    batch,
    address,
    async send(n) {
      if (failures > 0) {
        failures--;
        throw new Error(`${channel} is down`);
      }
      sent.push(n);
    },
  };
  return {
    notifier,
    sent,
    failNext(n: number) {
      failures = n;
    },
  };
}

const incident = (n: number, overrides: Partial<Incident> = {}) =>
  makeIncident({
    id: String(n).padStart(32, '0'),
    number: `INC${3000 + n}`,
    shortDescription: 'LiveLink API returns 503 from livelink-prod',
    priority: 'P1',
    tier: 'L1',
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
    assignedTo: { id: 'u1', name: 'Priya Sharma' },
    caller: { id: 'c1', name: 'Tom Becker' },
    configurationItem: { id: 'ci-ll', name: 'abrc1l:livelink-prod' },
    openedAt: at(0).toISOString(),
    sourceUpdatedAt: at(0).toISOString(),
    syncedAt: at(0).toISOString(),
    ...overrides,
  });

describe('NotificationDispatcher', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const catalog = catalogServiceMock({ entities: shippedCatalog() });

  async function setup(knex: Knex, notifiers: IncidentNotifier[]) {
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const {
      incidents: store,
      workflow,
      escalations,
      notifications: outbox,
    } = await createStores({ database });
    let clock = at(0);
    const router = new NotificationRouter({
      rules: DEFAULT_NOTIFICATION_RULES,
      notifiers,
      lookup: contactLookup(new ContactResolver({ catalog })),
      catalog,
      auth: mockServices.auth(),
      incidents: store,
      vendors: readVendors(new ConfigReader({})),
      linkTemplate:
        'https://backstage.acme.com/incident-ops/queue?incident={number}',
    });
    const dispatcher = (
      o: Partial<ConstructorParameters<typeof NotificationDispatcher>[0]> = {},
    ) =>
      new NotificationDispatcher({
        store: outbox,
        router,
        notifiers,
        logger: mockServices.logger.mock(),
        now: () => clock,
        random: () => 0,
        ...o,
      });
    const engine = new EscalationEngine({
      store: escalations,
      policies: new PolicyBook(escalations, DEFAULT_ESCALATION_POLICY),
      groupOf: tier => `Atlas-${tier}`,
      logger: mockServices.logger.mock(),
      now: () => clock,
    });
    return {
      store,
      workflow,
      outbox,
      engine,
      dispatcher,
      setClock: (d: Date) => {
        clock = d;
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'tells who the operational model says, by the channels it says, once, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backstage = recorder('backstage', r => r.entityRef);
      const email = recorder('email', r => r.email);
      const sms = recorder('sms', r => r.phone, false);
      const { store, engine, dispatcher, outbox, setClock, workflow } =
        await setup(knex, [backstage.notifier, email.notifier, sms.notifier]);
      await store.upsertIncidents([incident(1)]);

      // a P1 at L1: escalated straight to L3 and management alerted (one tick, two decisions)
      setClock(at(1));
      await engine.tick();
      // the same decisions seen again (a second replica): nothing new is queued
      await engine.tick();
      const events = (await outbox.list({ limit: 100 })).filter(
        r => r.kind === 'event',
      );
      expect(events.map(e => e.event).sort()).toEqual([
        'escalation',
        'management-alert',
      ]);

      expect(await dispatcher().runOnce()).toEqual({
        routed: 2,
        delivered: expect.any(Number),
        retried: 0,
        refused: 0,
      });
      // IV.3: SMS at once to the area leads of the domain and the vendor manager
      expect(sms.sent.map(n => n.to)).toEqual([
        ['+14155550111'],
        ['+14155550121'],
      ]);
      expect(sms.sent[0].message).toMatchObject({
        title: 'P1 INC3001: LiveLink API returns 503 from livelink-prod',
        severity: 'critical',
        event: 'management-alert',
        link: 'https://backstage.acme.com/incident-ops/queue?incident=INC3001',
      });
      const emailTo = (event: string) =>
        email.sent.find(n => n.message.event === event)?.to;
      expect(emailTo('management-alert')).toEqual([
        'area-leads-digital-channels@acme.com',
        'vendor-managers@acme.com',
      ]);
      // IV.1/IV.2: the team lead (livelink-prod's own), and at L3 the evangelist, the
      // architects and the vendor liaison; VI.1: P1 stakeholders hear of every change
      expect(emailTo('escalation')).toEqual([
        'area-leads-digital-channels@acme.com',
        'carlos.rivera@acme.com',
        'cluster-architects@acme.com',
        'elena.petrova@acme.com',
        'olivia.grant@acme.com',
      ]);
      const escalation = email.sent.find(
        n => n.message.event === 'escalation',
      )!;
      expect(escalation.message.title).toBe('INC3001 escalated to L3 (P1)');
      expect(escalation.message.body).toContain(
        'L1 → L3: P1 at L1: P1 tickets go to L3 (Evangelist) at once',
      );
      expect(
        backstage.sent.find(n => n.message.event === 'escalation')!.to,
      ).toEqual(
        expect.arrayContaining([
          'user:default/olivia.grant',
          'user:default/elena.petrova',
          'group:default/cluster-architects',
        ]),
      );
      // nothing is sent twice, and a second run finds nothing to do
      expect(await dispatcher().runOnce()).toEqual({
        routed: 0,
        delivered: 0,
        retried: 0,
        refused: 0,
      });
      const deliveries = (await outbox.listForIncident('INC3001')).filter(
        r => r.kind === 'delivery',
      );
      expect(deliveries.every(d => d.status === 'done')).toBe(true);
      expect(new Set(deliveries.map(d => d.key)).size).toBe(deliveries.length);

      // requestors hear of status changes made in the suite
      const sentBefore = email.sent.length;
      setClock(at(5));
      await workflow.transition({
        number: 'INC3001',
        to: 'work-in-progress',
        actor: 'user:default/elena.petrova',
        now: at(5),
      });
      await dispatcher().runOnce();
      const change = email.sent
        .slice(sentBefore)
        .find(n => n.message.event === 'status-change')!;
      expect(change.to).toContain('tom.becker@acme.com');
      expect(change.message.title).toBe('INC3001 is now Work in progress');
      expect(change.message.body).toContain(
        'user:default/elena.petrova moved it from Escalated to Work in progress',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'says who could not be reached, and reminds the tier group when the assignee is not in the catalog, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const email = recorder('email', r => r.email);
      const { store, dispatcher, outbox } = await setup(knex, [email.notifier]);
      await store.upsertIncidents([
        // a CI no entity carries, a caller who is not in the catalog
        incident(4, {
          priority: 'P3',
          configurationItem: { id: 'x', name: 'legacy-vm-17' },
          caller: { id: 'c9', name: 'Marta Novak' },
        }),
        // assigned to someone who is not in the catalog, at L2
        incident(5, {
          priority: 'P2',
          tier: 'L2',
          assignmentGroup: { id: 'g2', name: 'Atlas-L2-Platform' },
          assignedTo: { id: 'u9', name: 'Daniel Meyer' },
        }),
      ]);
      const incidentOf = (n: number) => ({
        source: 'servicenow',
        sourceId: String(n).padStart(32, '0'),
        number: `INC${3000 + n}`,
      });
      await outbox.enqueue([
        {
          key: 'notify:test:escalation:4',
          event: 'escalation',
          incident: incidentOf(4),
          payload: { priority: 'P3', fromTier: 'L1', toTier: 'L2' },
          now: at(0),
        },
        {
          key: 'notify:test:status-report:4',
          event: 'status-report',
          incident: incidentOf(4),
          payload: { priority: 'P3', slot: 1 },
          now: at(0),
        },
        {
          key: 'notify:test:update-missed:5',
          event: 'update-missed',
          incident: incidentOf(5),
          payload: { priority: 'P2', slot: 1, dueAt: at(60).toISOString() },
          now: at(0),
        },
      ]);
      await dispatcher().runOnce();
      const events = (await outbox.list({ limit: 100 }))
        .filter(r => r.kind === 'event')
        .reverse();
      expect(events.map(e => [e.status, e.outcome])).toEqual([
        [
          'done',
          'backstage: not configured; no catalog entity for CMDB CI legacy-vm-17: team-lead not resolved; email: nobody reachable (team-lead)',
        ],
        [
          'done',
          'backstage: not configured; requestor Marta Novak is not a user in the catalog; email: nobody reachable (requestor)',
        ],
        [
          'done',
          'backstage: not configured; assignee Daniel Meyer is not a user in the catalog: told the L2 group; email: 1',
        ],
      ]);
      expect(email.sent.map(n => [n.message.title, n.to])).toEqual([
        [
          'Hourly update for INC3005 is overdue',
          ['atlas-l2-platform@acme.com'],
        ],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'tells P1 stakeholders when sync brings a new priority, assignee or assignment group, once per version, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backstage = recorder('backstage', r => r.entityRef);
      const { store, dispatcher, outbox, engine, setClock } = await setup(
        knex,
        [backstage.notifier],
      );
      const v = (n: number, version: number, o: Partial<Incident> = {}) =>
        incident(n, {
          sourceVersion: version,
          sourceUpdatedAt: at(version).toISOString(),
          syncedAt: at(version).toISOString(),
          ...o,
        });
      const aisha = { id: 'u2', name: 'Aisha Okafor' };
      // new tickets: nothing to tell yet
      await store.upsertIncidents([v(6, 1), v(7, 1, { priority: 'P2' })]);
      // the P1's assignee changes in ServiceNow; the same version synced again adds nothing
      await store.upsertIncidents([v(6, 2, { assignedTo: aisha })]);
      await store.upsertIncidents([v(6, 2, { assignedTo: aisha })]);
      // a newer version that changes none of them: nothing
      await store.upsertIncidents([
        v(6, 3, { assignedTo: aisha, shortDescription: 'LiveLink 503s' }),
      ]);
      // moved to L2 and down to P2 in one write: told, as the P1 it was
      await store.upsertIncidents([
        v(6, 4, {
          assignedTo: aisha,
          priority: 'P2',
          tier: 'L2',
          assignmentGroup: { id: 'g2', name: 'Atlas-L2-Platform' },
        }),
      ]);
      // a P2's new assignee is not P1 business; a P2 raised to P1 is
      await store.upsertIncidents([
        v(6, 5, {
          assignedTo: { id: 'u3', name: 'Raj Iyer' },
          priority: 'P2',
          tier: 'L2',
          assignmentGroup: { id: 'g2', name: 'Atlas-L2-Platform' },
        }),
        v(7, 2, { priority: 'P1' }),
      ]);
      const events = (await outbox.list({ limit: 100 }))
        .filter(r => r.kind === 'event')
        .reverse();
      const id = (n: number) => String(n).padStart(32, '0');
      expect(events.map(e => [e.event, e.key])).toEqual([
        ['incident-change', `notify:incident-change:servicenow:${id(6)}:2`],
        ['incident-change', `notify:incident-change:servicenow:${id(6)}:4`],
        ['incident-change', `notify:incident-change:servicenow:${id(7)}:2`],
      ]);

      // (sync queues them at the time it writes)
      await dispatcher({ now: () => new Date() }).runOnce();
      // in order per incident (incidents between them in any order)
      const sent = [...backstage.sent].sort((x, y) =>
        x.message.incidentNumber!.localeCompare(y.message.incidentNumber!),
      );
      expect(sent.map(n => [n.message.title, n.message.severity])).toEqual([
        ['P1 INC3006 changed: assignee', 'critical'],
        ['P1 INC3006 changed: priority, assignment group', 'critical'],
        ['P1 INC3007 changed: priority', 'critical'],
      ]);
      expect(sent[0].message.body).toContain(
        'Assignee: Priya Sharma → Aisha Okafor',
      );
      expect(sent[1].message.body).toContain(
        'Priority: P1 → P2\nAssignment group: Atlas-L1-Support → Atlas-L2-Platform',
      );
      // routed like the P1's other changes: its team lead, evangelist and area lead
      expect(sent[0].to).toEqual([
        'group:default/area-leads-digital-channels',
        'user:default/elena.petrova',
        'user:default/olivia.grant',
      ]);

      // the suite escalates a P1 to L3 (told at once); the L3 group it wrote back, coming
      // back with the next sync, is not told again, a later move within L3 is
      await store.upsertIncidents([v(8, 1)]);
      setClock(at(10));
      await engine.tick();
      const l3 = {
        tier: 'L3' as const,
        assignmentGroup: { id: 'g3', name: 'Atlas-L3-Evangelists' },
      };
      await store.upsertIncidents([v(8, 11, l3)]);
      await store.upsertIncidents([
        v(8, 12, {
          ...l3,
          assignmentGroup: { id: 'g3b', name: 'Atlas-L3-Architects' },
        }),
      ]);
      const about8 = (await outbox.listForIncident('INC3008')).filter(
        r => r.kind === 'event',
      );
      expect(about8.map(e => [e.event, e.key.split(':').pop()])).toEqual([
        ['escalation', expect.any(String)],
        ['management-alert', expect.any(String)],
        ['incident-change', '12'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'retries a failing channel with backoff, then delivers once; gives up after the last attempt, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const email = recorder('email', r => r.email);
      const { store, workflow, dispatcher, outbox, setClock } = await setup(
        knex,
        [email.notifier],
      );
      await store.upsertIncidents([
        incident(2, { priority: 'P3', tier: 'L1', status: 'work-in-progress' }),
      ]);
      await workflow.transition({
        number: 'INC3002',
        to: 'awaiting-customer',
        actor: 'user:default/priya.sharma',
        now: at(0),
      });
      email.failNext(2);
      setClock(at(0));
      expect(await dispatcher().runOnce()).toMatchObject({
        routed: 1,
        retried: 1,
      });
      // backoff: 10 s after the first failure, 20 s after the second (jitter fixed at 0.5×2)
      setClock(new Date(at(0).getTime() + 4_000));
      expect(await dispatcher().runOnce()).toMatchObject({ delivered: 0 });
      setClock(new Date(at(0).getTime() + 5_000));
      expect(await dispatcher().runOnce()).toMatchObject({ retried: 1 });
      setClock(new Date(at(0).getTime() + 15_000));
      expect(await dispatcher().runOnce()).toMatchObject({ delivered: 1 });
      expect(email.sent).toHaveLength(1);
      const [delivery] = (await outbox.listForIncident('INC3002')).filter(
        r => r.kind === 'delivery',
      );
      expect(delivery).toMatchObject({ status: 'done', attempts: 3 });

      // a channel that never recovers: refused after maxAttempts, kept with its error
      await workflow.transition({
        number: 'INC3002',
        to: 'work-in-progress',
        actor: 'user:default/priya.sharma',
        now: at(1),
      });
      email.failNext(100);
      for (let i = 0; i < 4; i++) {
        setClock(at(2 + i * 60));
        await dispatcher({ maxAttempts: 3 }).runOnce();
      }
      const failed = (await outbox.listForIncident('INC3002')).filter(
        r => r.kind === 'delivery' && r.status === 'refused',
      );
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        attempts: 3,
        lastError: 'Error: email is down',
      });
      expect(await outbox.depth()).toEqual({ done: 3, refused: 1 });
    },
  );

  it.each(databases.eachSupportedId())(
    'picks up after a restart: queued rows wait, a dead worker’s claim is taken over after the lease, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const email = recorder('email', r => r.email);
      const { store, workflow, dispatcher, outbox, setClock } = await setup(
        knex,
        [email.notifier],
      );
      await store.upsertIncidents([incident(3, { priority: 'P4' })]);
      await workflow.transition({
        number: 'INC3003',
        to: 'awaiting-customer',
        actor: 'user:default/priya.sharma',
        now: at(0),
      });
      // a worker claims the event and dies before finishing it
      setClock(at(0));
      const claimed = await outbox.claimDue(at(0), 10, 5 * 60_000);
      expect(claimed).toHaveLength(1);
      // within the lease nobody else takes it
      setClock(at(4));
      expect(await dispatcher().runOnce()).toMatchObject({ routed: 0 });
      // after it, a new worker (the restarted replica) does, once
      setClock(at(6));
      expect(await dispatcher().runOnce()).toMatchObject({
        routed: 1,
        delivered: 1,
      });
      expect(email.sent.map(n => n.to)).toEqual([['tom.becker@acme.com']]);
    },
  );

  it.each(databases.eachSupportedId())(
    'delivers each notification once with two replicas and flaky real receivers (SMTP, SMS gateway), %p',
    async databaseId => {
      const knexA = await databases.init(databaseId);
      // the second replica: its own connection pool to the same database (SQLite in memory
      // has one connection, so both share it there)
      const knexB =
        databaseId === 'SQLITE_3'
          ? knexA
          : knexFactory({
              client: 'pg',
              connection: knexA.client.config.connection,
            });

      // a gateway that refuses every second request; accepted messages are counted by key
      const accepted = new Map<string, number>();
      let requests = 0;
      const gateway = createServer((req, res) => {
        let data = '';
        req.on('data', c => {
          data += c;
        });
        req.on('end', () => {
          requests++;
          if (requests % 2 === 1) {
            res.writeHead(503).end();
            return;
          }
          const { reference, to } = JSON.parse(data);
          const k = `${reference}|${to}`;
          accepted.set(k, (accepted.get(k) ?? 0) + 1);
          res.writeHead(202).end('{}');
        });
      });
      await new Promise<void>(r => gateway.listen(0, '127.0.0.1', r));
      // an SMTP server that refuses the first try of every message
      const mails = new Map<string, number>();
      const refused = new Set<string>();
      const smtp = new SMTPServer({
        disabledCommands: ['STARTTLS', 'AUTH'],
        onData(stream, _session, callback) {
          let data = '';
          stream.on('data', c => {
            data += c;
          });
          stream.on('end', () => {
            const id = data
              .replace(/\r\n[ \t]+/g, ' ')
              .match(/^Message-ID: (\S+)/im)![1];
            if (!refused.has(id)) {
              refused.add(id);
              callback(new Error('451 try again later'));
              return;
            }
            mails.set(id, (mails.get(id) ?? 0) + 1);
            callback();
          });
        },
      });
      await new Promise<void>(r => smtp.listen(0, '127.0.0.1', r));
      try {
        const config = new ConfigReader({
          incidentOps: {
            notifications: {
              email: {
                host: '127.0.0.1',
                port: (smtp.server.address() as AddressInfo).port,
                from: 'incident-ops@acme.com',
              },
              sms: {
                gatewayUrl: `http://127.0.0.1:${
                  (gateway.address() as AddressInfo).port
                }/sms`,
              },
            },
          },
        });
        const notifiers = [
          EmailNotifier.fromConfig(config)!,
          SmsNotifier.fromConfig(config)!,
        ];
        const a = await setup(knexA, notifiers);
        const b = await setup(knexB, notifiers);
        // twelve P1 incidents at L1: each escalated and alerted
        await a.store.upsertIncidents(
          Array.from({ length: 12 }, (_, n) => incident(100 + n)),
        );
        a.setClock(at(1));
        b.setClock(at(1));
        await Promise.all([a.engine.tick(), b.engine.tick()]);

        // both replicas work the outbox at the same time, as the clock moves on
        for (let step = 0; step < 12; step++) {
          a.setClock(at(1 + step));
          b.setClock(at(1 + step));
          await Promise.all([
            a.dispatcher().runOnce(),
            b.dispatcher().runOnce(),
          ]);
        }
        const rows = await a.outbox.list({ limit: 1000 });
        expect(rows.filter(r => r.status !== 'done')).toEqual([]);
        const smsRows = rows.filter(r => r.channel === 'sms');
        const emailRows = rows.filter(r => r.channel === 'email');
        // per incident: two phones (area lead, vendor manager) for the alert
        expect(smsRows).toHaveLength(24);
        // per incident: the escalation and the alert
        expect(emailRows).toHaveLength(24);
        // every SMS accepted exactly once, after retries
        expect(accepted.size).toBe(24);
        expect([...accepted.values()].every(n => n === 1)).toBe(true);
        expect(smsRows.some(r => r.attempts > 1)).toBe(true);
        // every email received exactly once, each after one refusal
        expect(mails.size).toBe(24);
        expect([...mails.values()].every(n => n === 1)).toBe(true);
        expect(emailRows.every(r => r.attempts === 2)).toBe(true);
      } finally {
        await new Promise<void>(r => gateway.close(() => r()));
        await new Promise<void>(r => smtp.close(() => r()));
        if (knexB !== knexA) await knexB.destroy();
      }
    },
  );
});
