import { MockFetchApi } from '@backstage/test-utils';
import { fetchByUrl } from './__testUtils__/fetchByUrl';
import { IncidentOpsClient } from './IncidentOpsApi';

describe('IncidentOpsClient: reporting an incident', () => {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const client = new IncidentOpsClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/incident-ops' },
    fetchApi: new MockFetchApi({
      baseImplementation: fetchByUrl(async (url, init) => {
        calls.push({ url, init });
        return new Response('{}', {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }),
    }),
  });
  beforeEach(() => calls.splice(0));

  it('sends the draft text in a JSON body, whatever it contains', async () => {
    const text = `Egress (TCP 2049) & "quotes" + #hash ü ${'x'.repeat(4000)}`;
    await client.previewIncidentDraft({
      shortDescription: 'NFS (TCP 2049) & co',
      description: text,
      impact: '1',
      urgency: '2',
    });
    expect(calls).toHaveLength(1);
    const [{ url, init }] = calls;
    expect(url).toBe('http://backend/api/incident-ops/incidents/drafts');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({
      shortDescription: 'NFS (TCP 2049) & co',
      description: text,
      impact: '1',
      urgency: '2',
    });
  });

  it('reports, reads the report by its key, and records a deflection at their paths', async () => {
    const clientKey = '0b6a9f0e-5c1e-4d3a-9f57-3c1d2e4f5a6b';
    await client.reportIncident({
      clientKey,
      shortDescription: 'x',
      impact: '3',
      urgency: '3',
      entityRef: 'resource:default/livelink-prod',
    });
    await client.getIncidentReport(clientKey);
    await client.recordDeflection({ articleId: 'KB0010001', text: 'x' });
    expect(calls.map(c => `${c.init.method} ${c.url}`)).toEqual([
      'POST http://backend/api/incident-ops/incidents',
      `GET http://backend/api/incident-ops/incidents/reports/${clientKey}`,
      'POST http://backend/api/incident-ops/kb/deflections',
    ]);
    expect(JSON.parse(String(calls[0].init.body)).clientKey).toBe(clientKey);
  });
});
