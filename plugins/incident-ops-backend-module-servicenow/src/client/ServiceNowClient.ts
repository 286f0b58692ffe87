import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ServiceNowAuth } from '../config';
import {
  ServiceNowAuthError,
  ServiceNowRateLimitError,
  ServiceNowRequestError,
  ServiceNowUncertainWriteError,
  ServiceNowUnavailableError,
} from './errors';

/** A raw Table API record: strings, or `{value, display_value}` with display_value=all. */
export type ServiceNowRecord = Record<string, unknown>;

export * from './errors';

/** @public */
export interface ServiceNowClientOptions {
  baseUrl: string;
  auth: ServiceNowAuth;
  logger: LoggerService;
  /** Attempts per request, the first included. Default 6. */
  maxAttempts?: number;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Backoff base and cap for 5xx, timeouts and 429 without Retry-After. Defaults 500 ms and 30 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /**
   * The longest Retry-After the client waits through. A longer one is not slept: the client
   * throws a ServiceNowRateLimitError carrying when to come back. Default 60 s.
   */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  fetch?: typeof fetch;
}

interface Token {
  value: string;
  refreshToken?: string;
  expiresAt: number;
}

const defaultSleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** Connection errors that mean the request never reached ServiceNow. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The Table API client: authentication, one page per call, and retries where they are safe.
 * GETs are retried on 5xx, 408, 409, timeouts and resets; writes (PATCH, POST) only on 429,
 * which ServiceNow sends before doing anything. A write whose answer is lost is thrown as a
 * ServiceNowUncertainWriteError and never sent again here: it may have been applied.
 * @public
 */
export class ServiceNowClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private token?: Token;

  constructor(private readonly options: ServiceNowClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * One page of a table. `hasNext` reflects the `Link` header's rel="next"; `serverDate` is
   * ServiceNow's clock when it answered (its `Date` header), if it sent one.
   */
  async listPage(
    table: string,
    params: Record<string, string>,
  ): Promise<{
    records: ServiceNowRecord[];
    hasNext: boolean;
    serverDate?: Date;
  }> {
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
      serverDate: httpDate(res.headers.get('date')),
    };
  }

  /** One record by sys_id; undefined when ServiceNow answers 404. */
  async getRecord(
    table: string,
    sysId: string,
    fields: string[],
    params: Record<string, string> = {},
  ): Promise<ServiceNowRecord | undefined> {
    const url = new URL(
      `${this.options.baseUrl}/api/now/table/${table}/${encodeURIComponent(
        sysId,
      )}`,
    );
    url.searchParams.set('sysparm_fields', fields.join(','));
    url.searchParams.set('sysparm_exclude_reference_link', 'true');
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    try {
      const res = await this.request(url.toString(), { method: 'GET' });
      return ((await res.json()) as { result: ServiceNowRecord }).result;
    } catch (e) {
      if (e instanceof ServiceNowRequestError && e.status === 404) {
        return undefined;
      }
      throw e;
    }
  }

  /**
   * POSTs one new record (201). ServiceNow creates a record for every POST it receives: a
   * POST whose answer was lost is thrown as a ServiceNowUncertainWriteError and never sent
   * again here; look for it (by a key in one of its fields) before sending another.
   */
  async createRecord(
    table: string,
    fields: Record<string, string>,
    params: Record<string, string> = {},
  ): Promise<ServiceNowRecord> {
    const url = new URL(`${this.options.baseUrl}/api/now/table/${table}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await this.request(url.toString(), {
      method: 'POST',
      body: JSON.stringify(fields),
    });
    const body = (await res.json()) as { result?: ServiceNowRecord };
    if (!body.result || typeof body.result !== 'object') {
      throw new ServiceNowUncertainWriteError(
        `POST ${table}: response has no result record`,
      );
    }
    return body.result;
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
    const write = init.method !== 'GET';
    const what = `${init.method} ${new URL(url).pathname}`;
    let lastError = '';
    let wait = 0;
    let rateLimited = false;
    let renewed = false;
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
        if (write) {
          const code = (e as { cause?: { code?: string } }).cause?.code ?? '';
          throw NOT_SENT.has(code)
            ? new ServiceNowUnavailableError(`${what} failed: ${lastError}`)
            : new ServiceNowUncertainWriteError(
                `${what} may have been applied (no answer: ${lastError})`,
              );
        }
      }
      if (res?.ok) return res;
      wait = this.backoff(attempt);
      rateLimited = res?.status === 429;
      if (res) {
        const error = await readError(res);
        lastError = `${res.status}: ${error.text}`;
        if (res.status === 401 && this.token && !renewed) {
          // an OAuth token revoked early: nothing was done, try once with a new one
          this.token = undefined;
          renewed = true;
          attempt--;
          continue;
        }
        if (res.status === 401 || res.status === 403) {
          if (res.status === 401) this.token = undefined;
          throw new ServiceNowAuthError(
            `${what} was refused with ${lastError}`,
            res.status,
          );
        }
        if (res.status === 429) {
          const asked = retryAfterMs(
            res.headers.get('retry-after'),
            this.now(),
          );
          const cap = this.options.maxRetryAfterMs ?? 60_000;
          if (asked !== undefined && asked > cap) {
            throw new ServiceNowRateLimitError(
              `${what} was rate limited for ${Math.ceil(asked / 1000)} s (${
                error.text
              })`,
              new Date(this.now().getTime() + asked),
            );
          }
          wait = asked ?? wait;
        } else if (res.status >= 500 && write) {
          throw new ServiceNowUncertainWriteError(
            `${what} may have been applied (answered ${lastError})`,
          );
        } else if (res.status === 408 || res.status === 409) {
          // not applied: safe to send again, later
          if (write) {
            throw new ServiceNowUnavailableError(
              `${what} failed with ${lastError}`,
            );
          }
        } else if (res.status < 500) {
          throw new ServiceNowRequestError(
            `${what} failed with ${lastError}`,
            res.status,
            error.message,
            error.detail,
          );
        }
      }
      if (attempt < maxAttempts) {
        this.options.logger.warn(
          `ServiceNow ${what} failed (${lastError}); retry ${attempt} in ${Math.round(
            wait,
          )} ms`,
        );
        await this.sleep(wait);
      }
    }
    const message = `${what} failed after ${maxAttempts} attempts: ${lastError}`;
    if (rateLimited) {
      throw new ServiceNowRateLimitError(
        message,
        new Date(this.now().getTime() + wait),
      );
    }
    throw new ServiceNowUnavailableError(message);
  }

  /** Capped exponential backoff with jitter: between half and all of the step. */
  private backoff(attempt: number): number {
    const base = this.options.backoffBaseMs ?? 500;
    const cap = this.options.backoffCapMs ?? 30_000;
    return Math.min(cap, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
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
        `OAuth token request was refused with ${res.status}: ${
          (await readError(res)).text
        }`,
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

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date); undefined when absent. */
function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** ServiceNow's error envelope `{ error: { message, detail } }`, or the start of the body. */
async function readError(
  res: Response,
): Promise<{ message: string; detail: string; text: string }> {
  const body = await res.text().catch(() => '');
  try {
    const err = JSON.parse(body)?.error;
    if (err?.message) {
      const detail = typeof err.detail === 'string' ? err.detail : '';
      const message = String(err.message);
      return {
        message,
        detail,
        text: detail ? `${message} (${detail})` : message,
      };
    }
  } catch {
    // not JSON
  }
  const text = body.slice(0, 200) || res.statusText;
  return { message: text, detail: '', text };
}

/** An HTTP date header, or undefined when absent or unreadable. */
function httpDate(header: string | null): Date | undefined {
  const date = header ? new Date(header) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
