import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_COMMUNICATION_POLICY,
  type Incident,
} from '@acme/plugin-incident-ops-common';
import { DatabaseCommunicationStore } from './DatabaseCommunicationStore';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { makeIncident } from '../__fixtures__/incidents';
import { migratedDatabase } from '../__testUtils__/database';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const now = new Date('2026-11-21T12:00:00.000Z');
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const iso = (hours: number) => ago(hours).toISOString();

/** The incident numbered INC`n`, its id made of `n`. */
const incident = (n: number, overrides: Partial<Incident> = {}) =>
  makeIncident({ id: String(n).repeat(32), number: `INC${n}`, ...overrides });

describe('DatabaseCommunicationStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId, seed: Incident[]) {
    const { knex, database } = await migratedDatabase(databases, databaseId);
    const incidents = await DatabaseIncidentStore.create({ database });
    await incidents.upsertIncidents(seed);
    const store = await DatabaseCommunicationStore.create({ database });
    const outbox = await DatabaseNotificationStore.create({ database });
    return { knex, store, outbox };
  }

  it.each(databases.eachSupportedId())(
    'records updates with their notification; a post-mortem once resolved, %p',
    async databaseId => {
      const { knex, store, outbox } = await createStore(databaseId, [
        incident(1, { priority: 'P2' }),
        incident(2, {
          priority: 'P1',
          status: 'resolved',
          resolvedAt: iso(2),
        }),
      ]);
      const record = (
        number: string,
        kind: 'update' | 'post-mortem',
        link?: string,
      ) =>
        store.recordUpdate({
          number,
          kind,
          message: `${kind} on ${number}`,
          link,
          actor: 'user:default/ana',
          now,
        });

      const update = await record('INC1', 'update');
      expect(update).toEqual({
        id: expect.any(Number),
        number: 'INC1',
        kind: 'update',
        message: 'update on INC1',
        actor: 'user:default/ana',
        createdAt: now.toISOString(),
      });
      await expect(record('INC1', 'post-mortem')).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'INC1 is work-in-progress: a post-mortem is recorded after it is resolved',
      });
      await expect(record('INC404', 'update')).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      const postMortem = await record('INC2', 'post-mortem', 'https://pm/2');
      expect(postMortem).toMatchObject({
        kind: 'post-mortem',
        link: 'https://pm/2',
      });
      const second = await record('INC1', 'update');

      expect(await store.listUpdates('INC1')).toEqual([update, second]);
      expect(await store.listUpdates('INC2')).toEqual([postMortem]);
      expect(await store.listUpdates('INC3')).toEqual([]);

      // each with its event, and the refused one with none
      const events = (await outbox.list({ limit: 10 })).reverse();
      expect(events.map(e => [e.key, e.event, e.number])).toEqual([
        [
          `notify:update:servicenow:${'1'.repeat(32)}:${update.id}`,
          'stakeholder-update',
          'INC1',
        ],
        [
          `notify:post-mortem:servicenow:${'2'.repeat(32)}:${postMortem.id}`,
          'post-mortem',
          'INC2',
        ],
        [
          `notify:update:servicenow:${'1'.repeat(32)}:${second.id}`,
          'stakeholder-update',
          'INC1',
        ],
      ]);
      const [claimed] = await outbox.claimDue(now, 2, HOUR);
      expect(claimed).toMatchObject({
        kind: 'event',
        payload: {
          priority: 'P2',
          message: 'update on INC1',
          actor: 'user:default/ana',
        },
      });

      // a removed incident takes no updates
      await knex('incidents')
        .where({ number: 'INC1' })
        .update({ removed_at: now });
      await expect(record('INC1', 'update')).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'gives the cadence the incidents it watches, with history and updates, %p',
    async databaseId => {
      const resolved = (n: number, priority: 'P1' | 'P2', hours: number) =>
        incident(n, {
          priority,
          status: 'resolved',
          resolvedAt: iso(hours),
          sourceUpdatedAt: iso(hours),
        });
      const { knex, store } = await createStore(databaseId, [
        incident(1, { priority: 'P2', openedAt: iso(4) }),
        // resolved within the hour
        resolved(2, 'P2', 0.5),
        // resolved too long ago for an hourly update
        resolved(3, 'P2', 5),
        // owing a post-mortem
        resolved(4, 'P1', 20),
        // past the post-mortem window
        resolved(5, 'P1', 30),
        // open, but no hourly updates for P1
        incident(6, { priority: 'P1' }),
        incident(7, { priority: 'P3' }),
        incident(8, { priority: 'P2' }),
      ]);
      await knex('incidents')
        .where({ number: 'INC8' })
        .update({ removed_at: now });
      const id1 = '1'.repeat(32);
      const event = (type: string, to: string, hours: number) => ({
        source: 'servicenow',
        source_id: id1,
        number: 'INC1',
        type,
        to_status: to,
        actor: 'user:default/ana',
        created_at: ago(hours),
      });
      await knex('incident_events').insert([
        event('transition', 'escalated', 3),
        // not a suite transition: the history leaves it out
        event('write-back', 'resolved', 2.5),
        event('escalation', 'work-in-progress', 2),
      ]);
      await store.recordUpdate({
        number: 'INC1',
        kind: 'update',
        message: 'Still on it',
        actor: 'user:default/ana',
        now: ago(1),
      });

      const watched = await store.cadenceIncidents(
        DEFAULT_COMMUNICATION_POLICY,
        now,
        { recentMs: HOUR, postMortemMs: 24 * HOUR },
      );
      expect(watched.map(i => i.number)).toEqual(['INC1', 'INC2', 'INC4']);
      expect(watched[0]).toEqual({
        source: 'servicenow',
        sourceId: id1,
        number: 'INC1',
        shortDescription: 'Karpenter GPU node failure on mecc',
        subject: {
          priority: 'P2',
          status: 'work-in-progress',
          openedAt: iso(4),
          // the last change was the suite's: nothing added
          history: [
            { at: iso(3), status: 'escalated' },
            { at: iso(2), status: 'work-in-progress' },
          ],
          updates: [{ kind: 'update', at: iso(1) }],
        },
      });
      // a change at the source is known by the source's update time
      expect(watched[1].subject).toMatchObject({
        resolvedAt: iso(0.5),
        history: [{ at: iso(0.5), status: 'resolved' }],
        updates: [],
      });
      expect(await store.cadenceIncident('INC4')).toEqual(watched[2]);
      expect(await store.cadenceIncident('INC8')).toBeUndefined();
      expect(await store.cadenceIncident('INC404')).toBeUndefined();

      expect(
        await store.cadenceIncidents(
          {
            ...DEFAULT_COMMUNICATION_POLICY,
            hourlyUpdates: { priorities: [], every: HOUR },
            postMortem: { priorities: [], within: HOUR, remindEvery: HOUR },
          },
          now,
          { recentMs: HOUR, postMortemMs: 24 * HOUR },
        ),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'groups the open tickets of the daily summary by requestor, %p',
    async databaseId => {
      const ana = { id: 'c1', name: 'Ana Lima' };
      const { knex, store } = await createStore(databaseId, [
        incident(1, { priority: 'P4', caller: ana, openedAt: iso(30) }),
        incident(2, { priority: 'P3', caller: ana, openedAt: iso(30) }),
        incident(3, {
          priority: 'P3',
          caller: { id: 'c2', name: 'Bo Chen' },
          openedAt: iso(30),
        }),
        // opened after the cut-off, resolved, not a summary priority, no caller
        incident(4, { priority: 'P3', caller: ana, openedAt: iso(1) }),
        incident(5, {
          priority: 'P3',
          caller: ana,
          status: 'resolved',
          resolvedAt: iso(2),
        }),
        incident(6, { priority: 'P2', caller: ana }),
        incident(7, { priority: 'P3' }),
      ]);
      // a caller known by name only
      await knex('incidents')
        .where({ number: 'INC3' })
        .update({ caller_id: null });

      expect(await store.openByRequestor(['P3', 'P4'], ago(24))).toEqual([
        {
          requestor: ana,
          incidents: [
            {
              number: 'INC2',
              priority: 'P3',
              status: 'work-in-progress',
              shortDescription: 'Karpenter GPU node failure on mecc',
              url: 'https://acme.service-now.com/nav_to.do?uri=incident.do',
            },
            expect.objectContaining({ number: 'INC1', priority: 'P4' }),
          ],
        },
        {
          requestor: { name: 'Bo Chen' },
          incidents: [expect.objectContaining({ number: 'INC3' })],
        },
      ]);
      expect(await store.openByRequestor([], now)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records a vendor case once, and its first response once, %p',
    async databaseId => {
      const { store, outbox } = await createStore(databaseId, [
        incident(1, { priority: 'P1' }),
        incident(2, { priority: 'P2' }),
      ]);
      const open = (
        number: string,
        caseId: string,
        vendor: 'aws' | 'tanzu' = 'aws',
        hours = 3,
      ) =>
        store.openVendorEngagement({
          number,
          vendor,
          caseId,
          openedAt: ago(hours),
          responseSla: 2 * HOUR,
          note: caseId === 'A1' ? 'Sev 1' : undefined,
          actor: 'user:default/ana',
          now,
        });

      const a1 = await open('INC1', 'A1');
      expect(a1).toEqual({
        id: expect.any(Number),
        number: 'INC1',
        priority: 'P1',
        vendor: 'aws',
        caseId: 'A1',
        openedAt: iso(3),
        responseSla: 2 * HOUR,
        note: 'Sev 1',
        openedBy: 'user:default/ana',
      });
      // the same case again, even on another incident
      await expect(open('INC2', 'A1')).rejects.toMatchObject({
        name: 'ConflictError',
        message: 'aws case A1 is already recorded on INC1',
      });
      const t1 = await open('INC1', 'A1', 'tanzu', 1);
      const a2 = await open('INC2', 'A2', 'aws', 2);
      await expect(open('INC404', 'A3')).rejects.toMatchObject({
        name: 'NotFoundError',
      });

      expect(
        (await outbox.list({ limit: 10 })).map(e => [e.key, e.event]),
      ).toEqual([
        [`notify:vendor-engaged:${a2.id}`, 'vendor-engaged'],
        [`notify:vendor-engaged:${t1.id}`, 'vendor-engaged'],
        [`notify:vendor-engaged:${a1.id}`, 'vendor-engaged'],
      ]);
      const [event] = await outbox.claimDue(now, 1, HOUR);
      expect(event).toMatchObject({
        payload: {
          priority: 'P1',
          vendor: { vendor: 'aws', caseId: 'A1', respondBy: iso(1) },
          actor: 'user:default/ana',
          note: 'Sev 1',
        },
      });

      // unanswered by their deadline: A1 (1h ago) and A2 (now)
      expect(
        (await store.vendorBreaches(now)).map(b => [b.caseId, b.respondBy]),
      ).toEqual(
        expect.arrayContaining([
          ['A1', iso(1)],
          ['A2', iso(0)],
        ]),
      );
      expect(await store.vendorBreaches(now)).toHaveLength(2);

      const respond = (number: string, id: number, hours: number) =>
        store.recordVendorResponse({
          number,
          id,
          respondedAt: ago(hours),
          note: 'Looking',
          actor: 'user:default/bo',
        });
      await expect(respond('INC2', a1.id, 2)).rejects.toMatchObject({
        name: 'NotFoundError',
        message: `No vendor engagement ${a1.id} on INC2`,
      });
      await expect(respond('INC1', a1.id, 4)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('cannot come before the case'),
      });
      expect(await respond('INC1', a1.id, 2)).toEqual({
        ...a1,
        respondedAt: iso(2),
        responseNote: 'Looking',
        respondedRecordedBy: 'user:default/bo',
      });
      await expect(respond('INC1', a1.id, 1)).rejects.toMatchObject({
        name: 'ConflictError',
        message: `The response on aws case A1 is already recorded (${iso(2)})`,
      });
      expect((await store.vendorBreaches(now)).map(b => b.caseId)).toEqual([
        'A2',
      ]);

      // latest opened first
      const cases = async (
        filter: Parameters<
          DatabaseCommunicationStore['listVendorEngagements']
        >[0],
      ) =>
        (await store.listVendorEngagements(filter)).map(
          e => `${e.vendor}:${e.caseId}`,
        );
      expect(await cases({})).toEqual(['tanzu:A1', 'aws:A2', 'aws:A1']);
      expect(await cases({ number: 'INC1' })).toEqual(['tanzu:A1', 'aws:A1']);
      expect(await cases({ vendor: 'aws' })).toEqual(['aws:A2', 'aws:A1']);
      expect(await cases({ waiting: true })).toEqual(['tanzu:A1', 'aws:A2']);
      expect(await cases({ limit: 1 })).toEqual(['tanzu:A1']);
      expect(
        (await store.listVendorEngagements({ id: a1.id }))[0].respondedAt,
      ).toBe(iso(2));
    },
  );
});
