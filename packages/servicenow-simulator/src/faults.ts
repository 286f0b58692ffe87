import { NextFunction, Request, RequestHandler, Response } from 'express';
import { envelope, unauthorized } from './http';
import { prng } from './random';
import { SnRecord, TableSchema } from './schema';
import { seedSysId } from './seed';

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
  /**
   * 429s without Retry-After nor X-RateLimit-* headers, as when the instance's API_INT
   * semaphore queue is full rather than a rate limit rule being hit.
   */
  rateLimitWithoutRetryAfter?: boolean;
  /**
   * Read access to sys_journal_field (granted by audit_viewer): `allowed` (default),
   * `refused` (403 with ServiceNow's error envelope) or `filtered` (200, the rows left out,
   * as row ACLs do).
   */
  journalAcl?: 'allowed' | 'refused' | 'filtered';
  /** 0..1 share of Table API writes (POST, PUT, PATCH) applied, then their reply lost. */
  lostReplyRate?: number;
  /** How a reply is lost: a 502 from a proxy (default) or the connection reset. */
  lostReplyAs?: '502' | 'reset';
}

/** Every switch of {@link Faults}; PUT /sim/faults and reset go by this list. */
const FAULT_KEYS: (keyof Faults)[] = [
  'rateLimitEvery',
  'retryAfterSeconds',
  'errorRate',
  'latencyMs',
  'garbageRate',
  'authFailure',
  'rateLimitWithoutRetryAfter',
  'journalAcl',
  'lostReplyRate',
  'lostReplyAs',
];

const RATE_LIMIT_RULE = seedSysId('sys_rate_limit_rules', 'table-api');
const MISSING_CI = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0';

/** The fault switches and the state (request count, PRNG) they act on. */
export interface FaultInjector {
  /** The switches; the simulator hands this object out as `faults`. */
  switches: Faults;
  /** Replaces every switch with the ones set in `body`. */
  set(body: Record<string, unknown>): void;
  /** Clears every switch, the request count and the PRNG. */
  reset(): void;
  /** Delays the request by `latencyMs`. */
  latency: RequestHandler;
  /** First step of every Table API request: 401, 429 and 503 faults. */
  tableApiGate: RequestHandler;
  /** Corrupts an evenly spread, deterministic share of a page (copies). */
  corrupt(schema: TableSchema, page: SnRecord[]): SnRecord[];
  /**
   * After a write was applied: true when its reply is to be lost, and then lost (a 502, or
   * the socket destroyed); the caller sends nothing more.
   */
  loseReply(req: Request, res: Response): boolean;
}

export function createFaultInjector(now: () => Date): FaultInjector {
  const faults: Faults = {};
  let requestCount = 0;
  let random = prng(42);

  const clear = () => {
    for (const k of FAULT_KEYS) delete faults[k];
  };

  const set = (body: Record<string, unknown>) => {
    clear();
    for (const k of FAULT_KEYS) {
      if (body[k] !== undefined && body[k] !== null) {
        (faults as Record<string, unknown>)[k] = body[k];
      }
    }
  };

  const reset = () => {
    clear();
    requestCount = 0;
    random = prng(42);
  };

  const latency = (_req: Request, _res: Response, next: NextFunction) => {
    if (faults.latencyMs && faults.latencyMs > 0) {
      setTimeout(next, faults.latencyMs);
    } else {
      next();
    }
  };

  const tableApiGate = (_req: Request, res: Response, next: NextFunction) => {
    if (faults.authFailure) return unauthorized(res);
    requestCount++;
    if (faults.rateLimitEvery && faults.rateLimitEvery > 0) {
      const limited = requestCount % faults.rateLimitEvery === 0;
      const retryAfter = faults.retryAfterSeconds ?? 1;
      if (!faults.rateLimitWithoutRetryAfter) {
        res.set({
          'X-RateLimit-Limit': '100',
          'X-RateLimit-Reset': String(
            Math.floor(now().getTime() / 1000) + retryAfter,
          ),
          'X-RateLimit-Rule': RATE_LIMIT_RULE,
        });
        if (limited) res.set('Retry-After', String(retryAfter));
      }
      if (limited) {
        return res
          .status(429)
          .json(
            envelope(
              'Rate limit exceeded',
              'Rate limit of 100 requests per hour for Table API exceeded',
            ),
          );
      }
    }
    if (faults.errorRate && random() < faults.errorRate) {
      return res
        .status(503)
        .json(
          envelope(
            'Service Unavailable',
            'The server is temporarily unable to handle the request',
          ),
        );
    }
    return next();
  };

  const corrupt = (schema: TableSchema, page: SnRecord[]): SnRecord[] => {
    const rate = faults.garbageRate ?? 0;
    if (rate <= 0) return page;
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

  const loseReply = (req: Request, res: Response): boolean => {
    const rate = faults.lostReplyRate ?? 0;
    if (rate <= 0 || !['POST', 'PUT', 'PATCH'].includes(req.method)) {
      return false;
    }
    if (random() >= rate) return false;
    if (faults.lostReplyAs === 'reset') {
      req.socket.destroy();
    } else {
      res
        .status(502)
        .type('text/html')
        .send('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    return true;
  };

  return {
    switches: faults,
    set,
    reset,
    latency,
    tableApiGate,
    corrupt,
    loseReply,
  };
}
