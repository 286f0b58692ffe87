import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { IncidentWriteBackResult } from '@acme/plugin-incident-ops-node';
import request from 'supertest';
import { makeIncident } from '../__fixtures__/incidents';
import { asSent, startIncidentOpsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const ADMIN = 'incident-ops.sync.admin';
const api = '/api/incident-ops';

describe('refused outbox items: listed, re-queued and discarded by an admin', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function startBackend(databaseId: TestDatabaseId, deny?: string[]) {
    const knex = await databases.init(databaseId);
    const answers: IncidentWriteBackResult[] = [];
    const writeBack = jest.fn(
      async () => answers.shift() ?? { outcome: 'written' as const },
    );
    const { server, connection } = await startIncidentOpsBackend({
      knex,
      deny,
      provider: { writeBack },
      outboxOnDemand: true,
    });
    await connection.applyIncidents(
      asSent([
        makeIncident({
          id: '1'.repeat(32),
          number: 'INC1',
          status: 'work-in-progress',
        }),
      ]),
    );
    return { knex, server, answers, writeBack };
  }

  /** Polls the outbox until `status` has `n` items (the task runs after the answer). */
  async function outboxIn(server: any, status: string, n = 1) {
    for (let i = 0; ; i++) {
      const res = await request(server).get(
        `${api}/sync/outbox?status=${status}`,
      );
      if (res.body.items.length === n || i === 100) return res.body.items;
      await new Promise(r => setTimeout(r, 50));
    }
  }

  it.each(databases.eachSupportedId())(
    'shows a refused write-back with its reason, re-queues it for an admin only, %p',
    async databaseId => {
      const { server, answers, writeBack } = await startBackend(databaseId);
      answers.push({
        outcome: 'refused',
        reason: 'ServiceNow refused: Data policy: Close notes are mandatory',
      });
      const moved = await request(server)
        .post(`${api}/incidents/INC1/transitions`)
        .send({ to: 'awaiting-customer', note: 'Which port?' });
      expect(moved.status).toBe(201);
      const [refused] = await outboxIn(server, 'refused');
      expect(refused).toMatchObject({
        number: 'INC1',
        status: 'refused',
        attempts: 1,
        lastError: 'ServiceNow refused: Data policy: Close notes are mandatory',
      });
      expect(writeBack).toHaveBeenCalledTimes(1);
      // listed among the failing ones too
      const failing = await request(server).get(
        `${api}/sync/outbox?failing=true`,
      );
      expect(failing.body.items.map((i: any) => i.id)).toEqual([refused.id]);

      // unknown ids and items that are not refused
      const unknown = await request(server).post(
        `${api}/sync/outbox/999/requeue`,
      );
      expect(unknown.status).toBe(404);
      const requeued = await request(server).post(
        `${api}/sync/outbox/${refused.id}/requeue`,
      );
      expect(requeued.status).toBe(200);
      expect(requeued.body).toEqual({ id: refused.id, status: 'pending' });
      const [done] = await outboxIn(server, 'done');
      expect(done).toMatchObject({ id: refused.id, attempts: 1 });
      expect(writeBack).toHaveBeenCalledTimes(2);
      const again = await request(server).post(
        `${api}/sync/outbox/${refused.id}/requeue`,
      );
      expect(again.status).toBe(409);
      expect(again.body.error.name).toBe('ConflictError');
      const discardDone = await request(server).post(
        `${api}/sync/outbox/${refused.id}/discard`,
      );
      expect(discardDone.status).toBe(409);
    },
  );

  it.each(databases.eachSupportedId())(
    'discards a refused write-back, so the next one to its incident goes, %p',
    async databaseId => {
      const { server, answers, writeBack } = await startBackend(databaseId);
      answers.push({ outcome: 'refused', reason: 'no' });
      await request(server)
        .post(`${api}/incidents/INC1/transitions`)
        .send({ to: 'awaiting-customer', note: 'Which port?' });
      const [refused] = await outboxIn(server, 'refused');
      // a later change to the same incident waits behind the refused one
      await request(server)
        .post(`${api}/incidents/INC1/transitions`)
        .send({ to: 'work-in-progress' });
      await outboxIn(server, 'pending');
      expect(writeBack).toHaveBeenCalledTimes(1);
      const discarded = await request(server).post(
        `${api}/sync/outbox/${refused.id}/discard`,
      );
      expect(discarded.body).toEqual({ id: refused.id, status: 'discarded' });
      await outboxIn(server, 'done');
      expect(writeBack).toHaveBeenCalledTimes(2);
      expect(writeBack.mock.calls[1]).toEqual([
        expect.objectContaining({ status: 'work-in-progress' }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets only admins re-queue or discard, write-backs and notifications, %p',
    async databaseId => {
      const { server, knex } = await startBackend(databaseId, [ADMIN]);
      const [id] = await knex('incident_notifications')
        .insert({
          dedupe_key: 'notify:test',
          kind: 'delivery',
          event: 'escalation',
          channel: 'email',
          number: 'INC1',
          recipients: JSON.stringify({ to: ['ana@acme.com'], recipients: [] }),
          payload: JSON.stringify({ title: 'INC1 escalated' }),
          status: 'refused',
          attempts: 12,
          last_error: 'Error: mailbox unavailable',
          next_attempt_at: new Date(),
          created_at: new Date(),
        })
        .returning('id')
        .then(rows => rows.map(r => Number(typeof r === 'object' ? r.id : r)));
      for (const path of [
        `/sync/outbox/1/requeue`,
        `/sync/outbox/1/discard`,
        `/notifications/outbox/${id}/requeue`,
        `/notifications/outbox/${id}/discard`,
      ]) {
        const res = await request(server).post(`${api}${path}`);
        expect(res.status).toBe(403);
        expect(res.body.error.name).toBe('NotAllowedError');
      }
      // the outboxes hold addresses: reading them is for admins too
      for (const path of ['/notifications/outbox', '/sync/outbox']) {
        const listed = await request(server).get(`${api}${path}`);
        expect(listed.status).toBe(403);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'lists, re-queues and discards refused notifications, %p',
    async databaseId => {
      const { server, knex } = await startBackend(databaseId);
      const row = (key: string) => ({
        dedupe_key: key,
        kind: 'delivery',
        event: 'escalation',
        channel: 'test',
        recipients: JSON.stringify({ to: ['x'], recipients: [] }),
        payload: JSON.stringify({ title: key }),
        status: 'refused',
        attempts: 12,
        last_error: 'Error: down',
        next_attempt_at: new Date(),
        created_at: new Date(),
      });
      await knex('incident_notifications').insert([row('n1'), row('n2')]);
      const listed = await request(server).get(
        `${api}/notifications/outbox?status=refused`,
      );
      const [n2, n1] = listed.body.items;
      expect([n1.key, n2.key]).toEqual(['n1', 'n2']);
      expect(
        (await request(server).post(`${api}/notifications/outbox/999/requeue`))
          .status,
      ).toBe(404);
      const requeued = await request(server).post(
        `${api}/notifications/outbox/${n1.id}/requeue`,
      );
      expect(requeued.body).toEqual({ id: n1.id, status: 'pending' });
      const discarded = await request(server).post(
        `${api}/notifications/outbox/${n2.id}/discard`,
      );
      expect(discarded.body).toEqual({ id: n2.id, status: 'discarded' });
      expect(
        (
          await request(server).post(
            `${api}/notifications/outbox/${n2.id}/discard`,
          )
        ).status,
      ).toBe(409);
      const rows = await knex('incident_notifications')
        .whereIn('dedupe_key', ['n1', 'n2'])
        .orderBy('id')
        .select('status', 'attempts');
      expect(rows.map(r => [r.status, Number(r.attempts)])).toEqual([
        ['pending', 0],
        ['discarded', 12],
      ]);
      expect(
        (await request(server).get(`${api}/notifications/outbox?status=burnt`))
          .status,
      ).toBe(400);
    },
  );
});
