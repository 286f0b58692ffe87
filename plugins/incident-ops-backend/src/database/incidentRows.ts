import type { Incident, Priority } from '@acme/plugin-incident-ops-common';
import { isOpenStatus } from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import { isPostgres, isoOf, opt, toDate } from './rows';

// An incident's row in `incidents`, and how an upsert merges a newer version into it.

type Row = Record<string, any>;

/** A reference (id and name) from its two columns. */
export const ref = (id: unknown, name: unknown) =>
  id ? { id: String(id), name: opt(name as string) } : undefined;

export function incidentToRow(i: Incident): Row {
  return {
    source: i.source,
    source_id: i.id,
    number: i.number,
    short_description: i.shortDescription,
    description: i.description ?? null,
    priority: i.priority,
    source_priority: i.sourcePriority ?? null,
    impact: i.impact ?? null,
    urgency: i.urgency ?? null,
    status: i.status,
    is_open: isOpenStatus(i.status),
    source_state: i.sourceState,
    hold_reason: i.holdReason ?? null,
    category: i.category ?? null,
    subcategory: i.subcategory ?? null,
    tier: i.tier ?? null,
    // kept on update unless the tier changed (see upsertIncidents)
    tier_entered_at: new Date(i.openedAt),
    ticket_type: i.ticketType ?? null,
    ticket_type_rule: i.ticketTypeRule ?? null,
    assignment_group_id: i.assignmentGroup?.id ?? null,
    assignment_group_name: i.assignmentGroup?.name ?? null,
    assigned_to_id: i.assignedTo?.id ?? null,
    assigned_to_name: i.assignedTo?.name ?? null,
    ci_id: i.configurationItem?.id ?? null,
    ci_name: i.configurationItem?.name ?? null,
    caller_id: i.caller?.id ?? null,
    caller_name: i.caller?.name ?? null,
    url: i.url ?? null,
    opened_at: new Date(i.openedAt),
    resolved_at: toDate(i.resolvedAt) ?? null,
    closed_at: toDate(i.closedAt) ?? null,
    source_updated_at: new Date(i.sourceUpdatedAt),
    source_version: i.sourceVersion,
    synced_at: new Date(i.syncedAt),
    // a newer version of a record is evidence the source has it
    removed_at: null,
    previous_status: null,
    previous_assignment: null,
    // first work: someone took it or moved it on; known at the first version showing it
    // (kept on update, see mergeColumns)
    responded_at:
      i.assignedTo || i.status !== 'unassigned'
        ? new Date(i.sourceUpdatedAt)
        : null,
  };
}

/** An incident from its stored row. */
export function incidentFromRow(r: Row): Incident {
  return {
    source: r.source,
    id: r.source_id,
    number: r.number,
    shortDescription: r.short_description,
    description: opt(r.description),
    priority: r.priority as Priority,
    sourcePriority: opt(r.source_priority),
    impact: opt(r.impact),
    urgency: opt(r.urgency),
    status: r.status,
    sourceState: r.source_state,
    holdReason: opt(r.hold_reason),
    category: opt(r.category),
    subcategory: opt(r.subcategory),
    tier: opt(r.tier),
    tierEnteredAt: isoOf(r.tier_entered_at),
    ticketType: opt(r.ticket_type),
    ticketTypeRule: opt(r.ticket_type_rule),
    assignmentGroup: ref(r.assignment_group_id, r.assignment_group_name),
    assignedTo: ref(r.assigned_to_id, r.assigned_to_name),
    configurationItem: ref(r.ci_id, r.ci_name),
    caller: ref(r.caller_id, r.caller_name),
    url: opt(r.url),
    openedAt: isoOf(r.opened_at)!,
    resolvedAt: isoOf(r.resolved_at),
    closedAt: isoOf(r.closed_at),
    sourceUpdatedAt: isoOf(r.source_updated_at)!,
    sourceVersion: Number(r.source_version),
    syncedAt: isoOf(r.synced_at)!,
    removedAt: isoOf(r.removed_at),
  };
}

/**
 * The upsert's condition: only a newer version (by source_version, then
 * source_updated_at) replaces what is stored.
 */
export function newerOnly(db: Knex, table: string) {
  const col = (c: string) => `${table}.${c}`;
  return (q: Knex.QueryBuilder) =>
    q
      .where(col('source_version'), '<', db.ref('excluded.source_version'))
      .orWhere(q2 =>
        q2
          .where(col('source_version'), '=', db.ref('excluded.source_version'))
          .andWhere(
            col('source_updated_at'),
            '<',
            db.ref('excluded.source_updated_at'),
          ),
      );
}

/**
 * On conflict every column takes the new value, except: the tier clock keeps running while
 * the tier stays and restarts at the sync time when the tier changes; the first response
 * is kept once known; and an escalated ticket stays `escalated` (which ServiceNow shows as
 * In Progress) until the receiving tier starts work: someone there takes it, or it moves
 * on to another status or tier.
 */
export function mergeColumns(db: Knex, row: Row) {
  const merge: Record<string, Knex.Raw> = {};
  for (const column of Object.keys(row)) {
    if (column === 'source' || column === 'source_id') continue;
    merge[column] = db.raw('??', [`excluded.${column}`]);
  }
  merge.tier_entered_at = db.raw(
    'CASE WHEN ?? IS NOT DISTINCT FROM ?? THEN ?? ELSE ?? END',
    [
      'incidents.tier',
      'excluded.tier',
      'incidents.tier_entered_at',
      'excluded.synced_at',
    ],
  );
  // the status it had before this write (new rows: null), returned for the history
  merge.previous_status = db.raw('??', ['incidents.status']);
  // and, when it was or becomes a P1, what it was assigned before (the P1 change updates)
  const assignment = [
    'priority',
    'assigned_to_id',
    'assigned_to_name',
    'assignment_group_id',
    'assignment_group_name',
    'tier',
    'synced_at',
  ];
  merge.previous_assignment = db.raw(
    `CASE WHEN ?? = 'P1' OR ?? = 'P1' THEN ${
      isPostgres(db) ? 'json_build_object' : 'json_object'
    }(${assignment.map(c => `'${c}', ??`).join(', ')})${
      isPostgres(db) ? '::text' : ''
    } END`,
    [
      'incidents.priority',
      'excluded.priority',
      ...assignment.map(c => `incidents.${c}`),
    ],
  );
  merge.responded_at = db.raw('COALESCE(??, ??)', [
    'incidents.responded_at',
    'excluded.responded_at',
  ]);
  merge.status = db.raw(
    `CASE WHEN ?? = 'escalated' AND ?? = 'work-in-progress'
       AND ?? IS NOT DISTINCT FROM ??
       AND (?? IS NULL OR ?? IS NOT DISTINCT FROM ??)
     THEN 'escalated' ELSE ?? END`,
    [
      'incidents.status',
      'excluded.status',
      'incidents.tier',
      'excluded.tier',
      'excluded.assigned_to_id',
      'excluded.assigned_to_id',
      'incidents.assigned_to_id',
      'excluded.status',
    ],
  );
  return merge;
}
