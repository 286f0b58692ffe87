import { MockFetchApi } from '@backstage/test-utils';
import { fetchByUrl } from './__testUtils__/fetchByUrl';
import { isNotFound } from '../components/common/PageShell';
import { IncidentOpsClient } from './IncidentOpsApi';

describe('IncidentOpsClient: knowledge articles and playbooks', () => {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  const clientWith = (response: () => Response) => {
    const fetchImpl = jest.fn(async (_url: string) => response());
    const client = new IncidentOpsClient({
      discoveryApi: {
        getBaseUrl: async () => 'http://backend/api/incident-ops',
      },
      fetchApi: new MockFetchApi({ baseImplementation: fetchByUrl(fetchImpl) }),
    });
    return { client, urls: () => fetchImpl.mock.calls.map(c => c[0]) };
  };

  it('asks for an article, a playbook and the list at their paths, ids encoded', async () => {
    const { client, urls } = clientWith(() => json({}));
    await client.getKnowledgeArticle('KB0010001');
    await client.getPlaybookDefinition('egress access');
    await client.listPlaybooks();
    expect(urls()).toEqual([
      'http://backend/api/incident-ops/kb/articles/KB0010001',
      'http://backend/api/incident-ops/playbooks/egress%20access',
      'http://backend/api/incident-ops/playbooks',
    ]);
  });

  it('throws an error the pages read as "not found" for a 404, and not for others', async () => {
    const error = (status: number) => ({
      error: { name: status === 404 ? 'NotFoundError' : 'Error', message: 'x' },
      request: { method: 'GET', url: '/kb/articles/KB404' },
      response: { statusCode: status },
    });
    const missing = clientWith(() => json(error(404), 404)).client;
    const failing = clientWith(() => json(error(500), 500)).client;
    const notFound = await missing.getKnowledgeArticle('KB404').catch(e => e);
    const broken = await failing.getPlaybookDefinition('x').catch(e => e);
    expect(notFound.name).toBe('ResponseError');
    expect(isNotFound(notFound)).toBe(true);
    expect(broken.name).toBe('ResponseError');
    expect(isNotFound(broken)).toBe(false);
  });
});
