import { TestDatabases } from '@backstage/backend-test-utils';
import { Incident } from '@acme/plugin-incident-ops-common';
import { at, incident, recorder, setup } from './__testUtils__/dispatcher';

jest.setTimeout(120_000);

describe('NotificationDispatcher', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

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
});
