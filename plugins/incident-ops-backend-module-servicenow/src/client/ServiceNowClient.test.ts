import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import {
  ServiceNowAuthError,
  ServiceNowClient,
  ServiceNowRateLimitError,
  ServiceNowRequestError,
  ServiceNowUncertainWriteError,
  ServiceNowUnavailableError,
} from './ServiceNowClient';

const baseUrl = 'https://acme.service-now.test';
const listUrl = `${baseUrl}/api/now/table/incident`;
const recordUrl = `${listUrl}/0123456789abcdef0123456789abcdef`;
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

  describe('rate limits', () => {
    const now = new Date('2026-12-01T10:00:00Z');

    it('backs off on 429 without Retry-After, never at once', async () => {
      let calls = 0;
      server.use(
        http.get(listUrl, () =>
          ++calls < 4
            ? HttpResponse.json(envelope('Rate limit exceeded'), {
                status: 429,
              })
            : HttpResponse.json({ result: [] }),
        ),
      );
      await client({ backoffBaseMs: 1000, backoffCapMs: 3000 }).listPage(
        'incident',
        {},
      );
      expect(calls).toBe(4);
      // capped exponential steps (1 s, 2 s, 3 s), each with jitter in its upper half
      const steps = [1000, 2000, 3000];
      sleeps.forEach((ms, n) => {
        expect(ms).toBeGreaterThanOrEqual(steps[n] / 2);
        expect(ms).toBeLessThanOrEqual(steps[n]);
      });
    });

    it('does not sleep through a Retry-After above the cap: throws when to come back', async () => {
      server.use(
        http.get(listUrl, () =>
          HttpResponse.json(
            envelope(
              'Rate limit exceeded',
              'Rate limit of 10 requests per hour for Table API exceeded',
            ),
            { status: 429, headers: { 'Retry-After': '900' } },
          ),
        ),
      );
      const error = await client({ maxRetryAfterMs: 60_000, now: () => now })
        .listPage('incident', {})
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceNowRateLimitError);
      expect(error).toBeInstanceOf(ServiceNowUnavailableError);
      expect(error.retryAfter).toEqual(new Date(now.getTime() + 900_000));
      expect(error.message).toBe(
        'GET /api/now/table/incident was rate limited for 900 s (Rate limit exceeded (Rate limit of 10 requests per hour for Table API exceeded))',
      );
      expect(sleeps).toEqual([]);
    });

    it('caps at 60 s by default, and reads Retry-After as an HTTP date too', async () => {
      const at = new Date(now.getTime() + 120_000).toUTCString();
      server.use(
        http.get(listUrl, () =>
          HttpResponse.json(envelope('Rate limit exceeded'), {
            status: 429,
            headers: { 'Retry-After': at },
          }),
        ),
      );
      const error = await client({ now: () => now })
        .listPage('incident', {})
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceNowRateLimitError);
      expect(error.retryAfter).toEqual(new Date(now.getTime() + 120_000));
    });

    it('throws a rate-limit error with retryAfter when 429s keep coming', async () => {
      server.use(
        http.get(listUrl, () =>
          HttpResponse.json(envelope('Rate limit exceeded'), {
            status: 429,
            headers: { 'Retry-After': '2' },
          }),
        ),
      );
      const error = await client({ maxAttempts: 3, now: () => now })
        .listPage('incident', {})
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceNowRateLimitError);
      expect(error.retryAfter).toEqual(new Date(now.getTime() + 2000));
      expect(sleeps).toEqual([2000, 2000]);
    });
  });

  describe('writes', () => {
    const patch = (c = client()) =>
      c.patchRecord('incident', '0123456789abcdef0123456789abcdef', {
        work_notes: 'hello',
      });

    it.each([500, 502, 503, 504])(
      'never sends a PATCH again after a %i: the write may have been applied',
      async status => {
        let calls = 0;
        server.use(
          http.patch(recordUrl, () => {
            calls++;
            return new HttpResponse('<h1>Bad Gateway</h1>', { status });
          }),
        );
        const error = await patch().catch(e => e);
        expect(error).toBeInstanceOf(ServiceNowUncertainWriteError);
        expect(error).toBeInstanceOf(ServiceNowUnavailableError);
        expect(error.message).toBe(
          `PATCH /api/now/table/incident/0123456789abcdef0123456789abcdef may have been applied (answered ${status}: <h1>Bad Gateway</h1>)`,
        );
        expect(calls).toBe(1);
        expect(sleeps).toEqual([]);
      },
    );

    it('never sends a PATCH again after a timeout', async () => {
      let calls = 0;
      server.use(
        http.patch(recordUrl, async () => {
          calls++;
          await delay(500);
          return HttpResponse.json({ result: {} });
        }),
      );
      const error = await patch(client({ timeoutMs: 50 })).catch(e => e);
      expect(error).toBeInstanceOf(ServiceNowUncertainWriteError);
      expect(calls).toBe(1);
    });

    it('never sends a PATCH again after a connection reset', async () => {
      let calls = 0;
      server.use(
        http.patch(recordUrl, () => {
          calls++;
          return HttpResponse.error();
        }),
      );
      await expect(patch()).rejects.toBeInstanceOf(
        ServiceNowUncertainWriteError,
      );
      expect(calls).toBe(1);
    });

    it('reports a connection refused as not sent (not uncertain)', async () => {
      const refused = Object.assign(new TypeError('fetch failed'), {
        cause: { code: 'ECONNREFUSED' },
      });
      const error = await patch(
        client({
          fetch: async () => {
            throw refused;
          },
        }),
      ).catch(e => e);
      expect(error).toBeInstanceOf(ServiceNowUnavailableError);
      expect(error).not.toBeInstanceOf(ServiceNowUncertainWriteError);
    });

    it('retries a PATCH refused with 429 (not applied), after Retry-After', async () => {
      let calls = 0;
      server.use(
        http.patch(recordUrl, () =>
          ++calls === 1
            ? HttpResponse.json(envelope('Rate limit exceeded'), {
                status: 429,
                headers: { 'Retry-After': '3' },
              })
            : HttpResponse.json({ result: { sys_mod_count: '5' } }),
        ),
      );
      expect(await patch()).toEqual({ sys_mod_count: '5' });
      expect(calls).toBe(2);
      expect(sleeps).toEqual([3000]);
    });

    it.each([408, 409])(
      'throws a %i on a write as transient, without sending it again',
      async status => {
        let calls = 0;
        server.use(
          http.patch(recordUrl, () => {
            calls++;
            return HttpResponse.json(envelope('Conflict'), { status });
          }),
        );
        const error = await patch().catch(e => e);
        expect(error).toBeInstanceOf(ServiceNowUnavailableError);
        expect(error).not.toBeInstanceOf(ServiceNowUncertainWriteError);
        expect(calls).toBe(1);
      },
    );

    it("throws other 4xx as a request error with ServiceNow's message and detail", async () => {
      server.use(
        http.patch(recordUrl, () =>
          HttpResponse.json(
            envelope(
              'Operation Failed',
              'Error during update of incident (INC0010001)',
            ),
            { status: 400 },
          ),
        ),
      );
      const error = await patch().catch(e => e);
      expect(error).toBeInstanceOf(ServiceNowRequestError);
      expect(error).toMatchObject({
        status: 400,
        snMessage: 'Operation Failed',
        snDetail: 'Error during update of incident (INC0010001)',
      });
      expect(sleeps).toEqual([]);
    });
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

    it('gets a new token once when one is refused (401) before its time, even for a write', async () => {
      let tokens = 0;
      const auths: string[] = [];
      server.use(
        http.post(`${baseUrl}/oauth_token.do`, () =>
          HttpResponse.json({
            access_token: `tok${++tokens}`,
            expires_in: 1799,
          }),
        ),
        http.patch(recordUrl, ({ request }) => {
          auths.push(request.headers.get('authorization')!);
          return auths.length === 1
            ? HttpResponse.json(envelope('User Not Authenticated'), {
                status: 401,
              })
            : HttpResponse.json({ result: { sys_mod_count: '2' } });
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
      expect(
        await c.patchRecord('incident', '0123456789abcdef0123456789abcdef', {
          work_notes: 'x',
        }),
      ).toEqual({ sys_mod_count: '2' });
      expect(auths).toEqual(['Bearer tok1', 'Bearer tok2']);
      expect(sleeps).toEqual([]);
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
