import type { Knex } from 'knex';

// Reading rows the same way on SQLite and PostgreSQL: SQLite gives times as epoch
// milliseconds (as knex wrote them), PostgreSQL as Dates; counts may come back as strings.

/** A stored time as a Date; undefined for null, an empty value or an invalid time. */
export function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const d = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A stored time in ISO 8601, or undefined. */
export const isoOf = (value: unknown): string | undefined =>
  toDate(value)?.toISOString();

/** A count or sum as a number; null (an empty SUM) is 0. */
export const num = (value: unknown): number =>
  value === null || value === undefined ? 0 : Number(value);

/** A nullable column as an optional field. */
export const opt = <T>(value: T | null | undefined): T | undefined =>
  value === null || value === undefined ? undefined : value;

/** Whether `db` (a knex instance or transaction) talks to PostgreSQL rather than SQLite. */
export const isPostgres = (db: Knex): boolean =>
  db.client.config.client === 'pg';

/** A timestamp parameter: typed on PostgreSQL, where a bare one may be read as text. */
export const timestampParam = (db: Knex): string =>
  isPostgres(db) ? '?::timestamptz' : '?';

/** A half-open time range [start, end). */
export interface Range {
  start: Date;
  end: Date;
}

/**
 * Runs a report's aggregate query and returns its rows on both databases. On PostgreSQL
 * without JIT compilation: these queries run once and fast, and compiling them (its cost
 * estimates invite it) took longer than running them.
 */
export async function aggregateRows(
  db: Knex,
  sql: string,
  bindings: unknown[],
): Promise<Array<Record<string, any>>> {
  if (!isPostgres(db)) return db.raw(sql, bindings as any);
  return db.transaction(async tx => {
    await tx.raw('SET LOCAL jit = off');
    return (await tx.raw(sql, bindings as any)).rows;
  });
}

/** Incidents' ids by their source (one source, almost always). */
export function groupBySource(
  keys: Array<{ source: string; source_id: string }>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of keys) {
    const ids = out.get(k.source);
    if (ids) ids.push(k.source_id);
    else out.set(k.source, [k.source_id]);
  }
  return out;
}

/**
 * `column` is one of `values`, the list as one parameter (an array on PostgreSQL, JSON on
 * SQLite): lists run to thousands (a cluster page's names, a walk's stretch), and a
 * statement with a placeholder each costs more to build and prepare than to run. `prefix`
 * goes before the column on SQLite.
 */
export function anyOf(
  db: Knex,
  column: string,
  values: string[],
  prefix = '',
): [string, readonly Knex.RawBinding[]] {
  return isPostgres(db)
    ? ['?? = ANY(?::text[])', [column, values]]
    : [
        `${prefix}?? IN (SELECT value FROM json_each(?))`,
        [column, JSON.stringify(values)],
      ];
}
