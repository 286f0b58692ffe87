import { MockFetchApi } from '@backstage/test-utils';
import { fetchByUrl } from './__testUtils__/fetchByUrl';
import { IncidentOpsClient } from './IncidentOpsApi';

describe('IncidentOpsClient contacts', () => {
  const discoveryApi = {
    getBaseUrl: async () => 'http://backend/api/incident-ops',
  };
  const client = (fetchImpl: jest.Mock) =>
    new IncidentOpsClient({
      discoveryApi,
      fetchApi: new MockFetchApi({ baseImplementation: fetchByUrl(fetchImpl) }),
    });
  const ok = (body: object) =>
    jest.fn(
      async (_url: string) =>
        new Response(JSON.stringify(body), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
    );

  it('asks for the contact tree of an entity, the ref encoded', async () => {
    const fetchImpl = ok({ entityRef: 'component:default/livelink-api' });
    const tree = await client(fetchImpl).getContacts(
      'component:default/livelink-api',
    );
    expect(fetchImpl.mock.calls[0][0]).toBe(
      'http://backend/api/incident-ops/contacts?entityRef=component%3Adefault%2Flivelink-api',
    );
    expect(tree.entityRef).toBe('component:default/livelink-api');
  });

  it('asks for the ownership matrix, and turns a 403 into a ResponseError', async () => {
    const fetchImpl = jest.fn(
      async (_url: string) =>
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'Not allowed' },
            request: { method: 'GET', url: '/ownership-matrix' },
            response: { statusCode: 403 },
          }),
          { status: 403, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    await expect(client(fetchImpl).getOwnershipMatrix()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
    expect(fetchImpl.mock.calls[0][0]).toBe(
      'http://backend/api/incident-ops/ownership-matrix',
    );
  });
});
