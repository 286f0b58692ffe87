import { MockFetchApi } from '@backstage/test-utils';
import { fetchByUrl } from './__testUtils__/fetchByUrl';
import { IncidentOpsClient } from './IncidentOpsApi';

describe('IncidentOpsClient: queue and working a ticket', () => {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const client = new IncidentOpsClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/incident-ops' },
    fetchApi: new MockFetchApi({
      baseImplementation: fetchByUrl(async (url, init) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ items: [] }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }),
    }),
  });
  beforeEach(() => {
    calls.length = 0;
  });
  const last = () => calls[calls.length - 1];

  it('asks for the queue with repeated list filters and the rest once', async () => {
    await client.getQueue({
      priority: ['P1', 'P2'],
      tier: [],
      status: ['escalated'],
      cluster: 'abrc1l',
      sort: 'breaching',
      limit: 25,
      offset: 50,
    });
    expect(last().url).toBe(
      'http://backend/api/incident-ops/queue?priority=P1&priority=P2&status=escalated&cluster=abrc1l&sort=breaching&limit=25&offset=50',
    );
    await client.getQueue();
    expect(last().url).toBe('http://backend/api/incident-ops/queue');
  });

  it('posts transitions, escalations, step outcomes and KB feedback as JSON', async () => {
    await client.transition('INC1', {
      to: 'resolved',
      note: 'done',
      overrideReason: 'verified by hand',
    });
    expect(last().url).toBe(
      'http://backend/api/incident-ops/incidents/INC1/transitions',
    );
    expect(last().init?.method).toBe('POST');
    expect(JSON.parse(String(last().init?.body))).toEqual({
      to: 'resolved',
      note: 'done',
      overrideReason: 'verified by hand',
    });
    await client.escalate('INC1', { trigger: 'complexity', note: 'n' });
    expect(last().url).toMatch(/\/incidents\/INC1\/escalations$/);
    await client.recordPlaybookStep('INC1', 'firewall-rule', {
      status: 'done',
    });
    expect(last().url).toMatch(
      /\/incidents\/INC1\/playbook\/steps\/firewall-rule$/,
    );
    await client.sendKbFeedback('INC1', { articleId: 'KB1', helpful: false });
    expect(last().url).toMatch(/\/incidents\/INC1\/kb-feedback$/);
    expect(JSON.parse(String(last().init?.body))).toEqual({
      articleId: 'KB1',
      helpful: false,
    });
    await client.recordVendorResponse('INC1', 7, {});
    expect(last().url).toMatch(/\/incidents\/INC1\/vendor-engagements\/7$/);
    expect(last().init?.method).toBe('PATCH');
  });

  it('reads suggestions by incident and the failing write-backs', async () => {
    await client.getKbSuggestions('INC1');
    expect(last().url).toBe(
      'http://backend/api/incident-ops/kb/suggestions?incident=INC1',
    );
    await client.getOutbox({ failing: true, limit: 50 });
    expect(last().url).toBe(
      'http://backend/api/incident-ops/sync/outbox?failing=true&limit=50',
    );
    await client.getCommunicationsDue({ limit: 1000 });
    expect(last().url).toBe(
      'http://backend/api/incident-ops/communications/due?limit=1000',
    );
  });

  it('lists refused outbox items and re-queues or discards them', async () => {
    await client.getOutbox({ status: 'refused' });
    expect(last().url).toBe(
      'http://backend/api/incident-ops/sync/outbox?status=refused',
    );
    await client.requeueOutboxItem(7);
    expect(last().url).toBe(
      'http://backend/api/incident-ops/sync/outbox/7/requeue',
    );
    expect(last().init?.method).toBe('POST');
    await client.discardOutboxItem(7);
    expect(last().url).toMatch(/\/sync\/outbox\/7\/discard$/);
    await client.getNotificationOutbox({ status: 'refused', limit: 20 });
    expect(last().url).toBe(
      'http://backend/api/incident-ops/notifications/outbox?status=refused&limit=20',
    );
    await client.requeueNotification(9);
    expect(last().url).toMatch(/\/notifications\/outbox\/9\/requeue$/);
    await client.discardNotification(9);
    expect(last().url).toMatch(/\/notifications\/outbox\/9\/discard$/);
    expect(last().init?.method).toBe('POST');
  });
});
