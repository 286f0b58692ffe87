import type { QuarantinedRecord } from '@acme/plugin-incident-ops-node';
import { ColumnLimits, fitToColumns } from './columnLimits';

// Writing synced records so that one bad record never stops the others: rows are fitted to
// their columns first, and a chunk the database refuses for what is in it is written again
// one row at a time.

type Row = Record<string, any>;

/** A record kept out of the store, with the source it came from. */
export type Rejected = QuarantinedRecord & { source: string };

/** The items' rows that fit their columns; the others (keys too long) with why. */
export function fitRows<
  T extends { source: string; id: string; number: string },
>(
  kind: string,
  items: T[],
  toRow: (item: T) => Row,
  limits: ColumnLimits,
): { rows: Row[]; rejected: Rejected[] } {
  const rows: Row[] = [];
  const rejected: Rejected[] = [];
  for (const item of items) {
    const fit = fitToColumns(toRow(item), limits);
    if ('row' in fit) {
      rows.push(fit.row);
    } else {
      rejected.push({
        source: item.source,
        key: item.id || item.number,
        number: item.number,
        reason: `${kind}: ${fit.reason}`,
        payload: item,
      });
    }
  }
  return { rows, rejected };
}

/**
 * Writes `rows` `size` at a time. A chunk refused for its data (PostgreSQL's classes 22 and
 * 23, SQLite's constraint and type errors: a duplicate number, a value out of range) is
 * written row by row; the rows refused alone are returned with the database's reason.
 * Any other failure (the database is away) is thrown.
 */
export async function writeInChunks<W>(
  kind: string,
  rows: Row[],
  size: number,
  write: (chunk: Row[]) => Promise<W[]>,
): Promise<{ written: W[]; rejected: Rejected[] }> {
  const written: W[] = [];
  const rejected: Rejected[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    try {
      written.push(...(await write(chunk)));
    } catch (e) {
      if (!isDataError(e)) throw e;
      for (const row of chunk) {
        try {
          written.push(...(await write([row])));
        } catch (one) {
          if (!isDataError(one)) throw one;
          rejected.push({
            source: row.source,
            key: row.source_id,
            number: row.number,
            reason: `${kind}: the database refused it: ${describe(one)}`,
            payload: row,
          });
        }
      }
    }
  }
  return { written, rejected };
}

function isDataError(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? '');
  return (
    /^2[23][0-9A-Z]{3}$/.test(code) ||
    /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code)
  );
}

/** The database's own words, without the statement knex puts in front of them. */
function describe(e: unknown): string {
  const { message, detail } = e as { message?: string; detail?: string };
  const text = String(message ?? e);
  const at = text.lastIndexOf(' - ');
  const own = at < 0 ? text : text.slice(at + 3);
  return detail ? `${own} (${detail})` : own;
}
