import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import {
  ServiceNowAuthError,
  ServiceNowClient,
  ServiceNowUnavailableError,
} from './ServiceNowClient';

const baseUrl = 'https://acme.service-now.test';
const listUrl = `${baseUrl}/api/now/table/incident`;
const envelope = (message: string, detail = '') => ({
  error: { message, detail },
  status: 'failure',
});

describe('ServiceNowClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const sleeps: number[] = [];
  const client = (
    overrides: Partial<ConstructorParameters<typeof ServiceNowClient>[0]> = {},
  ) =>
    new ServiceNowClient({
      baseUrl,
      auth: { type: 'basic', username: 'svc', password: 'pw' },
      logger: mockServices.logger.mock(),
      sleep: async ms => {
        sleeps.push(ms);
      },
      ...overrides,
    });
  beforeEach(() => {
    sleeps.length = 0;
  });

  it('sends basic auth, Accept and the query, and reads Link rel="next"', async () => {
    let seen: Request | undefined;
    server.use(
      http.get(listUrl, ({ request }) => {
        seen = request;
        return HttpResponse.json(
          { result: [{ sys_id: 'a' }] },
          { headers: { Link: `<${listUrl}?sysparm_offset=1>;rel="next"` } },
        );
      }),
    );
    const page = await client().listPage('incident', {
      sysparm_query: 'active=true^ORDERBYsys_id',
      sysparm_limit: '1',
    });
    expect(page).toEqual({ records: [{ sys_id: 'a' }], hasNext: true });
    expect(seen!.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('svc:pw').toString('base64')}`,
    );
    expect(seen!.headers.get('accept')).toBe('application/json');
    const url = new URL(seen!.url);
    expect(url.searchParams.get('sysparm_query')).toBe(
      'active=true^ORDERBYsys_id',
    );
    expect(url.searchParams.get('sysparm_limit')).toBe('1');
  });

  it('honours Retry-After on 429', async () => {
    let calls = 0;
    server.use(
      http.get(listUrl, () =>
        ++calls === 1
          ? HttpResponse.json(envelope('Rate limit exceeded'), {
              status: 429,
              headers: { 'Retry-After': '7' },
            })
          : HttpResponse.json({ result: [] }),
      ),
    );
    await expect(client().listPage('incident', {})).resolves.toEqual({
      records: [],
      hasNext: false,
    });
    expect(calls).toBe(2);
    expect(sleeps).toEqual([7000]);
  });

  it('retries 5xx with capped, jittered exponential backoff', async () => {
    let calls = 0;
    server.use(
      http.get(listUrl, () =>
        ++calls < 5
          ? new HttpResponse('upstream down', { status: calls % 2 ? 503 : 500 })
          : HttpResponse.json({ result: [{ sys_id: 'x' }] }),
      ),
    );
    const page = await client({
      backoffBaseMs: 100,
      backoffCapMs: 300,
    }).listPage('incident', {});
    expect(page.records).toHaveLength(1);
    expect(calls).toBe(5);
    expect(sleeps).toHaveLength(4);
    const caps = [100, 200, 300, 300];
    sleeps.forEach((ms, n) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(caps[n]);
    });
  });

  it('gives up after maxAttempts with the last error', async () => {
    server.use(
      http.get(listUrl, () =>
        HttpResponse.json(envelope('Service Unavailable', 'node down'), {
          status: 503,
        }),
      ),
    );
    await expect(
      client({ maxAttempts: 3 }).listPage('incident', {}),
    ).rejects.toThrow(
      new ServiceNowUnavailableError(
        'GET /api/now/table/incident failed after 3 attempts: 503: Service Unavailable (node down)',
      ),
    );
    expect(sleeps).toHaveLength(2);
  });

  it('retries timeouts', async () => {
    let calls = 0;
    server.use(
      http.get(listUrl, async () => {
        if (++calls === 1) await delay(500);
        return HttpResponse.json({ result: [] });
      }),
    );
    await client({ timeoutMs: 50 }).listPage('incident', {});
    expect(calls).toBe(2);
    expect(sleeps).toHaveLength(1);
  });

  it.each([401, 403])('stops at once on %i with the reason', async status => {
    let calls = 0;
    server.use(
      http.get(listUrl, () => {
        calls++;
        return HttpResponse.json(
          envelope(
            'User Not Authenticated',
            'Required to provide Auth information',
          ),
          { status },
        );
      }),
    );
    const error = await client()
      .listPage('incident', {})
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceNowAuthError);
    expect(error.message).toBe(
      `GET /api/now/table/incident was refused with ${status}: User Not Authenticated (Required to provide Auth information)`,
    );
    expect(calls).toBe(1);
  });

  it('fails on other 4xx without retrying', async () => {
    server.use(
      http.get(listUrl, () =>
        HttpResponse.json(envelope('Invalid table'), { status: 400 }),
      ),
    );
    await expect(client().listPage('incident', {})).rejects.toThrow(
      'GET /api/now/table/incident failed with 400: Invalid table',
    );
    expect(sleeps).toEqual([]);
  });

  it('rejects a body without a result array', async () => {
    server.use(http.get(listUrl, () => HttpResponse.json({ nope: 1 })));
    await expect(client().listPage('incident', {})).rejects.toThrow(
      /no result array/,
    );
  });

  describe('OAuth', () => {
    it('gets a client-credentials token once and sends it as Bearer', async () => {
      const forms: URLSearchParams[] = [];
      const auths: string[] = [];
      server.use(
        http.post(`${baseUrl}/oauth_token.do`, async ({ request }) => {
          forms.push(new URLSearchParams(await request.text()));
          return HttpResponse.json({
            access_token: `tok${forms.length}`,
            refresh_token: 'r1',
            token_type: 'Bearer',
            expires_in: 1799,
          });
        }),
        http.get(listUrl, ({ request }) => {
          auths.push(request.headers.get('authorization')!);
          return HttpResponse.json({ result: [] });
        }),
      );
      const c = client({
        auth: {
          type: 'oauth',
          grantType: 'client_credentials',
          clientId: 'id',
          clientSecret: 'secret',
        },
      });
      await c.listPage('incident', {});
      await c.listPage('incident', {});
      expect(forms).toHaveLength(1);
      expect(Object.fromEntries(forms[0])).toEqual({
        grant_type: 'client_credentials',
        client_id: 'id',
        client_secret: 'secret',
      });
      expect(auths).toEqual(['Bearer tok1', 'Bearer tok1']);
    });

    it('uses the password grant and refreshes a token about to expire', async () => {
      const grants: string[] = [];
      server.use(
        http.post(`${baseUrl}/oauth_token.do`, async ({ request }) => {
          const form = new URLSearchParams(await request.text());
          grants.push(form.get('grant_type')!);
          return HttpResponse.json({
            access_token: `tok${grants.length}`,
            refresh_token: 'r',
            // under the one-minute margin: every call refreshes
            expires_in: 30,
          });
        }),
        http.get(listUrl, () => HttpResponse.json({ result: [] })),
      );
      const c = client({
        auth: {
          type: 'oauth',
          grantType: 'password',
          clientId: 'id',
          clientSecret: 's',
          username: 'u',
          password: 'p',
        },
      });
      await c.listPage('incident', {});
      await c.listPage('incident', {});
      expect(grants).toEqual(['password', 'refresh_token']);
    });

    it('reports a refused token request as an auth error', async () => {
      server.use(
        http.post(`${baseUrl}/oauth_token.do`, () =>
          HttpResponse.json(
            { error: 'access_denied', error_description: 'bad client' },
            { status: 401 },
          ),
        ),
      );
      await expect(
        client({
          auth: {
            type: 'oauth',
            grantType: 'client_credentials',
            clientId: 'id',
            clientSecret: 'bad',
          },
        }).listPage('incident', {}),
      ).rejects.toBeInstanceOf(ServiceNowAuthError);
    });
  });
});
