import express, { Request, Response } from 'express';
import { FaultInjector } from './faults';
import { FormatOptions, formatOptions, formatRecord } from './format';
import { baseUrl, envelope, first, unauthorized } from './http';
import { compileQuery, OrderBy, sortRecords } from './query';
import { SnRecord } from './schema';
import { SimulatorError, SimulatorStore } from './store';

/** One Table API request, after authentication and the table check. */
interface TableRequest {
  req: Request;
  res: Response;
  table: string;
  /** The record's sys_id; absent for the table itself. */
  sysId?: string;
  /** 'v1', 'v2' or absent, from /now/v1/table/…. */
  version?: string;
  /** The authenticated user's user_name. */
  user: string;
}

type TableRoute = (r: TableRequest) => unknown;

function acceptsJson(req: Request) {
  const accept = req.get('accept') ?? '';
  return /application\/json|\*\/\*|application\/\*/i.test(accept);
}

function parseBody(req: Request): Record<string, unknown> {
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
}

function notFound() {
  return new SimulatorError(
    404,
    'No Record found',
    "Record doesn't exist or ACL restricts the record retrieval",
  );
}

/** What ServiceNow answers when table ACLs refuse a read. */
function notAuthorized(table: string) {
  return new SimulatorError(
    403,
    'User Not Authorized',
    `User is unauthorized to access table: ${table}`,
  );
}

/** The Table API, mounted at /api: /now[/v1|/v2]/table/{table}[/{sys_id}]. */
export function createTableApi(options: {
  store: SimulatorStore;
  now: () => Date;
  faults: FaultInjector;
  authenticate: (req: Request) => string | undefined;
}): express.Router {
  const { store, now, faults, authenticate } = options;

  const userSysId = (user: string) =>
    store.rows('sys_user').find(u => u.user_name === user)?.sys_id ?? '';

  const format = (table: string, rec: SnRecord, opts: FormatOptions) =>
    formatRecord(store, table, rec, opts);

  const formatOne = (req: Request, table: string, rec: SnRecord) => ({
    result: format(table, rec, formatOptions(store, req, table)),
  });

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

  // ---- routes on a table: /table/{table} ----

  /**
   * Row-level read ACLs. Only sys_journal_field has any: it is readable with audit_viewer,
   * which the `journalAcl` fault takes away (refused: 403; filtered: rows left out).
   */
  const readable = (table: string): ((rec: SnRecord) => boolean) => {
    if (table !== 'sys_journal_field') return () => true;
    const acl = faults.switches.journalAcl ?? 'allowed';
    if (acl === 'refused') throw notAuthorized(table);
    return () => acl === 'allowed';
  };

  const list: TableRoute = ({ req, res, table, version, user }) => {
    const canRead = readable(table);
    const query = first(req.query.sysparm_query) ?? '';
    const compiled = compileQuery(store, table, query, {
      now: now(),
      userSysId: userSysId(user),
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
    // as in ServiceNow, ACLs filter the page after the limit: a short page is not the end
    const page = matched.slice(offset, offset + limit).filter(canRead);
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
    const opts = formatOptions(store, req, table);
    const schema = store.schema(table)!;
    res.json({
      result: faults.corrupt(schema, page).map(r => format(table, r, opts)),
    });
  };

  const create: TableRoute = ({ req, res, table, user }) => {
    const rec = store.insert(table, parseBody(req), { user });
    if (faults.loseReply(req, res)) return undefined;
    return res
      .status(201)
      .set('Location', `${baseUrl(req)}/api/now/table/${table}/${rec.sys_id}`)
      .json(formatOne(req, table, rec));
  };

  // ---- routes on a record: /table/{table}/{sys_id} ----

  const read: TableRoute = ({ req, res, table, sysId }) => {
    const canRead = readable(table);
    const rec = store.row(table, sysId!);
    if (!rec || !canRead(rec)) throw notFound();
    return res.json(formatOne(req, table, rec));
  };

  const update: TableRoute = ({ req, res, table, sysId, user }) => {
    const body = parseBody(req);
    const rec = store.update(table, sysId!, body, { user });
    if (!rec) throw notFound();
    if (faults.loseReply(req, res)) return undefined;
    return res.json(formatOne(req, table, rec));
  };

  const remove: TableRoute = ({ res, table, sysId }) => {
    if (!store.remove(table, sysId!)) throw notFound();
    return res.status(204).end();
  };

  /** Handlers by HTTP method; any other method gets 405. */
  const tableRoutes: Record<string, TableRoute | undefined> = {
    GET: list,
    POST: create,
  };
  const recordRoutes: Record<string, TableRoute | undefined> = {
    GET: read,
    PATCH: update,
    PUT: update,
    DELETE: remove,
  };

  const router = express.Router();
  router.use((req, _res, next) => {
    const override = req.get('x-http-method-override');
    if (req.method === 'POST' && override) req.method = override.toUpperCase();
    next();
  });
  router.use(faults.latency);
  router.use(faults.tableApiGate);
  router.use((req, res, next) => {
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
  router.use(express.text({ type: () => true, limit: '10mb' }));

  router.all(
    /^\/now(?:\/(v1|v2))?\/table\/([^/]+)(?:\/([^/]+))?\/?$/,
    (req, res, next) => {
      try {
        const version = req.params[0];
        const table = req.params[1];
        const sysId = req.params[2];
        if (!store.hasTable(table)) {
          throw new SimulatorError(404, `Invalid table ${table}`);
        }
        const routes = sysId ? recordRoutes : tableRoutes;
        const route = Object.hasOwn(routes, req.method)
          ? routes[req.method]
          : undefined;
        if (route) {
          const user: string = res.locals.user;
          return route({ req, res, table, sysId, version, user });
        }
        return res
          .status(405)
          .json(
            envelope(
              'Method not Supported',
              `${req.method} is not supported for this resource`,
            ),
          );
      } catch (e) {
        return next(e);
      }
    },
  );
  router.use((_req: Request, res: Response) => {
    res
      .status(400)
      .json(envelope('Requested URI does not represent any resource', ''));
  });
  return router;
}
