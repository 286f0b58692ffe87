import { formatDateTime, SnRecord } from './schema';
import { SimulatorStore } from './store';

/**
 * A subset of ServiceNow encoded queries: `^`, `^OR`, `^NQ`, `ORDERBY`,
 * `ORDERBYDESC`, and the operators listed in OPERATORS. Invalid parts
 * (unknown field, unknown operator, unsupported javascript:) are silently
 * dropped, as ServiceNow does by default.
 */

type Getter = (rec: SnRecord) => string;
type Predicate = (rec: SnRecord) => boolean;

export interface OrderBy {
  field: string;
  desc: boolean;
}

export interface CompiledQuery {
  /** Matches a record of the queried table. */
  matches: Predicate;
  orderBy: OrderBy[];
  /** True when no condition survived parsing (everything matches). */
  matchAll: boolean;
  /** Set when every match needs sys_id > value (>= when inclusive). */
  sysIdAfter?: { value: string; inclusive: boolean };
}

export interface QueryEnv {
  now: Date;
  /** sys_id of the authenticated user, for javascript:gs.getUserID(). */
  userSysId: string;
}

const OPERATORS = [
  'ISNOTEMPTY',
  'ISEMPTY',
  'ANYTHING',
  'INSTANCEOF',
  'NOTLIKE',
  'NOT IN',
  'STARTSWITH',
  'ENDSWITH',
  'BETWEEN',
  'LIKE',
  'IN',
  '!=',
  '>=',
  '<=',
  '=',
  '>',
  '<',
];

const NUMERIC = /^-?\d{1,15}(\.\d+)?$/;

/** Compares two stored values: numerically when both are plain numbers, else as strings. */
export function compareValues(a: string, b: string): number {
  if (NUMERIC.test(a) && NUMERIC.test(b)) return Number(a) - Number(b);
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** Splits on `^`, with `^^` standing for a literal caret. */
function splitTerms(q: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < q.length; i++) {
    if (q[i] === '^') {
      if (q[i + 1] === '^') {
        cur += '^';
        i++;
      } else {
        terms.push(cur);
        cur = '';
      }
    } else {
      cur += q[i];
    }
  }
  terms.push(cur);
  return terms;
}

const DAY = 86_400_000;

function startOfDay(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY) * DAY);
}

/** Resolves the few javascript: values clients commonly send; undefined if unsupported. */
function resolveValue(raw: string, env: QueryEnv): string | undefined {
  // Not evaluated: only a few well-known gs.* calls are recognised below.
  // eslint-disable-next-line no-script-url
  if (!raw.startsWith('javascript:')) return raw;
  const m = /^javascript:\s*gs\.(\w+)\(([^)]*)\)\s*;?$/.exec(raw);
  if (!m) return undefined;
  const args = m[2]
    .split(',')
    .map(a => a.trim().replace(/^['"]|['"]$/g, ''))
    .filter(a => a !== '');
  const n = Number(args[0] ?? 0);
  const now = env.now.getTime();
  switch (m[1]) {
    case 'getUserID':
      return env.userSysId;
    case 'nowDateTime':
      return formatDateTime(env.now);
    case 'beginningOfToday':
      return formatDateTime(startOfDay(env.now));
    case 'endOfToday':
      return formatDateTime(
        new Date(startOfDay(env.now).getTime() + DAY - 1000),
      );
    case 'daysAgo':
      return formatDateTime(new Date(now - n * DAY));
    case 'daysAgoStart':
      return formatDateTime(startOfDay(new Date(now - n * DAY)));
    case 'daysAgoEnd':
      return formatDateTime(
        new Date(startOfDay(new Date(now - n * DAY)).getTime() + DAY - 1000),
      );
    case 'hoursAgo':
      return formatDateTime(new Date(now - n * 3_600_000));
    case 'minutesAgo':
      return formatDateTime(new Date(now - n * 60_000));
    case 'dateGenerate':
      return `${args[0] ?? ''} ${args[1] ?? '00:00:00'}`.trim();
    default:
      return undefined;
  }
}

/**
 * Returns a getter for `field` (dot-walking through references allowed), or
 * undefined when the field does not exist on the table.
 */
export function fieldGetter(
  store: SimulatorStore,
  table: string,
  field: string,
): Getter | undefined {
  const [head, ...rest] = field.split('.');
  const schema = store.schema(table);
  if (!schema || !schema.fields.includes(head)) return undefined;
  if (rest.length === 0) return rec => rec[head] ?? '';
  const target = schema.references[head];
  if (!target) return undefined;
  const inner = fieldGetter(store, target, rest.join('.'));
  if (!inner) return undefined;
  return rec => {
    const ref = rec[head] ? store.row(target, rec[head]) : undefined;
    return ref ? inner(ref) : '';
  };
}

/** compareValues(v, value) with the constant's numeric check done once. */
function comparator(value: string): (v: string) => number {
  if (!NUMERIC.test(value)) {
    return v => {
      if (v < value) return -1;
      return v > value ? 1 : 0;
    };
  }
  const n = Number(value);
  return v => (NUMERIC.test(v) ? Number(v) - n : compareValues(v, value));
}

function condition(
  get: Getter,
  op: string,
  value: string,
): Predicate | undefined {
  const lower = value.toLowerCase();
  const cmp = comparator(value);
  switch (op) {
    case '=':
      return r => {
        const v = get(r);
        return (
          v === value ||
          (v !== '' &&
            NUMERIC.test(v) &&
            NUMERIC.test(value) &&
            Number(v) === Number(value))
        );
      };
    case '!=':
      return r => get(r) !== value;
    case '>':
      return r => {
        const v = get(r);
        return v !== '' && cmp(v) > 0;
      };
    case '>=':
      return r => {
        const v = get(r);
        return v !== '' && cmp(v) >= 0;
      };
    case '<':
      return r => {
        const v = get(r);
        return v !== '' && cmp(v) < 0;
      };
    case '<=':
      return r => {
        const v = get(r);
        return v !== '' && cmp(v) <= 0;
      };
    case 'LIKE':
      return r => get(r).toLowerCase().includes(lower);
    case 'NOTLIKE':
      return r => !get(r).toLowerCase().includes(lower);
    case 'STARTSWITH':
      return r => get(r).toLowerCase().startsWith(lower);
    case 'ENDSWITH':
      return r => get(r).toLowerCase().endsWith(lower);
    case 'IN': {
      const set = new Set(value.split(','));
      return r => set.has(get(r));
    }
    case 'NOT IN': {
      const set = new Set(value.split(','));
      return r => !set.has(get(r));
    }
    case 'ISEMPTY':
      return r => get(r) === '';
    case 'ISNOTEMPTY':
      return r => get(r) !== '';
    case 'ANYTHING':
      return () => true;
    case 'INSTANCEOF':
      return r => get(r) === value || value === 'cmdb_ci' || value === 'task';
    case 'BETWEEN': {
      const [lo, hi] = value.split('@');
      if (lo === undefined || hi === undefined) return undefined;
      return r => {
        const v = get(r);
        return (
          v !== '' && compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0
        );
      };
    }
    default:
      return undefined;
  }
}

function parseCondition(
  store: SimulatorStore,
  table: string,
  term: string,
  env: QueryEnv,
): Predicate | undefined {
  const field = /^[a-z0-9_.]+/.exec(term)?.[0];
  if (!field) return undefined;
  const rest = term.slice(field.length);
  const op = OPERATORS.find(o => rest.startsWith(o));
  if (!op) return undefined;
  const get = fieldGetter(store, table, field);
  if (!get) return undefined;
  const raw = rest.slice(op.length);
  let value: string | undefined;
  if (op === 'BETWEEN') {
    const parts = raw.split('@').map(p => resolveValue(p, env));
    if (parts.some(p => p === undefined)) return undefined;
    value = parts.join('@');
  } else {
    value = resolveValue(raw, env);
  }
  if (value === undefined) return undefined;
  return condition(get, op, value);
}

/** Parses and compiles an encoded query against a table. */
export function compileQuery(
  store: SimulatorStore,
  table: string,
  query: string,
  env: QueryEnv,
): CompiledQuery {
  const orderBy: OrderBy[] = [];
  const groups: Predicate[][][] = [];
  const bounds: { clause: Predicate[]; value: string; inclusive: boolean }[] =
    [];
  for (const groupText of (query ?? '').split('^NQ')) {
    const clauses: Predicate[][] = [];
    for (const term of splitTerms(groupText)) {
      if (term === '' || term === 'EQ' || term.startsWith('GROUPBY')) continue;
      if (term.startsWith('ORDERBYDESC')) {
        const field = term.slice('ORDERBYDESC'.length);
        if (fieldGetter(store, table, field))
          orderBy.push({ field, desc: true });
        continue;
      }
      if (term.startsWith('ORDERBY')) {
        const field = term.slice('ORDERBY'.length);
        if (fieldGetter(store, table, field))
          orderBy.push({ field, desc: false });
        continue;
      }
      const isOr = term.startsWith('OR');
      const text = isOr ? term.slice(2) : term;
      const pred = parseCondition(store, table, text, env);
      if (!pred) continue; // invalid part: silently ignored
      if (isOr && clauses.length > 0) {
        clauses[clauses.length - 1].push(pred);
      } else {
        clauses.push([pred]);
        const m = /^sys_id(>=?)([0-9a-f]{32})$/.exec(text);
        if (m)
          bounds.push({
            clause: clauses[clauses.length - 1],
            value: m[2],
            inclusive: m[1] === '>=',
          });
      }
    }
    groups.push(clauses);
  }
  const matchAll = groups.every(g => g.length === 0);
  const matches: Predicate = matchAll
    ? () => true
    : rec => {
        for (const clauses of groups) {
          let ok = true;
          for (const alternatives of clauses) {
            let any = false;
            for (const p of alternatives) {
              if (p(rec)) {
                any = true;
                break;
              }
            }
            if (!any) {
              ok = false;
              break;
            }
          }
          if (ok) return true;
        }
        return false;
      };
  // A `sys_id>X` that every match must satisfy lets callers skip ahead in a
  // sys_id-sorted list (keyset paging).
  const bound =
    groups.length === 1
      ? bounds.filter(b => b.clause.length === 1).pop()
      : undefined;
  return {
    matches,
    orderBy,
    matchAll,
    sysIdAfter: bound && { value: bound.value, inclusive: bound.inclusive },
  };
}

/** Sorts in place by the ORDERBY list (stable: ties keep insertion order). */
export function sortRecords(
  store: SimulatorStore,
  table: string,
  rows: SnRecord[],
  orderBy: OrderBy[],
): SnRecord[] {
  if (orderBy.length === 0) return rows;
  const getters = orderBy.map(o => fieldGetter(store, table, o.field)!);
  const signs = orderBy.map(o => (o.desc ? -1 : 1));
  // Decorate once per row so getters and the numeric check don't run per comparison.
  const decorated = rows.map((rec, index) => {
    const text = getters[0](rec);
    return {
      rec,
      index,
      text,
      num: NUMERIC.test(text) ? Number(text) : NaN,
      more: getters.length > 1 ? getters.slice(1).map(g => g(rec)) : undefined,
    };
  });
  const sign = signs[0];
  decorated.sort((a, b) => {
    let c: number;
    if (!Number.isNaN(a.num) && !Number.isNaN(b.num)) c = a.num - b.num;
    else if (a.text < b.text) c = -1;
    else c = a.text > b.text ? 1 : 0;
    if (c !== 0) return c * sign;
    for (let i = 1; i < signs.length; i++) {
      c = compareValues(a.more![i - 1], b.more![i - 1]);
      if (c !== 0) return c * signs[i];
    }
    return a.index - b.index;
  });
  for (let i = 0; i < decorated.length; i++) rows[i] = decorated[i].rec;
  return rows;
}
