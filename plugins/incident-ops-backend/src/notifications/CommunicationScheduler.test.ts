import { createStores } from '../database';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_COMMUNICATION_POLICY,
  Incident,
  communicationObligations,
} from '@acme/plugin-incident-ops-common';
import { makeIncident } from '../__fixtures__/incidents';
import { CommunicationScheduler } from './CommunicationScheduler';

jest.setTimeout(120_000);

const MIN = 60_000;
const T0 = Date.parse('2026-11-25T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MIN);

describe('CommunicationScheduler', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function setup(databaseId: TestDatabaseId, incidents: Incident[]) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const {
      incidents: store,
      workflow,
      communication: comms,
      notifications: outbox,
    } = await createStores({ database });
    await store.upsertIncidents(incidents);
    let clock = at(0);
    const scheduler = new CommunicationScheduler({
      store: comms,
      notifications: outbox,
      policy: DEFAULT_COMMUNICATION_POLICY,
      logger: mockServices.logger.mock(),
      now: () => clock,
    });
    const events = async (event?: string) =>
      (await outbox.list({ limit: 10_000 }))
        .filter(r => r.kind === 'event' && (!event || r.event === event))
        .reverse();
    return {
      workflow,
      comms,
      scheduler,
      events,
      setClock: (d: Date) => {
        clock = d;
      },
    };
  }

  const incident = (n: number, overrides: Partial<Incident>) =>
    makeIncident({
      id: String(n).padStart(32, '0'),
      number: `INC${4000 + n}`,
      status: 'work-in-progress',
      openedAt: at(0).toISOString(),
      sourceUpdatedAt: at(0).toISOString(),
      syncedAt: at(0).toISOString(),
      caller: { id: 'c1', name: 'Tom Becker' },
      ...overrides,
    });

  it.each(databases.eachSupportedId())(
    'a P2 resolved after 3 h 20 min produced exactly 3 hourly updates or reminders, %p',
    async databaseId => {
      const { workflow, comms, scheduler, events, setClock } = await setup(
        databaseId,
        [incident(1, { priority: 'P2' })],
      );
      // a tick every 5 minutes from opening to an hour after resolution; one update is
      // sent in the second hour; resolved at 3 h 20 min
      for (let m = 0; m <= 260; m += 5) {
        setClock(at(m));
        if (m === 85) {
          await comms.recordUpdate({
            number: 'INC4001',
            kind: 'update',
            message: 'Root cause found: the DB connection pool is exhausted',
            actor: 'user:default/aisha.okafor',
            now: at(m),
          });
        }
        if (m === 200) {
          await workflow.transition({
            number: 'INC4001',
            to: 'resolved',
            note: 'Pool size raised',
            actor: 'user:default/aisha.okafor',
            now: at(m),
          });
        }
        await scheduler.tick();
      }
      const reminders = await events('update-missed');
      const updates = await events('stakeholder-update');
      expect(updates).toHaveLength(1);
      expect(reminders.map(r => r.key)).toEqual([
        `notify:update-missed:servicenow:${'1'.padStart(32, '0')}:1`,
        `notify:update-missed:servicenow:${'1'.padStart(32, '0')}:3`,
      ]);
      expect(updates.length + reminders.length).toBe(3);
      // each missed hour also sent the status to the requestors, once
      expect((await events('status-report')).map(r => r.key)).toEqual([
        `notify:status-report:servicenow:${'1'.padStart(32, '0')}:1`,
        `notify:status-report:servicenow:${'1'.padStart(32, '0')}:3`,
      ]);
      // the reminders came when each hour ended, not later
      expect(reminders.map(r => r.createdAt)).toEqual([
        at(60).toISOString(),
        at(180).toISOString(),
      ]);
      // what the API shows: three hours owed, two missed, one met, nothing next
      const subject = (await comms.cadenceIncident('INC4001'))!.subject;
      const reading = communicationObligations(
        subject,
        DEFAULT_COMMUNICATION_POLICY,
        at(260),
      );
      expect(reading.obligations.map(o => o.state)).toEqual([
        'missed',
        'met',
        'missed',
      ]);
      expect(reading.next).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'a P1 resolved at 10:00 has its post-mortem due at 10:00 the next day, reminded when overdue, %p',
    async databaseId => {
      const { workflow, comms, scheduler, events, setClock } = await setup(
        databaseId,
        [incident(2, { priority: 'P1' })],
      );
      await workflow.transition({
        number: 'INC4002',
        to: 'resolved',
        note: 'Node group replaced',
        actor: 'user:default/elena.petrova',
        now: at(60),
      });
      const cadence = async (minutes: number) =>
        communicationObligations(
          (await comms.cadenceIncident('INC4002'))!.subject,
          DEFAULT_COMMUNICATION_POLICY,
          at(minutes),
        );
      expect((await cadence(61)).next).toEqual({
        kind: 'post-mortem',
        slot: 1,
        dueAt: '2026-11-26T10:00:00.000Z',
        state: 'upcoming',
      });
      setClock(at(60 + 24 * 60 - 1));
      await scheduler.tick();
      expect(await events('post-mortem-overdue')).toHaveLength(0);
      setClock(at(60 + 24 * 60 + 1));
      await scheduler.tick();
      await scheduler.tick();
      expect((await cadence(60 + 24 * 60 + 1)).next?.state).toBe('overdue');
      expect(await events('post-mortem-overdue')).toHaveLength(1);
      // reminded again a day later
      setClock(at(60 + 48 * 60 + 1));
      await scheduler.tick();
      expect(await events('post-mortem-overdue')).toHaveLength(2);
      // the post-mortem stops the reminders
      await comms.recordUpdate({
        number: 'INC4002',
        kind: 'post-mortem',
        message: 'Post-mortem: Karpenter GPU node pool drained by a bad AMI',
        link: 'https://confluence.acme.com/x/pm-4002',
        actor: 'user:default/elena.petrova',
        now: at(60 + 48 * 60 + 2),
      });
      setClock(at(60 + 72 * 60 + 1));
      await scheduler.tick();
      expect(await events('post-mortem-overdue')).toHaveLength(2);
      expect((await cadence(60 + 72 * 60 + 1)).obligations[0]).toMatchObject({
        state: 'met',
      });
      expect(await events('post-mortem')).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'sends one daily summary per requestor covering all their open P3/P4 tickets, %p',
    async databaseId => {
      const { scheduler, events, setClock } = await setup(databaseId, [
        incident(3, {
          priority: 'P3',
          caller: { id: 'c1', name: 'Tom Becker' },
        }),
        incident(4, {
          priority: 'P4',
          caller: { id: 'c1', name: 'Tom Becker' },
        }),
        incident(5, { priority: 'P3', caller: { id: 'c2', name: 'Raj Iyer' } }),
        // not in a summary: a P2, and a closed P3
        incident(6, {
          priority: 'P2',
          caller: { id: 'c1', name: 'Tom Becker' },
        }),
        incident(7, {
          priority: 'P3',
          status: 'closed',
          sourceState: '7',
          caller: { id: 'c1', name: 'Tom Becker' },
        }),
      ]);
      // before 08:00 UTC on the 26th the last summary time is the 25th at 08:00, before
      // these were opened: nothing to summarise
      setClock(new Date('2026-11-26T07:59:00Z'));
      await scheduler.tick();
      expect(await events('daily-summary')).toEqual([]);
      for (const t of ['08:00', '08:01', '13:30']) {
        setClock(new Date(`2026-11-26T${t}:00Z`));
        await scheduler.tick();
      }
      const summaries = await events('daily-summary');
      expect(summaries.map(s => s.key)).toEqual([
        'notify:daily-summary:c2:2026-11-26',
        'notify:daily-summary:c1:2026-11-26',
      ]);
      setClock(new Date('2026-11-27T08:00:00Z'));
      await scheduler.tick();
      expect(await events('daily-summary')).toHaveLength(4);
    },
  );

  it.each(databases.eachSupportedId())(
    'alerts once when a vendor has not answered within its response SLA, %p',
    async databaseId => {
      const { comms, scheduler, events, setClock } = await setup(databaseId, [
        incident(8, { priority: 'P1' }),
      ]);
      const engagement = await comms.openVendorEngagement({
        number: 'INC4008',
        vendor: 'tanzu',
        caseId: 'SR-2611-0042',
        openedAt: at(0),
        responseSla: 30 * MIN,
        actor: 'user:default/carlos.rivera',
        now: at(0),
      });
      expect(engagement).toMatchObject({
        vendor: 'tanzu',
        caseId: 'SR-2611-0042',
        priority: 'P1',
        responseSla: 30 * MIN,
      });
      setClock(at(29));
      await scheduler.tick();
      expect(await events('vendor-sla-breach')).toHaveLength(0);
      setClock(at(31));
      await scheduler.tick();
      setClock(at(40));
      await scheduler.tick();
      expect(await events('vendor-sla-breach')).toHaveLength(1);
      expect(await events('vendor-engaged')).toHaveLength(1);
      await comms.recordVendorResponse({
        number: 'INC4008',
        id: engagement.id,
        respondedAt: at(45),
        actor: 'user:default/carlos.rivera',
      });
      expect(await comms.vendorBreaches(at(50))).toEqual([]);
    },
  );
});
