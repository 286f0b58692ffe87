import { MockFetchApi } from '@backstage/test-utils';
import { fetchByUrl } from './__testUtils__/fetchByUrl';
import { IncidentOpsClient } from './IncidentOpsApi';

describe('IncidentOpsClient: post-resolution surveys', () => {
  it('reads and answers an incident’s survey at its path', async () => {
    const fetchImpl = jest.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(JSON.stringify({ survey: { rating: 4 } }), {
          status: 201,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    const client = new IncidentOpsClient({
      discoveryApi: {
        getBaseUrl: async () => 'http://backend/api/incident-ops',
      },
      fetchApi: new MockFetchApi({ baseImplementation: fetchByUrl(fetchImpl) }),
    });
    await client.getSurvey('INC13100001');
    expect(
      await client.submitSurvey('INC13100001', { rating: 4, comment: 'Quick' }),
    ).toEqual({ survey: { rating: 4 } });
    expect(fetchImpl.mock.calls.map(c => c[0])).toEqual([
      'http://backend/api/incident-ops/incidents/INC13100001/survey',
      'http://backend/api/incident-ops/incidents/INC13100001/survey',
    ]);
    const init = fetchImpl.mock.calls[1][1]!;
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({
      rating: 4,
      comment: 'Quick',
    });
  });
});
