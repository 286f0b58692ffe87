import { MockFetchApi } from '@backstage/test-utils';
import { IncidentOpsClient } from './IncidentOpsApi';

describe('IncidentOpsClient', () => {
  const discoveryApi = {
    getBaseUrl: async () => 'http://backend/api/incident-ops',
  };

  it('asks for an entity’s incidents with the entity ref encoded', async () => {
    const fetchImpl = jest.fn(
      async (_url: string) =>
        new Response(
          JSON.stringify({ entities: [], items: [], totalOpen: 0 }),
          {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          },
        ),
    );
    const client = new IncidentOpsClient({
      discoveryApi,
      fetchApi: new MockFetchApi({ baseImplementation: fetchImpl as any }),
    });
    await client.getEntityIncidents('resource:default/abrc1l', {
      status: 'all',
    });
    expect(fetchImpl.mock.calls[0][0]).toBe(
      'http://backend/api/incident-ops/incidents?entityRef=resource%3Adefault%2Fabrc1l&status=all',
    );
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
      fetchApi: new MockFetchApi({ baseImplementation: fetchImpl as any }),
    });
    await expect(client.getIncident('INC1')).rejects.toMatchObject({
      name: 'ResponseError',
      body: { error: { name: 'NotFoundError' } },
    });
  });
});
