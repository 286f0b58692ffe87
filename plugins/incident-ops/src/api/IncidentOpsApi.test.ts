import { MockFetchApi } from '@backstage/test-utils';
import { fetchByUrl } from './__testUtils__/fetchByUrl';
import { IncidentOpsClient } from './IncidentOpsApi';

describe('IncidentOpsClient', () => {
  const discoveryApi = {
    getBaseUrl: async () => 'http://backend/api/incident-ops',
  };

  it('asks for an entity’s incidents with the entity ref encoded', async () => {
    const fetchImpl = jest.fn(
      async (_url: string) =>
        new Response(
          JSON.stringify({
            entities: [],
            scope: { entities: 0, withConfigurationItem: 0 },
            items: [],
            totalOpen: 0,
          }),
          {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          },
        ),
    );
    const client = new IncidentOpsClient({
      discoveryApi,
      fetchApi: new MockFetchApi({ baseImplementation: fetchByUrl(fetchImpl) }),
    });
    await client.getEntityIncidents('resource:default/abrc1l', {
      status: 'all',
    });
    expect(fetchImpl.mock.calls[0][0]).toBe(
      'http://backend/api/incident-ops/incidents?entityRef=resource%3Adefault%2Fabrc1l&status=all',
    );
  });

  it('sends a POST through fetch middlewares that each copy the request', async () => {
    // Backstage's fetch middlewares build `new Request(input, init)` one after the other; a
    // Request with a body can be copied only once.
    const bodies: string[] = [];
    const fetchApi = {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const copies = [new Request(input, init), new Request(input, init)];
        bodies.push(await copies[1].text());
        return new Response(JSON.stringify({ triggered: ['servicenow'] }), {
          status: 202,
          headers: { 'Content-Type': 'application/json' },
        });
      },
    };
    const client = new IncidentOpsClient({ discoveryApi, fetchApi });
    await expect(client.triggerSync()).resolves.toEqual({
      triggered: ['servicenow'],
    });
    await client.transition('INC1', { to: 'resolved', note: 'fixed' });
    expect(bodies[1] && JSON.parse(bodies[1])).toEqual({
      to: 'resolved',
      note: 'fixed',
    });
  });

  it('turns error responses into ResponseErrors with the backend message', async () => {
    const fetchImpl = async () =>
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'No incident INC1' },
          request: { method: 'GET', url: '/incidents/INC1' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'Content-Type': 'application/json' } },
      );
    const client = new IncidentOpsClient({
      discoveryApi,
      fetchApi: new MockFetchApi({ baseImplementation: fetchByUrl(fetchImpl) }),
    });
    await expect(client.getIncident('INC1')).rejects.toMatchObject({
      name: 'ResponseError',
      body: { error: { name: 'NotFoundError' } },
    });
  });

  describe('sync', () => {
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      });
    const clientWith = (response: () => Response) => {
      const fetchImpl = jest.fn(async (_url: string, _init?: RequestInit) =>
        response(),
      );
      const client = new IncidentOpsClient({
        discoveryApi,
        fetchApi: new MockFetchApi({
          baseImplementation: fetchByUrl(fetchImpl),
        }),
      });
      return { client, fetchImpl };
    };
    const methodOf = (init?: RequestInit) => init?.method ?? 'GET';

    it('reads the sync status', async () => {
      const body = {
        providers: [{ provider: 'servicenow', quarantined: 0, lagSeconds: 5 }],
      };
      const { client, fetchImpl } = clientWith(() => json(body));
      await expect(client.getSyncStatus()).resolves.toEqual(body);
      const [url, init] = fetchImpl.mock.calls[0];
      expect(url).toBe('http://backend/api/incident-ops/sync/status');
      expect(methodOf(init)).toBe('GET');
    });

    it('reads the assignment groups that map to no tier', async () => {
      const body = {
        items: [
          {
            provider: 'servicenow',
            group: { id: 'g9', name: 'Service Desk' },
            open: 2,
            oldestOpenedAt: '2026-11-25T08:00:00.000Z',
          },
          {
            provider: 'servicenow',
            open: 1,
            oldestOpenedAt: '2026-11-25T09:00:00.000Z',
          },
        ],
      };
      const { client, fetchImpl } = clientWith(() => json(body));
      await expect(client.getUnmappedGroups()).resolves.toEqual(body);
      const [url, init] = fetchImpl.mock.calls[0];
      expect(url).toBe('http://backend/api/incident-ops/sync/unmapped-groups');
      expect(methodOf(init)).toBe('GET');
    });

    it('reads the quarantine, with or without provider and limit', async () => {
      const { client, fetchImpl } = clientWith(() => json({ items: [] }));
      await expect(client.getQuarantine()).resolves.toEqual({ items: [] });
      await client.getQuarantine({ provider: 'service now', limit: 50 });
      await client.getQuarantine({ limit: 10 });
      expect(fetchImpl.mock.calls.map(c => c[0])).toEqual([
        'http://backend/api/incident-ops/sync/quarantine',
        'http://backend/api/incident-ops/sync/quarantine?provider=service+now&limit=50',
        'http://backend/api/incident-ops/sync/quarantine?limit=10',
      ]);
      expect(methodOf(fetchImpl.mock.calls[0][1])).toBe('GET');
    });

    it('starts a sync with a POST, for all providers or one', async () => {
      const { client, fetchImpl } = clientWith(() =>
        json({ triggered: ['servicenow'] }, 202),
      );
      await expect(client.triggerSync()).resolves.toEqual({
        triggered: ['servicenow'],
      });
      await client.triggerSync('servicenow');
      expect(fetchImpl.mock.calls[0][0]).toBe(
        'http://backend/api/incident-ops/sync',
      );
      expect(fetchImpl.mock.calls[1][0]).toBe(
        'http://backend/api/incident-ops/sync?provider=servicenow',
      );
      expect(fetchImpl.mock.calls.map(c => methodOf(c[1]))).toEqual([
        'POST',
        'POST',
      ]);
    });

    it.each([
      [403, 'NotAllowedError', 'Not allowed to start a sync'],
      [409, 'ConflictError', 'A sync is already running'],
    ])(
      'turns a %i from POST /sync into a ResponseError',
      async (status, name, message) => {
        const { client } = clientWith(() =>
          json(
            {
              error: { name, message },
              request: { method: 'POST', url: '/sync' },
              response: { statusCode: status },
            },
            status,
          ),
        );
        await expect(client.triggerSync()).rejects.toMatchObject({
          name: 'ResponseError',
          statusCode: status,
          body: { error: { name, message } },
        });
      },
    );

    it('turns errors from the status and quarantine into ResponseErrors', async () => {
      const { client } = clientWith(() =>
        json(
          {
            error: { name: 'NotAllowedError', message: 'Not allowed' },
            request: { method: 'GET', url: '/sync/status' },
            response: { statusCode: 403 },
          },
          403,
        ),
      );
      await expect(client.getSyncStatus()).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 403,
      });
      await expect(client.getQuarantine()).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 403,
      });
    });
  });
});
