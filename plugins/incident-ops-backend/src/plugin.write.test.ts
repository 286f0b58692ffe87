import request from 'supertest';
import { startBackend } from './__testUtils__/pluginBackend';

describe('incident-ops plugin', () => {
  describe('workflow transitions', () => {
    const post = (server: any, number: string, body: object) =>
      request(server)
        .post(`/api/incident-ops/incidents/${number}/transitions`)
        .send(body);

    it('moves a ticket, keeps the event, and writes it back through the outbox', async () => {
      const writeBack = jest.fn(async () => ({ outcome: 'written' as const }));
      const { server } = await startBackend({ writeBack });
      const res = await post(server, 'INC13070002', {
        to: 'awaiting-customer',
        note: 'Asked the caller for the DB host',
      });
      expect(res.status).toBe(201);
      expect(res.body.event).toMatchObject({
        type: 'transition',
        from: 'work-in-progress',
        to: 'awaiting-customer',
        actor: 'user:default/mock',
        note: 'Asked the caller for the DB host',
      });
      expect(res.body.writeBack).toEqual({
        key: expect.stringMatching(/^transition:servicenow:2{32}:\d+$/),
        status: 'pending',
      });
      const incident = await request(server).get(
        '/api/incident-ops/incidents/INC13070002',
      );
      expect(incident.body.status).toBe('awaiting-customer');

      // the outbox task delivers it once
      for (let i = 0; i < 100 && writeBack.mock.calls.length === 0; i++) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(writeBack).toHaveBeenCalledTimes(1);
      expect(writeBack).toHaveBeenCalledWith(
        expect.objectContaining({
          key: res.body.writeBack.key,
          number: 'INC13070002',
          status: 'awaiting-customer',
          expectedVersion: 3,
        }),
      );
      let events: any;
      for (let i = 0; i < 50; i++) {
        events = await request(server).get(
          '/api/incident-ops/incidents/INC13070002/events',
        );
        if (events.body.items.length === 2) break;
        await new Promise(r => setTimeout(r, 50));
      }
      expect(events.body.items.map((e: any) => e.type)).toEqual([
        'transition',
        'write-back',
      ]);
      const status = await request(server).get('/api/incident-ops/sync/status');
      expect(status.body.outbox).toEqual({ done: 1 });
    });

    it('answers 409 with the allowed statuses for an illegal move, changing nothing', async () => {
      const { server } = await startBackend();
      const res = await post(server, 'INC13070003', { to: 'work-in-progress' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'INC13070003 cannot go from closed to work-in-progress; allowed from closed: none (it is final)',
      );
      const wip = await post(server, 'INC13070002', { to: 'closed' });
      expect(wip.status).toBe(409);
      expect(wip.body.error.message).toMatch(
        /allowed from work-in-progress: awaiting-customer, escalated, resolved$/,
      );
      const events = await request(server).get(
        '/api/incident-ops/incidents/INC13070002/events',
      );
      expect(events.body.items).toEqual([]);
    });

    it('answers 400 for a bad body or resolving without a note, 404 for an unknown ticket', async () => {
      const { server } = await startBackend();
      expect(
        (await post(server, 'INC13070002', { to: 'burning' })).status,
      ).toBe(400);
      expect((await post(server, 'INC13070002', {})).status).toBe(400);
      expect(
        (await post(server, 'INC13070002', { to: 'resolved', extra: 1 }))
          .status,
      ).toBe(400);
      const noNote = await post(server, 'INC13070002', { to: 'resolved' });
      expect(noNote.status).toBe(400);
      expect(noNote.body.error.message).toMatch(/resolution note/);
      expect(
        (await post(server, 'INC999', { to: 'resolved', note: 'x' })).status,
      ).toBe(404);
      const incident = await request(server).get(
        '/api/incident-ops/incidents/INC13070002',
      );
      expect(incident.body.status).toBe('work-in-progress');
    });

    it('answers 403 without the permission, changing nothing', async () => {
      const { server } = await startBackend({ deny: true });
      const res = await post(server, 'INC13070002', {
        to: 'awaiting-customer',
      });
      expect(res.status).toBe(403);
    });
  });

  describe('manual escalation and the timeline', () => {
    const escalate = (server: any, number: string, body: object) =>
      request(server)
        .post(`/api/incident-ops/incidents/${number}/escalations`)
        .send(body);

    it('moves it one tier up with the reason, writes it back, and explains it in the timeline', async () => {
      const writeBack = jest.fn(async () => ({ outcome: 'written' as const }));
      const { server } = await startBackend({ writeBack });
      const res = await escalate(server, 'INC13070001', {
        trigger: 'stakeholder-request',
        note: 'Area lead asked for the Evangelist',
      });
      expect(res.status).toBe(201);
      expect(res.body.decision).toMatchObject({
        rule: 'manual-stakeholder-request',
        from: 'L2',
        to: 'L3',
        explanation:
          'user:default/mock escalated it (stakeholder-request): Area lead asked for the Evangelist',
      });
      const incident = await request(server).get(
        '/api/incident-ops/incidents/INC13070001',
      );
      expect(incident.body).toMatchObject({ tier: 'L3', status: 'escalated' });
      // (the write-back may already have landed and follow it)
      expect(incident.body.timeline.events.slice(0, 1)).toEqual([
        expect.objectContaining({
          type: 'escalation',
          summary:
            'user:default/mock escalated it (stakeholder-request): Area lead asked for the Evangelist',
          details: expect.objectContaining({
            rule: 'manual-stakeholder-request',
            from: 'L2',
            to: 'L3',
          }),
        }),
      ]);
      expect(incident.body.timeline.clocks).toMatchObject({
        tier: { tier: 'L3', breached: false },
        resolve: { limit: 8 * 3600_000 },
      });
      for (let i = 0; i < 100 && writeBack.mock.calls.length === 0; i++) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(writeBack).toHaveBeenCalledWith(
        expect.objectContaining({
          number: 'INC13070001',
          status: 'escalated',
          assignmentGroup: 'Atlas-L3-Evangelists',
        }),
      );
    });

    it('refuses what cannot be escalated, and bad requests, changing nothing', async () => {
      const { server } = await startBackend();
      const atL3 = await escalate(server, 'INC13070004', {
        trigger: 'complexity',
        note: 'x',
      });
      expect(atL3.status).toBe(409);
      expect(atL3.body.error.message).toMatch(/already at L3/);
      const closed = await escalate(server, 'INC13070003', {
        trigger: 'complexity',
        note: 'x',
      });
      expect(closed.status).toBe(409);
      expect(
        (await escalate(server, 'INC13070001', { trigger: 'vibes', note: 'x' }))
          .status,
      ).toBe(400);
      expect(
        (await escalate(server, 'INC13070001', { trigger: 'complexity' }))
          .status,
      ).toBe(400);
      expect(
        (await escalate(server, 'INC999', { trigger: 'complexity', note: 'x' }))
          .status,
      ).toBe(404);
      const incident = await request(server).get(
        '/api/incident-ops/incidents/INC13070001',
      );
      expect(incident.body).toMatchObject({
        tier: 'L2',
        status: 'work-in-progress',
      });
      expect(incident.body.timeline.events).toEqual([]);
    });

    it('answers 403 without the permission', async () => {
      const { server } = await startBackend({ deny: true });
      expect(
        (
          await escalate(server, 'INC13070001', {
            trigger: 'complexity',
            note: 'x',
          })
        ).status,
      ).toBe(403);
    });
  });
});
