import type { Knex } from 'knex';
import { isIndexedName, mentionedNames } from './mentionIndex';
import { anyOf, groupBySource, toDate } from './rows';

// The `incident_mentions` table (see mentionIndex.ts for which words it holds): written with
// each incident, read to list an entity's incidents.

type Row = Record<string, any>;

/** Up to this many names, a read starts from their mentions rather than from the list. */
const FEW_NAMES = 20;

/** Rows per insert: SQLite writes one as a compound SELECT of at most 500 terms. */
const CHUNK = 400;

/** The first walk's length; each next one is twice as long. */
const WALK = 500;

/**
 * Many names (a cluster's page, with its thousands of namespaces): the incidents `listed`
 * gives, in its order, whose text mentions one of `names`, up to `limit`. It walks the list
 * (its keys only) in stretches that double, reads each stretch's mentions by key and checks
 * them here, then reads the whole rows of those that match: a few index reads, rather than
 * a lookup into the mention index for every incident walked (most of the page's time).
 */
async function walkMentioning(
  db: Knex,
  listed: () => Knex.QueryBuilder,
  names: Set<string>,
  limit: number,
): Promise<Row[]> {
  const matched: Array<{ source: string; source_id: string }> = [];
  for (let offset = 0, n = WALK; matched.length < limit; offset += n, n *= 2) {
    const keys: Array<{ source: string; source_id: string }> = await listed()
      .offset(offset)
      .limit(n)
      .select('incidents.source', 'incidents.source_id');
    const mentioned = new Set<string>();
    for (const [source, ids] of groupBySource(keys)) {
      const rows = await db('incident_mentions')
        .where('source', source)
        .whereRaw(...anyOf(db, 'source_id', ids))
        .select('source_id', 'name');
      for (const r of rows) {
        if (names.has(r.name)) mentioned.add(`${source}:${r.source_id}`);
      }
    }
    matched.push(
      ...keys.filter(k => mentioned.has(`${k.source}:${k.source_id}`)),
    );
    if (keys.length < n) break;
  }
  const rows: Row[] = [];
  for (const [source, ids] of groupBySource(matched.slice(0, limit))) {
    rows.push(
      ...(await db('incidents')
        .where('source', source)
        .whereRaw(...anyOf(db, 'source_id', ids))
        .select('*')),
    );
  }
  return rows;
}

/** Indexes the text of the rows just written again: their old mentions go, the new come. */
export async function indexMentions(
  tx: Knex.Transaction,
  rows: Row[],
  written: Array<{ source: string; source_id: string }>,
) {
  const byKey = new Map(rows.map(r => [`${r.source}:${r.source_id}`, r]));
  for (const [source, ids] of groupBySource(written)) {
    await tx('incident_mentions')
      .where({ source })
      .whereIn('source_id', ids)
      .delete();
  }
  const mentions = written.flatMap(w => {
    const row = byKey.get(`${w.source}:${w.source_id}`)!;
    return mentionedNames(row.short_description, row.description).map(name => ({
      source: w.source,
      source_id: w.source_id,
      name,
    }));
  });
  for (let i = 0; i < mentions.length; i += CHUNK) {
    await tx('incident_mentions').insert(mentions.slice(i, i + CHUNK));
  }
}

/**
 * Incidents not removed at the source whose CMDB CI id or name is one of `ciKeys`, or whose
 * text names one of `mentioning`; open first, most urgent first, newest first. Two reads,
 * each on its own index, merged: by CI, and by the mention index (names it does not hold are
 * searched for in the text, case-insensitively).
 */
export async function listByCiAndMentions(
  db: Knex,
  ciKeys: string[],
  options: { openOnly: boolean; limit: number; mentioning?: string[] },
  /** Narrows each read further (what the reader may see). */
  narrow: (q: Knex.QueryBuilder) => void = () => {},
): Promise<Row[]> {
  const names = [
    ...new Set((options.mentioning ?? []).map(m => m.toLowerCase())),
  ];
  const indexed = names.filter(isIndexedName);
  const inText = names.filter(n => !isIndexedName(n));
  const listed = () => {
    const q = db('incidents')
      .whereNull('incidents.removed_at')
      .orderBy([
        { column: 'incidents.is_open', order: 'desc' },
        { column: 'incidents.priority', order: 'asc' },
        { column: 'incidents.opened_at', order: 'desc' },
      ])
      .limit(options.limit);
    if (options.openOnly) q.andWhere('incidents.is_open', true);
    narrow(q);
    return q;
  };
  const reads: Array<Promise<Row[]>> = [];
  if (inText.length === 0 && ciKeys.length <= FEW_NAMES) {
    // a few CIs (a namespace's or a service's page): each one's incidents read in the
    // list's order from its own index, the first `limit` of each
    for (const column of ['ci_name', 'ci_id']) {
      for (const key of ciKeys) reads.push(listed().where(column, key));
    }
  } else if (ciKeys.length > 0 || inText.length > 0) {
    // many (a cluster's), or names only the text holds: the list walked in its order
    reads.push(
      listed().where(q => {
        if (ciKeys.length > 0) {
          q.whereRaw(...anyOf(db, 'ci_name', ciKeys)).orWhereRaw(
            ...anyOf(db, 'ci_id', ciKeys),
          );
        }
        for (const m of inText) {
          const like = `%${m.replace(/[\\%_]/g, c => `\\${c}`)}%`;
          q.orWhereRaw("lower(short_description) like ? escape '\\'", [like]);
          q.orWhereRaw("lower(description) like ? escape '\\'", [like]);
        }
      }),
    );
  }
  if (indexed.length > 0 && indexed.length <= FEW_NAMES) {
    // a few names (a namespace's page): read from their mentions, in that order (SQLite
    // keeps the order of a CROSS JOIN), rather than walk every open incident
    reads.push(
      listed()
        .distinct('incidents.*')
        .from('incident_mentions as m')
        .crossJoin(db.raw('??', ['incidents']))
        .whereIn('m.name', indexed)
        .andWhereRaw('?? = ??', ['incidents.source', 'm.source'])
        .andWhereRaw('?? = ??', ['incidents.source_id', 'm.source_id']),
    );
  } else if (indexed.length > 0) {
    reads.push(walkMentioning(db, listed, new Set(indexed), options.limit));
  }
  const found = new Map<string, Row>();
  for (const rows of await Promise.all(reads)) {
    for (const r of rows) found.set(`${r.source}:${r.source_id}`, r);
  }
  const time = (r: Row) => toDate(r.opened_at)?.getTime() ?? 0;
  return [...found.values()]
    .sort(
      (a, b) =>
        Number(Boolean(b.is_open)) - Number(Boolean(a.is_open)) ||
        String(a.priority).localeCompare(String(b.priority)) ||
        time(b) - time(a),
    )
    .slice(0, options.limit);
}
