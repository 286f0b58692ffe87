import type { Knex } from 'knex';
import type { DueIncident } from './escalationRows';
import {
  type Range,
  aggregateRows,
  isoOf,
  num,
  timestampParam,
  toDate,
} from './rows';

// Recurring P2s, in one place: the escalation engine finds the similar P2s before each one
// (and flags it as recurring when there are enough); the API, the reports and the
// recommendations read the flags (decisions with action `flag-recurring`) from here.

/** A P2 the escalation engine flagged as recurring. */
export type FlaggedRecurringP2 = {
  number: string;
  shortDescription: string;
  configurationItem?: string;
  ticketType?: string;
  status: string;
  openedAt: string;
  flaggedAt: string;
  explanation: string;
};

/** The P2s flagged as recurring on one CMDB CI with one ticket type (a type: the API returns it as is). */
export type RecurringP2Flags = {
  configurationItem: string;
  ticketType: string;
  flagged: Array<{ number: string; flaggedAt: string; explanation: string }>;
};

/**
 * Other P2s on the same CMDB CI with the same ticket type, opened within `window` ms before
 * each given P2 (one query per chunk, on the priority/CI/opened index).
 */
export async function similarP2s(
  db: Knex,
  incidents: DueIncident[],
  window: number,
): Promise<Map<string, Array<{ number: string; openedAt: string }>>> {
  const out = new Map<string, Array<{ number: string; openedAt: string }>>();
  const p2s = incidents.filter(
    i => i.priority === 'P2' && i.ciName && i.ticketType,
  );
  for (let i = 0; i < p2s.length; i += 500) {
    const chunk = p2s.slice(i, i + 500);
    const opened = chunk.map(c => Date.parse(c.openedAt));
    const rows = await db('incidents')
      .where('priority', 'P2')
      .whereIn('ci_name', [...new Set(chunk.map(c => c.ciName!))])
      .where('opened_at', '>=', new Date(Math.min(...opened) - window))
      .where('opened_at', '<=', new Date(Math.max(...opened)))
      .whereNull('removed_at')
      .select(
        'source',
        'source_id',
        'number',
        'ci_name',
        'ticket_type',
        'opened_at',
      );
    for (const c of chunk) {
      const t = Date.parse(c.openedAt);
      const similar = rows
        .filter(r => {
          const at = toDate(r.opened_at)!.getTime();
          return (
            r.ci_name === c.ciName &&
            r.ticket_type === c.ticketType &&
            !(r.source === c.source && r.source_id === c.sourceId) &&
            at >= t - window &&
            at <= t
          );
        })
        .map(r => ({
          number: r.number as string,
          openedAt: isoOf(r.opened_at)!,
        }))
        .sort((a, b) => a.openedAt.localeCompare(b.openedAt));
      out.set(`${c.source}:${c.sourceId}`, similar);
    }
  }
  return out;
}

/** The flags of the range on incidents not removed at the source (`e`: decisions, `i`: incidents). */
function flagsIn(db: Knex, range: Range) {
  return db('incident_escalations as e')
    .join('incidents as i', q =>
      q.on('i.source', 'e.source').andOn('i.source_id', 'e.source_id'),
    )
    .where('e.action', 'flag-recurring')
    .andWhere('e.created_at', '>=', range.start)
    .andWhere('e.created_at', '<', range.end)
    .whereNull('i.removed_at');
}

/**
 * P2s flagged as recurring in the range, by CMDB CI, ticket type and when they opened; the
 * first `limit` of them when given.
 */
export async function flaggedRecurringP2s(
  db: Knex,
  range: Range,
  limit?: number,
): Promise<FlaggedRecurringP2[]> {
  const rows = await flagsIn(db, range)
    .orderBy([
      { column: 'i.ci_name' },
      { column: 'i.ticket_type' },
      { column: 'i.opened_at' },
    ])
    .modify(q => {
      if (limit !== undefined) q.limit(limit);
    })
    .select(
      'i.number',
      'i.short_description',
      'i.ci_name',
      'i.ticket_type',
      'i.status',
      'i.opened_at',
      'e.created_at',
      'e.explanation',
    );
  return rows.map((r: Record<string, any>) => ({
    number: r.number as string,
    shortDescription: r.short_description as string,
    configurationItem: r.ci_name ?? undefined,
    ticketType: r.ticket_type ?? undefined,
    status: r.status as string,
    openedAt: isoOf(r.opened_at)!,
    flaggedAt: isoOf(r.created_at)!,
    explanation: r.explanation as string,
  }));
}

/** How many P2s were flagged as recurring in the range. */
export async function countFlaggedRecurringP2s(
  db: Knex,
  range: Range,
): Promise<number> {
  const [row] = await flagsIn(db, range).count({ n: '*' });
  return num(row?.n);
}

/**
 * The flags of the range grouped by CMDB CI and ticket type, in the order they were made
 * (the groups by their first flag).
 */
export async function recurringP2Flags(
  db: Knex,
  range: Range,
): Promise<RecurringP2Flags[]> {
  const flagged = (await flaggedRecurringP2s(db, range)).sort((a, b) =>
    a.flaggedAt.localeCompare(b.flaggedAt),
  );
  const groups = new Map<string, RecurringP2Flags>();
  for (const f of flagged) {
    const k = `${f.configurationItem}\u0000${f.ticketType}`;
    const g = groups.get(k) ?? {
      configurationItem: f.configurationItem!,
      ticketType: f.ticketType!,
      flagged: [],
    };
    g.flagged.push({
      number: f.number,
      flaggedAt: f.flaggedAt,
      explanation: f.explanation,
    });
    groups.set(k, g);
  }
  return [...groups.values()];
}

/**
 * The recurring issues of the range: P2s flagged as recurring by CMDB CI and ticket type,
 * each with how many there were and the first `perIssue` of them (by when they opened).
 */
export async function recurringIssues(
  db: Knex,
  range: Range,
  perIssue: number,
) {
  const ts = timestampParam(db);
  const rows = await aggregateRows(
    db,
    `SELECT ci, tt, number, n FROM (
       SELECT i.ci_name AS ci, i.ticket_type AS tt, i.number,
              ROW_NUMBER() OVER (PARTITION BY i.ci_name, i.ticket_type
                                 ORDER BY i.opened_at, i.number) AS rn,
              COUNT(*) OVER (PARTITION BY i.ci_name, i.ticket_type) AS n
         FROM incident_escalations e
         JOIN incidents i ON i.source = e.source AND i.source_id = e.source_id
        WHERE e.action = 'flag-recurring'
          AND e.created_at >= ${ts} AND e.created_at < ${ts}
          AND i.removed_at IS NULL) r
      WHERE rn <= ${Number(perIssue)}
      ORDER BY n DESC, ci, tt, rn`,
    [range.start, range.end],
  );
  const issues = new Map<
    string,
    {
      configurationItem?: string;
      ticketType?: string;
      total: number;
      incidents: string[];
    }
  >();
  for (const r of rows) {
    const key = `${r.ci ?? ''}\u0000${r.tt ?? ''}`;
    const issue = issues.get(key) ?? {
      configurationItem: r.ci ?? undefined,
      ticketType: r.tt ?? undefined,
      total: num(r.n),
      incidents: [] as string[],
    };
    issue.incidents.push(String(r.number));
    issues.set(key, issue);
  }
  return [...issues.values()];
}
