import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ServiceNowAuth } from '../config';

/** A raw Table API record: strings, or `{value, display_value}` with display_value=all. */
export type ServiceNowRecord = Record<string, unknown>;

/** ServiceNow refused the credentials (401) or the access (403): retrying will not help. */
export class ServiceNowAuthError extends Error {
  name = 'ServiceNowAuthError';
}

/** ServiceNow kept failing after every retry. */
export class ServiceNowUnavailableError extends Error {
  name = 'ServiceNowUnavailableError';
}

export interface ServiceNowClientOptions {
  baseUrl: string;
  auth: ServiceNowAuth;
  logger: LoggerService;
  /** Attempts per request, the first included. Default 6. */
  maxAttempts?: number;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Backoff base and cap for 5xx and timeouts. Defaults 500 ms and 30 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

interface Token {
  value: string;
  refreshToken?: string;
  expiresAt: number;
}

const defaultSleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** The Table API client: authentication, retries, one page per call. */
export class ServiceNowClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private token?: Token;

  constructor(private readonly options: ServiceNowClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** One page of a table. `hasNext` reflects the `Link` header's rel="next". */
  async listPage(
    table: string,
    params: Record<string, string>,
  ): Promise<{ records: ServiceNowRecord[]; hasNext: boolean }> {
    const url = new URL(`${this.options.baseUrl}/api/now/table/${table}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await this.request(url.toString(), { method: 'GET' });
    const body = (await res.json()) as { result?: unknown };
    if (!Array.isArray(body.result)) {
      throw new ServiceNowUnavailableError(
        `GET ${table}: response has no result array`,
      );
    }
    return {
      records: body.result as ServiceNowRecord[],
      hasNext: /rel="next"/.test(res.headers.get('link') ?? ''),
    };
  }

  /** One record by sys_id; undefined when ServiceNow answers 404. */
  async getRecord(
    table: string,
    sysId: string,
    fields: string[],
  ): Promise<ServiceNowRecord | undefined> {
    const url = new URL(
      `${this.options.baseUrl}/api/now/table/${table}/${encodeURIComponent(
        sysId,
      )}`,
    );
    url.searchParams.set('sysparm_fields', fields.join(','));
    url.searchParams.set('sysparm_exclude_reference_link', 'true');
    try {
      const res = await this.request(url.toString(), { method: 'GET' });
      return ((await res.json()) as { result: ServiceNowRecord }).result;
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
  }

  /** PATCHes a record; journal fields (work_notes, comments) are appended by ServiceNow. */
  async patchRecord(
    table: string,
    sysId: string,
    fields: Record<string, string>,
  ): Promise<ServiceNowRecord> {
    const url = new URL(
      `${this.options.baseUrl}/api/now/table/${table}/${encodeURIComponent(
        sysId,
      )}`,
    );
    url.searchParams.set('sysparm_exclude_reference_link', 'true');
    const res = await this.request(url.toString(), {
      method: 'PATCH',
      body: JSON.stringify(fields),
    });
    return ((await res.json()) as { result: ServiceNowRecord }).result;
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    const base = this.options.backoffBaseMs ?? 500;
    const cap = this.options.backoffCapMs ?? 30_000;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      // A refused token request is an auth error, not something to retry.
      const authorization = await this.authorization();
      let res: Response | undefined;
      try {
        res = await this.fetch(url, {
          ...init,
          headers: {
            Accept: 'application/json',
            ...(init.body ? { 'Content-Type': 'application/json' } : {}),
            Authorization: authorization,
          },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (e) {
        lastError = `${(e as Error).name}: ${(e as Error).message}`;
      }
      if (res?.ok) return res;
      if (res && (res.status === 401 || res.status === 403)) {
        if (res.status === 401) this.token = undefined;
        throw new ServiceNowAuthError(
          `${init.method} ${new URL(url).pathname} was refused with ${
            res.status
          }: ${await errorMessage(res)}`,
        );
      }
      let delay = Math.min(cap, base * 2 ** (attempt - 1)) * Math.random();
      if (res) {
        lastError = `${res.status}: ${await errorMessage(res)}`;
        if (res.status === 429) {
          const retryAfter = Number(res.headers.get('retry-after'));
          delay = Number.isFinite(retryAfter) ? retryAfter * 1000 : cap;
        } else if (res.status < 500) {
          throw Object.assign(
            new Error(
              `${init.method} ${
                new URL(url).pathname
              } failed with ${lastError}`,
            ),
            { status: res.status },
          );
        }
      }
      if (attempt < maxAttempts) {
        this.options.logger.warn(
          `ServiceNow ${init.method} ${
            new URL(url).pathname
          } failed (${lastError}); retry ${attempt} in ${Math.round(delay)} ms`,
        );
        await this.sleep(delay);
      }
    }
    throw new ServiceNowUnavailableError(
      `${init.method} ${
        new URL(url).pathname
      } failed after ${maxAttempts} attempts: ${lastError}`,
    );
  }

  private async authorization(): Promise<string> {
    const auth = this.options.auth;
    if (auth.type === 'basic') {
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString(
        'base64',
      )}`;
    }
    // Refresh a minute before the token expires.
    let token = this.token;
    if (!token || token.expiresAt - 60_000 <= Date.now()) {
      token = await this.fetchToken(auth);
      this.token = token;
    }
    return `Bearer ${token.value}`;
  }

  private async fetchToken(
    auth: Extract<ServiceNowAuth, { type: 'oauth' }>,
  ): Promise<Token> {
    const form = new URLSearchParams({
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
    });
    if (this.token?.refreshToken) {
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', this.token.refreshToken);
    } else if (auth.grantType === 'password') {
      form.set('grant_type', 'password');
      form.set('username', auth.username ?? '');
      form.set('password', auth.password ?? '');
    } else {
      form.set('grant_type', 'client_credentials');
    }
    const res = await this.fetch(`${this.options.baseUrl}/oauth_token.do`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    if (!res.ok) {
      if (form.get('grant_type') === 'refresh_token') {
        this.token = undefined;
        return this.fetchToken(auth);
      }
      throw new ServiceNowAuthError(
        `OAuth token request was refused with ${
          res.status
        }: ${await errorMessage(res)}`,
      );
    }
    const body = (await res.json()) as {
      access_token: string;
      refresh_token?: string;
      expires_in?: number;
    };
    return {
      value: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: Date.now() + (body.expires_in ?? 1800) * 1000,
    };
  }
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    const err = body?.error;
    if (err?.message) {
      return err.detail ? `${err.message} (${err.detail})` : err.message;
    }
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || res.statusText;
}
