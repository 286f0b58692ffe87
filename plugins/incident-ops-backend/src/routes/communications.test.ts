import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  signalsServiceRef,
  type SignalPayload,
} from '@backstage/plugin-signals-node';
import request from 'supertest';
import { makeIncident } from '../__fixtures__/incidents';
import { asSent, startIncidentOpsBackend } from '../__testUtils__/testBackend';
import { shippedCatalog } from '../contacts/__fixtures__/catalog';

jest.setTimeout(60_000);

const MIN = 60_000;
const api = '/api/incident-ops';

async function startBackend(options: { deny?: string[] } = {}) {
  const sent: NotificationSendOptions[] = [];
  const signals: SignalPayload[] = [];
  const { server, connection } = await startIncidentOpsBackend({
    entities: shippedCatalog(),
    deny: options.deny,
    provider: { writeBack: async () => ({ outcome: 'written' }) },
    features: [
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (n: NotificationSendOptions) => {
            sent.push(n);
          },
        }),
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (s: SignalPayload) => {
            signals.push(s);
          },
        }),
      }),
    ],
  });
  const now = Date.now();
  const ago = (minutes: number) => new Date(now - minutes * MIN).toISOString();
  await connection.applyIncidents(
    asSent([
      makeIncident({
        id: '1'.repeat(32),
        number: 'INC5001',
        priority: 'P2',
        // at L3 already, so the escalation engine (run after each sync) has nothing to do
        assignmentGroup: { id: 'g3', name: 'Atlas-L3-Evangelists' },
        assignedTo: { id: 'u1', name: 'Aisha Okafor' },
        caller: { id: 'c1', name: 'Tom Becker' },
        configurationItem: { id: 'ci', name: 'abrc1l:livelink-prod' },
        openedAt: ago(100),
        sourceUpdatedAt: ago(100),
      }),
      makeIncident({
        id: '2'.repeat(32),
        number: 'INC5002',
        priority: 'P1',
        status: 'resolved',
        sourceState: '6',
        configurationItem: { id: 'ci', name: 'abrc1l:livelink-prod' },
        openedAt: ago(600),
        resolvedAt: ago(120),
        sourceUpdatedAt: ago(120),
      }),
    ]),
  );
  return { server, sent, signals };
}

/** Waits until `check` passes (the outbox task runs on the backend's scheduler). */
async function eventually(check: () => void, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise(r => setTimeout(r, 200));
    }
  }
}

describe('communications API', () => {
  it('records an update, sends it to the stakeholders and shows the cadence', async () => {
    const { server, sent, signals } = await startBackend();
    const before = await request(server).get(
      `${api}/incidents/INC5001/communications`,
    );
    expect(before.status).toBe(200);
    // opened 100 min ago: hour 1 was missed (an update is overdue since), hour 2 runs now
    expect(before.body.obligations.map((o: any) => [o.slot, o.state])).toEqual([
      [1, 'missed'],
      [2, 'upcoming'],
    ]);
    expect(before.body.next).toMatchObject({
      kind: 'hourly-update',
      slot: 1,
      state: 'overdue',
    });
    expect(before.body.next.dueInMs).toBeLessThan(-39 * MIN);

    const res = await request(server)
      .post(`${api}/incidents/INC5001/updates`)
      .send({ message: 'Pool exhausted; raising max connections now' });
    expect(res.status).toBe(201);
    expect(res.body.update).toMatchObject({
      number: 'INC5001',
      kind: 'update',
      message: 'Pool exhausted; raising max connections now',
    });
    const after = await request(server).get(
      `${api}/incidents/INC5001/communications`,
    );
    expect(after.body.obligations.map((o: any) => o.state)).toEqual([
      'missed',
      'met',
      'upcoming',
    ]);
    expect(after.body.next).toMatchObject({ slot: 3, state: 'upcoming' });
    expect(after.body.next.dueInMs).toBeGreaterThan(79 * MIN);
    expect(after.body.updates).toHaveLength(1);
    // pages are told at once; the stakeholders (requestor, team lead) by Backstage notifications
    expect(signals).toContainEqual(
      expect.objectContaining({
        channel: 'incident-ops:incident',
        message: expect.objectContaining({
          number: 'INC5001',
          change: 'update',
        }),
      }),
    );
    await eventually(() =>
      expect(
        sent.find(s => s.payload.metadata?.event === 'stakeholder-update'),
      ).toMatchObject({
        recipients: {
          type: 'entity',
          entityRef: ['user:default/olivia.grant', 'user:default/tom.becker'],
        },
        payload: { title: 'Update on INC5001 (P2)', severity: 'high' },
      }),
    );
    const done = await request(server).get(
      `${api}/incidents/INC5001/communications`,
    );
    expect(done.body.notifications).toContainEqual(
      expect.objectContaining({
        kind: 'delivery',
        channel: 'backstage',
        event: 'stakeholder-update',
        status: 'done',
        to: ['user:default/olivia.grant', 'user:default/tom.becker'],
      }),
    );
  });

  it('lists what is due across incidents, soonest first', async () => {
    const { server } = await startBackend();
    const res = await request(server).get(`${api}/communications/due`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => [i.number, i.kind, i.state])).toEqual(
      [
        ['INC5001', 'hourly-update', 'overdue'],
        ['INC5002', 'post-mortem', 'upcoming'],
      ],
    );
    expect(res.body.overdue).toBe(1);
    // the P1 was resolved two hours ago: its post-mortem is due in 22 hours
    expect(res.body.items[1].dueInMs).toBeGreaterThan(22 * 60 * MIN - MIN);
    expect(res.body.items[1].dueInMs).toBeLessThanOrEqual(22 * 60 * MIN);
    expect(
      (await request(server).get(`${api}/communications/due?limit=0`)).status,
    ).toBe(400);
  });

  it('records the post-mortem only once the incident is resolved', async () => {
    const { server } = await startBackend();
    const open = await request(server)
      .post(`${api}/incidents/INC5001/updates`)
      .send({ kind: 'post-mortem', message: 'too early' });
    expect(open.status).toBe(409);
    const resolved = await request(server)
      .post(`${api}/incidents/INC5002/updates`)
      .send({
        kind: 'post-mortem',
        message: 'Post-mortem: a bad AMI drained the pool',
        link: 'https://confluence.acme.com/x/pm-5002',
      });
    expect(resolved.status).toBe(201);
    const cadence = await request(server).get(
      `${api}/incidents/INC5002/communications`,
    );
    expect(cadence.body.obligations).toEqual([
      expect.objectContaining({ kind: 'post-mortem', state: 'met' }),
    ]);
    expect(cadence.body.next).toBeUndefined();
  });

  it('refuses bad input with 400, unknown incidents with 404, and writes nothing', async () => {
    const { server } = await startBackend();
    for (const body of [
      {},
      { message: '' },
      { message: 'x', kind: 'rumour' },
      { message: 'x', link: 'not a url' },
      { message: 'x', extra: true },
    ]) {
      const res = await request(server)
        .post(`${api}/incidents/INC5001/updates`)
        .send(body);
      expect(res.status).toBe(400);
    }
    const unknown = await request(server)
      .post(`${api}/incidents/INC9999/updates`)
      .send({ message: 'x' });
    expect(unknown.status).toBe(404);
    expect(
      (await request(server).get(`${api}/incidents/INC9999/communications`))
        .status,
    ).toBe(404);
    const cadence = await request(server).get(
      `${api}/incidents/INC5001/communications`,
    );
    expect(cadence.body.updates).toEqual([]);
    expect(cadence.body.notifications).toEqual([]);
  });

  it('answers 403 without the communicate permission, and changes nothing', async () => {
    const { server } = await startBackend({
      deny: ['incident-ops.incident.communicate'],
    });
    const res = await request(server)
      .post(`${api}/incidents/INC5001/updates`)
      .send({ message: 'x' });
    expect(res.status).toBe(403);
    const cadence = await request(server).get(
      `${api}/incidents/INC5001/communications`,
    );
    expect(cadence.status).toBe(200);
    expect(cadence.body.updates).toEqual([]);
  });

  it('notifies the requestor of a transition, and signals open pages', async () => {
    const { server, sent, signals } = await startBackend();
    const res = await request(server)
      .post(`${api}/incidents/INC5001/transitions`)
      .send({ to: 'awaiting-customer', note: 'Which pods?' });
    expect(res.status).toBe(201);
    await eventually(() =>
      expect(
        sent.find(s => s.payload.metadata?.event === 'status-change'),
      ).toMatchObject({
        recipients: { entityRef: ['user:default/tom.becker'] },
        payload: { title: 'INC5001 is now Awaiting customer' },
      }),
    );
    await eventually(() =>
      expect(signals).toContainEqual(
        expect.objectContaining({
          message: expect.objectContaining({
            number: 'INC5001',
            change: 'status-change',
          }),
        }),
      ),
    );
  });
});

describe('vendor engagements API', () => {
  it('opens a case, records the response, and lists it with its clock', async () => {
    const { server, sent } = await startBackend();
    const base = Date.now();
    const opened = await request(server)
      .post(`${api}/incidents/INC5001/vendor-engagements`)
      .send({
        vendor: 'tanzu',
        caseId: 'SR-2611-0042',
        openedAt: new Date(base - 50 * MIN).toISOString(),
        note: 'TKG control plane unreachable',
      });
    expect(opened.status).toBe(201);
    // a P2 with Tanzu: 2 h response SLA by default
    expect(opened.body.engagement).toMatchObject({
      number: 'INC5001',
      priority: 'P2',
      vendor: 'tanzu',
      caseId: 'SR-2611-0042',
      responseSla: 120 * MIN,
      responded: false,
      breached: false,
    });
    expect(opened.body.engagement.leftMs).toBeGreaterThan(69 * MIN);
    const id = opened.body.engagement.id;

    const duplicate = await request(server)
      .post(`${api}/incidents/INC5002/vendor-engagements`)
      .send({ vendor: 'tanzu', caseId: 'SR-2611-0042' });
    expect(duplicate.status).toBe(409);

    const breached = await request(server)
      .post(`${api}/incidents/INC5002/vendor-engagements`)
      .send({
        vendor: 'aws',
        caseId: '17612345671',
        openedAt: new Date(Date.now() - 40 * MIN).toISOString(),
        responseSlaMinutes: 15,
      });
    expect(breached.status).toBe(201);
    expect(breached.body.engagement).toMatchObject({
      responseSla: 15 * MIN,
      breached: true,
      leftMs: 0,
    });

    const early = await request(server)
      .patch(`${api}/incidents/INC5001/vendor-engagements/${id}`)
      .send({ respondedAt: new Date(Date.now() - 60 * MIN).toISOString() });
    expect(early.status).toBe(409);
    const answered = await request(server)
      .patch(`${api}/incidents/INC5001/vendor-engagements/${id}`)
      .send({
        respondedAt: new Date(base - 20 * MIN).toISOString(),
        note: 'Broadcom TSE assigned',
      });
    expect(answered.status).toBe(200);
    expect(answered.body.engagement).toMatchObject({
      responded: true,
      breached: false,
      responseNote: 'Broadcom TSE assigned',
    });
    expect(answered.body.engagement.timeToResponseMs).toBe(30 * MIN);
    const again = await request(server)
      .patch(`${api}/incidents/INC5001/vendor-engagements/${id}`)
      .send({});
    expect(again.status).toBe(409);

    const list = await request(server).get(`${api}/vendor-escalations`);
    expect(list.status).toBe(200);
    // newest case first
    expect(list.body.items.map((e: any) => [e.caseId, e.breached])).toEqual([
      ['17612345671', true],
      ['SR-2611-0042', false],
    ]);
    expect(list.body.summary).toEqual([
      {
        vendor: 'tanzu',
        engagements: 1,
        waiting: 0,
        breached: 0,
        medianTimeToResponseMs: 30 * MIN,
      },
      { vendor: 'aws', engagements: 1, waiting: 1, breached: 1 },
    ]);
    const waiting = await request(server).get(
      `${api}/vendor-escalations?status=waiting&vendor=aws`,
    );
    expect(waiting.body.items.map((e: any) => e.caseId)).toEqual([
      '17612345671',
    ]);
    const forIncident = await request(server).get(
      `${api}/incidents/INC5001/vendor-engagements`,
    );
    expect(forIncident.body.items).toHaveLength(1);

    // the vendor liaison and the vendor manager are told (Backstage notifications)
    await eventually(() =>
      expect(
        sent.find(
          s =>
            s.payload.metadata?.event === 'vendor-engaged' &&
            s.payload.title.includes('SR-2611-0042'),
        )?.recipients,
      ).toEqual({
        type: 'entity',
        entityRef: [
          'group:default/tanzu-support',
          'group:default/vendor-managers',
          'user:default/carlos.rivera',
        ],
      }),
    );
  });

  it('refuses bad input (400), unknown incidents and cases (404), and a missing permission (403)', async () => {
    const { server } = await startBackend();
    for (const body of [
      { vendor: 'oracle', caseId: 'X1' },
      { vendor: 'aws' },
      { vendor: 'aws', caseId: 'has spaces' },
      { vendor: 'aws', caseId: 'X1', responseSlaMinutes: 0 },
      {
        vendor: 'aws',
        caseId: 'X1',
        openedAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    ]) {
      const res = await request(server)
        .post(`${api}/incidents/INC5001/vendor-engagements`)
        .send(body);
      expect(res.status).toBe(400);
    }
    expect(
      (
        await request(server)
          .post(`${api}/incidents/INC9999/vendor-engagements`)
          .send({ vendor: 'aws', caseId: 'X1' })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(server)
          .patch(`${api}/incidents/INC5001/vendor-engagements/999`)
          .send({})
      ).status,
    ).toBe(404);
    expect(
      (await request(server).get(`${api}/vendor-escalations?vendor=oracle`))
        .status,
    ).toBe(400);
    expect(
      (await request(server).get(`${api}/vendor-escalations`)).body.items,
    ).toEqual([]);

    const denied = await startBackend({
      deny: ['incident-ops.vendor-engagement.manage'],
    });
    expect(
      (
        await request(denied.server)
          .post(`${api}/incidents/INC5001/vendor-engagements`)
          .send({ vendor: 'aws', caseId: 'X1' })
      ).status,
    ).toBe(403);
    expect(
      (await request(denied.server).get(`${api}/vendor-escalations`)).body
        .items,
    ).toEqual([]);
  });
});
