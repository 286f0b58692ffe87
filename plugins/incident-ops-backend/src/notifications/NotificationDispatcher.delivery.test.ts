import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createServer } from 'http';
import knexFactory from 'knex';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { EmailNotifier } from './channels/EmailNotifier';
import { SmsNotifier } from './channels/WebhookNotifiers';
import { at, incident, recorder, setup } from './__testUtils__/dispatcher';

jest.setTimeout(120_000);

describe('NotificationDispatcher', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

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
