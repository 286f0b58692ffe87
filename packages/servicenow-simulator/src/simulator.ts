import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { NextFunction, Request, Response } from 'express';
import { compileQuery, fieldGetter, OrderBy, sortRecords } from './query';
import { SnRecord } from './schema';
import { loadGeneratedIncidents, loadSeed, seedSysId } from './seed';
import { SimulatorError, SimulatorStore } from './store';

export interface SimulatorOptions {
  /** Clock; default () => new Date(). */
  now?: () => Date;
  /** Load the realistic seed (default true). */
  seed?: boolean;
  /** Seed timestamps are relative to this (default: now() at creation). */
  seedAnchor?: Date;
  /** Extra synthetic incidents (e.g. 100000 for benchmarks), default 0. */
  generatedIncidents?: number;
  /** Basic-auth users; default [{ username: 'admin', password: 'admin' }]. */
  users?: { username: string; password: string }[];
  /** OAuth clients; default [{ clientId: 'incident-ops', clientSecret: 'secret' }]. */
  oauthClients?: { clientId: string; clientSecret: string }[];
}

/** Fault switches; mutate the object (or PUT /sim/faults) to change behaviour. */
export interface Faults {
  /** Every Nth Table API request → 429. */
  rateLimitEvery?: number;
  /** Retry-After on 429 responses (default 1). */
  retryAfterSeconds?: number;
  /** 0..1 share of Table API requests answered with 503. */
  errorRate?: number;
  /** Delay before answering Table API and OAuth requests. */
  latencyMs?: number;
  /** 0..1 share of records in each list page that are corrupted. */
  garbageRate?: number;
  /** Every Table API and OAuth request → 401. */
  authFailure?: boolean;
}

export interface RunningSimulator {
  url: string;
  close(): Promise<void>;
}

export interface Simulator {
  app: express.Express;
  store: SimulatorStore;
  faults: Faults;
  listen(port?: number, host?: string): Promise<RunningSimulator>;
}

const FAULT_KEYS: (keyof Faults)[] = [
  'rateLimitEvery',
  'retryAfterSeconds',
  'errorRate',
  'latencyMs',
  'garbageRate',
  'authFailure',
];

const ACCESS_TOKEN_SECONDS = 1799;
const REFRESH_TOKEN_SECONDS = 8_640_000;
const RATE_LIMIT_RULE = seedSysId('sys_rate_limit_rules', 'table-api');
const MISSING_CI = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0';

/** mulberry32: small seeded PRNG so fault behaviour is reproducible. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function envelope(message: string, detail: string = '') {
  return { error: { message, detail }, status: 'failure' };
}

function first(v: unknown): string | undefined {
  if (Array.isArray(v)) return first(v[0]);
  return typeof v === 'string' ? v : undefined;
}

interface Token {
  user: string;
  clientId: string;
  expiresAt: number;
}

type DisplayMode = 'false' | 'true' | 'all';

interface FormatOptions {
  display: DisplayMode;
  excludeLinks: boolean;
  fields?: string[];
  baseUrl: string;
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const now = options.now ?? (() => new Date());
  const anchor = options.seedAnchor ?? now();
  const users = options.users ?? [{ username: 'admin', password: 'admin' }];
  const clients = options.oauthClients ?? [
    { clientId: 'incident-ops', clientSecret: 'secret' },
  ];
  let idRandom = prng(7);
  let faultRandom = prng(42);
  const newId = () => {
    let id = '';
    for (let i = 0; i < 4; i++) {
      id += Math.floor(idRandom() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    }
    return id;
  };
  const store = new SimulatorStore(now, newId);
  const faults: Faults = {};
  const accessTokens = new Map<string, Token>();
  const refreshTokens = new Map<string, Token>();
  let requestCount = 0;

  const load = () => {
    store.clear();
    loadGeneratedIncidents(store, anchor, options.generatedIncidents ?? 0);
    if (options.seed !== false) loadSeed(store, anchor);
  };
  load();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // ---- simulator administration (unauthenticated) ----
  app.get('/sim/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/sim/faults', (_req, res) => {
    res.json(faults);
  });
  app.put('/sim/faults', express.json(), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    for (const k of FAULT_KEYS) delete faults[k];
    for (const k of FAULT_KEYS) {
      if (body[k] !== undefined && body[k] !== null) {
        (faults as Record<string, unknown>)[k] = body[k];
      }
    }
    res.json(faults);
  });
  app.post('/sim/reset', (_req, res) => {
    load();
    for (const k of FAULT_KEYS) delete faults[k];
    requestCount = 0;
    idRandom = prng(7);
    faultRandom = prng(42);
    res.json({ status: 'ok' });
  });

  const latency = (_req: Request, _res: Response, next: NextFunction) => {
    if (faults.latencyMs && faults.latencyMs > 0) {
      setTimeout(next, faults.latencyMs);
    } else {
      next();
    }
  };

  const unauthorized = (res: Response) => {
    res
      .status(401)
      .set('WWW-Authenticate', 'BASIC realm="Service-now"')
      .json(
        envelope(
          'User Not Authenticated',
          'Required to provide Auth information',
        ),
      );
  };

  // ---- OAuth ----
  const issue = (user: string, clientId: string, refresh?: string) => {
    const t = now().getTime();
    const access = randomBytes(32).toString('base64url');
    accessTokens.set(access, {
      user,
      clientId,
      expiresAt: t + ACCESS_TOKEN_SECONDS * 1000,
    });
    let refreshToken = refresh;
    if (!refreshToken) {
      refreshToken = randomBytes(32).toString('base64url');
      refreshTokens.set(refreshToken, {
        user,
        clientId,
        expiresAt: t + REFRESH_TOKEN_SECONDS * 1000,
      });
    }
    return {
      access_token: access,
      refresh_token: refreshToken,
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
    };
  };

  app.post(
    '/oauth_token.do',
    latency,
    express.urlencoded({ extended: false }),
    (req, res) => {
      const denied = () =>
        res
          .status(401)
          .json({ error: 'server_error', error_description: 'access_denied' });
      if (faults.authFailure) return denied();
      const body = (req.body ?? {}) as Record<string, string>;
      let clientId = body.client_id;
      let clientSecret = body.client_secret;
      const auth = req.get('authorization');
      if (!clientId && auth?.startsWith('Basic ')) {
        const decoded = Buffer.from(auth.slice(6), 'base64').toString();
        const i = decoded.indexOf(':');
        clientId = decoded.slice(0, i);
        clientSecret = decoded.slice(i + 1);
      }
      const client = clients.find(
        c => c.clientId === clientId && c.clientSecret === clientSecret,
      );
      if (!client) return denied();
      switch (body.grant_type) {
        case 'password': {
          const user = users.find(
            u => u.username === body.username && u.password === body.password,
          );
          if (!user) return denied();
          return res.json(issue(user.username, client.clientId));
        }
        case 'client_credentials':
          return res.json(issue(client.clientId, client.clientId));
        case 'refresh_token': {
          const t = refreshTokens.get(body.refresh_token ?? '');
          if (
            !t ||
            t.clientId !== client.clientId ||
            t.expiresAt <= now().getTime()
          ) {
            return denied();
          }
          return res.json(issue(t.user, client.clientId, body.refresh_token));
        }
        default:
          return res.status(400).json({
            error: 'unsupported_grant_type',
            error_description: `Unsupported grant type: ${
              body.grant_type ?? ''
            }`,
          });
      }
    },
  );

  // ---- Table API ----
  const authenticate = (req: Request): string | undefined => {
    const auth = req.get('authorization') ?? '';
    if (auth.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString();
      const i = decoded.indexOf(':');
      const user = users.find(
        u =>
          i > 0 &&
          u.username === decoded.slice(0, i) &&
          u.password === decoded.slice(i + 1),
      );
      return user?.username;
    }
    if (auth.startsWith('Bearer ')) {
      const t = accessTokens.get(auth.slice(7).trim());
      if (t && t.expiresAt > now().getTime()) return t.user;
      return undefined;
    }
    return undefined;
  };

  const acceptsJson = (req: Request) => {
    const accept = req.get('accept') ?? '';
    return /application\/json|\*\/\*|application\/\*/i.test(accept);
  };

  const tableApi = express.Router();
  tableApi.use((req, _res, next) => {
    const override = req.get('x-http-method-override');
    if (req.method === 'POST' && override) req.method = override.toUpperCase();
    next();
  });
  tableApi.use(latency);
  tableApi.use((req, res, next) => {
    if (faults.authFailure) return unauthorized(res);
    requestCount++;
    if (faults.rateLimitEvery && faults.rateLimitEvery > 0) {
      const retryAfter = faults.retryAfterSeconds ?? 1;
      res.set({
        'X-RateLimit-Limit': '100',
        'X-RateLimit-Reset': String(
          Math.floor(now().getTime() / 1000) + retryAfter,
        ),
        'X-RateLimit-Rule': RATE_LIMIT_RULE,
      });
      if (requestCount % faults.rateLimitEvery === 0) {
        return res
          .status(429)
          .set('Retry-After', String(retryAfter))
          .json(
            envelope(
              'Rate limit exceeded',
              'Rate limit of 100 requests per hour for Table API exceeded',
            ),
          );
      }
    }
    if (faults.errorRate && faultRandom() < faults.errorRate) {
      return res
        .status(503)
        .json(
          envelope(
            'Service Unavailable',
            'The server is temporarily unable to handle the request',
          ),
        );
    }
    const user = authenticate(req);
    if (!user) return unauthorized(res);
    res.locals.user = user;
    if (!acceptsJson(req)) {
      return res
        .status(400)
        .json(
          envelope(
            'Accept header missing or not supported',
            'Set Accept: application/json',
          ),
        );
    }
    if (['POST', 'PUT', 'PATCH'].includes(req.method)) {
      if (!/^application\/json\b/i.test(req.get('content-type') ?? '')) {
        return res
          .status(400)
          .json(
            envelope(
              'Content-Type header missing or not supported',
              'Set Content-Type: application/json',
            ),
          );
      }
    }
    return next();
  });
  tableApi.use(express.text({ type: () => true, limit: '10mb' }));

  const baseUrl = (req: Request) => `${req.protocol}://${req.get('host')}`;

  const userSysId = (user: string) =>
    store.rows('sys_user').find(u => u.user_name === user)?.sys_id ?? '';

  const formatOptions = (req: Request, table: string): FormatOptions => {
    const dv = (
      first(req.query.sysparm_display_value) ?? 'false'
    ).toLowerCase();
    const fieldsParam = first(req.query.sysparm_fields);
    const fields = fieldsParam
      ?.split(',')
      .map(f => f.trim())
      .filter(f => f && fieldGetter(store, table, f));
    return {
      display: dv === 'true' || dv === 'all' ? dv : 'false',
      excludeLinks:
        (first(req.query.sysparm_exclude_reference_link) ?? '') === 'true',
      fields: fieldsParam !== undefined ? fields : undefined,
      baseUrl: baseUrl(req),
    };
  };

  /** Resolves the table and final column a (possibly dot-walked) field ends on. */
  const fieldTarget = (table: string, field: string) => {
    let t = table;
    const parts = field.split('.');
    for (let i = 0; i < parts.length - 1; i++) {
      t = store.schema(t)!.references[parts[i]];
    }
    return { table: t, column: parts[parts.length - 1] };
  };

  const displayOf = (table: string, column: string, value: string): string => {
    const schema = store.schema(table)!;
    if (schema.journal.includes(column)) return '';
    const ref = schema.references[column];
    if (ref) {
      if (!value) return '';
      const target = store.row(ref, value);
      return target ? target[store.schema(ref)!.displayField] ?? '' : '';
    }
    const choices = schema.choices[column];
    if (choices && value) return choices[value] ?? value;
    return value;
  };

  const format = (table: string, rec: SnRecord, opts: FormatOptions) => {
    const schema = store.schema(table)!;
    const fields =
      opts.fields ?? schema.fields.filter(f => rec[f] !== undefined);
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const { table: t, column } = fieldTarget(table, field);
      const fSchema = store.schema(t)!;
      let value = rec[field] ?? '';
      if (field.includes('.')) value = fieldGetter(store, table, field)!(rec);
      if (fSchema.journal.includes(column)) value = '';
      const ref = fSchema.references[column];
      const link =
        ref && value && !opts.excludeLinks
          ? `${opts.baseUrl}/api/now/table/${ref}/${value}`
          : undefined;
      if (opts.display === 'false') {
        out[field] = link ? { link, value } : value;
      } else if (opts.display === 'true') {
        const display = displayOf(t, column, value);
        out[field] = link ? { display_value: display, link } : display;
      } else {
        const display = displayOf(t, column, value);
        out[field] = link
          ? { display_value: display, value, link }
          : { display_value: display, value };
      }
    }
    return out;
  };

  /** Corrupts an evenly spread, deterministic share of a page (copies). */
  const corrupt = (table: string, page: SnRecord[]): SnRecord[] => {
    const rate = faults.garbageRate ?? 0;
    if (rate <= 0) return page;
    const schema = store.schema(table)!;
    let k = 0;
    return page.map((rec, i) => {
      if (Math.floor((i + 1) * rate) <= Math.floor(i * rate)) return rec;
      const bad = { ...rec };
      const kind = k++ % 4;
      if (kind === 1 && schema.fields.includes('priority')) bad.priority = '9';
      else if (kind === 2 && schema.fields.includes('opened_at')) {
        bad.opened_at = 'not-a-date';
      } else if (kind === 2) bad.sys_updated_on = 'not-a-date';
      else if (kind === 3 && schema.fields.includes('cmdb_ci')) {
        bad.cmdb_ci = MISSING_CI;
      } else delete bad.sys_id;
      return bad;
    });
  };

  const parseBody = (req: Request): Record<string, unknown> => {
    const text = typeof req.body === 'string' ? req.body : '';
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      throw new SimulatorError(
        400,
        'Exception while reading request',
        'The payload is not valid JSON.',
      );
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new SimulatorError(
        400,
        'Exception while reading request',
        'The payload must be a single JSON object.',
      );
    }
    return body as Record<string, unknown>;
  };

  const notFound = () =>
    new SimulatorError(
      404,
      'No Record found',
      "Record doesn't exist or ACL restricts the record retrieval",
    );

  // Sorted copies of whole tables, reused while the store is unchanged, so
  // that paging through a large table doesn't re-sort it for every page.
  const sortCache = new Map<string, { version: number; rows: SnRecord[] }>();
  const sortedRows = (table: string, orderBy: OrderBy[]): SnRecord[] => {
    if (orderBy.length === 0) return store.rows(table);
    const key = `${table}|${orderBy
      .map(o => `${o.field}:${o.desc}`)
      .join(',')}`;
    const hit = sortCache.get(key);
    if (hit && hit.version === store.version) return hit.rows;
    const rows = sortRecords(store, table, store.rows(table), orderBy);
    if (sortCache.size >= 8) sortCache.clear();
    sortCache.set(key, { version: store.version, rows });
    return rows;
  };

  const list = (
    req: Request,
    res: Response,
    table: string,
    version?: string,
  ) => {
    const query = first(req.query.sysparm_query) ?? '';
    const compiled = compileQuery(store, table, query, {
      now: now(),
      userSysId: userSysId(res.locals.user),
    });
    const rows = sortedRows(table, compiled.orderBy);
    const limitParam = Number(first(req.query.sysparm_limit));
    const limit =
      Number.isInteger(limitParam) && limitParam > 0 ? limitParam : 10000;
    const offsetParam = Number(first(req.query.sysparm_offset));
    const offset =
      Number.isInteger(offsetParam) && offsetParam > 0 ? offsetParam : 0;
    const noCount = first(req.query.sysparm_no_count) === 'true';

    // Keyset paging: with ORDERBYsys_id and sys_id>X, start after X.
    let start = 0;
    const after = compiled.sysIdAfter;
    if (
      after &&
      compiled.orderBy[0]?.field === 'sys_id' &&
      !compiled.orderBy[0].desc
    ) {
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const id = rows[mid].sys_id;
        if (id < after.value || (!after.inclusive && id === after.value))
          lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    // Without a count there is no need to look further than the next page.
    const wanted = noCount ? offset + limit + 1 : Infinity;
    const matched: SnRecord[] = [];
    for (let i = start; i < rows.length && matched.length < wanted; i++) {
      if (compiled.matchAll || compiled.matches(rows[i])) matched.push(rows[i]);
    }
    const total = noCount ? undefined : matched.length;
    const hasNext = offset + limit < matched.length;
    const page = matched.slice(offset, offset + limit);
    if (page.length === 0 && version === 'v1') {
      throw new SimulatorError(
        404,
        'No Record found',
        'Records matching query not found. Check query parameter or offset parameter',
      );
    }
    if (total !== undefined) res.set('X-Total-Count', String(total));
    const suppress =
      first(req.query.sysparm_suppress_pagination_header) === 'true';
    if (!suppress && (offset > 0 || hasNext)) {
      const link = (o: number, rel: string) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(req.query)) {
          if (k !== 'sysparm_offset' && k !== 'sysparm_limit') {
            params.set(k, first(v) ?? '');
          }
        }
        params.set('sysparm_limit', String(limit));
        params.set('sysparm_offset', String(o));
        return `<${baseUrl(req)}${req.baseUrl}${
          req.path
        }?${params}>;rel="${rel}"`;
      };
      const links = [link(0, 'first')];
      if (offset > 0) links.push(link(Math.max(0, offset - limit), 'prev'));
      if (hasNext) links.push(link(offset + limit, 'next'));
      // With sysparm_no_count the total is unknown, so there is no "last".
      if (total !== undefined) {
        const last = total > 0 ? Math.floor((total - 1) / limit) * limit : 0;
        links.push(link(last, 'last'));
      }
      res.set('Link', links.join(','));
    }
    const opts = formatOptions(req, table);
    res.json({ result: corrupt(table, page).map(r => format(table, r, opts)) });
  };

  tableApi.all(
    /^\/now(?:\/(v1|v2))?\/table\/([^/]+)(?:\/([^/]+))?\/?$/,
    (req, res, next) => {
      try {
        const version = req.params[0];
        const table = req.params[1];
        const sysId = req.params[2];
        const user: string = res.locals.user;
        if (!store.hasTable(table)) {
          throw new SimulatorError(404, `Invalid table ${table}`);
        }
        const method = req.method;
        if (!sysId) {
          if (method === 'GET') return list(req, res, table, version);
          if (method === 'POST') {
            const rec = store.insert(table, parseBody(req), { user });
            return res
              .status(201)
              .set(
                'Location',
                `${baseUrl(req)}/api/now/table/${table}/${rec.sys_id}`,
              )
              .json({ result: format(table, rec, formatOptions(req, table)) });
          }
        } else {
          if (method === 'GET') {
            const rec = store.row(table, sysId);
            if (!rec) throw notFound();
            return res.json({
              result: format(table, rec, formatOptions(req, table)),
            });
          }
          if (method === 'PATCH' || method === 'PUT') {
            const body = parseBody(req);
            const rec = store.update(table, sysId, body, { user });
            if (!rec) throw notFound();
            return res.json({
              result: format(table, rec, formatOptions(req, table)),
            });
          }
          if (method === 'DELETE') {
            if (!store.remove(table, sysId)) throw notFound();
            return res.status(204).end();
          }
        }
        return res
          .status(405)
          .json(
            envelope(
              'Method not Supported',
              `${method} is not supported for this resource`,
            ),
          );
      } catch (e) {
        return next(e);
      }
    },
  );
  tableApi.use((_req: Request, res: Response) => {
    res
      .status(400)
      .json(envelope('Requested URI does not represent any resource', ''));
  });

  app.use('/api', tableApi);

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SimulatorError) {
      res.status(err.status).json(envelope(err.message, err.detail));
      return;
    }
    const e = err as { status?: number; type?: string; message?: string };
    if (e?.type === 'entity.too.large' || e?.status === 413) {
      res
        .status(413)
        .json(envelope('Request entity too large', e.message ?? ''));
      return;
    }
    res
      .status(500)
      .json(envelope('Internal server error', String(e?.message ?? err)));
  });

  const listen = (port = 0, host = '127.0.0.1') =>
    new Promise<RunningSimulator>((resolve, reject) => {
      const server = app.listen(port, host);
      server.once('error', reject);
      server.once('listening', () => {
        const addr = server.address() as AddressInfo;
        const h = host.includes(':') ? `[${host}]` : host;
        resolve({
          url: `http://${h}:${addr.port}`,
          close: () =>
            new Promise<void>((res, rej) => {
              server.closeAllConnections?.();
              server.close(err => (err ? rej(err) : res()));
            }),
        });
      });
    });

  return { app, store, faults, listen };
}
