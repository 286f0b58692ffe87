import type {
  IncidentStatus,
  Priority,
  Tier,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import { isoOf } from './rows';

/** The columns a DueIncident is read from (incidents `i`, escalation state `d`). */
export const DUE_COLUMNS = [
  'i.source',
  'i.source_id',
  'i.number',
  'i.priority',
  'i.status',
  'i.tier',
  'i.tier_entered_at',
  'i.opened_at',
  'i.source_updated_at',
  'i.source_version',
  'i.assigned_to_id',
  'i.responded_at',
  'i.ci_name',
  'i.ticket_type',
  'i.assignment_group_id',
  'i.assignment_group_name',
  'd.policy_id',
  'd.policy_tier_entered_at',
];

/**
 * DUE_COLUMNS and the due time on PostgreSQL, its times as epoch milliseconds: turning
 * timestamptz text into Dates was the largest cost of reading a page of 5,000.
 */
export const DUE_COLUMNS_PG = (db: Knex) =>
  [...DUE_COLUMNS, 'd.due_at'].map(c =>
    /_at$/.test(c)
      ? db.raw(`(extract(epoch from ??) * 1000)::float8 as ??`, [c, c.slice(2)])
      : c,
  );

/** What the escalation engine reads of a due incident. */
export interface DueIncident {
  source: string;
  sourceId: string;
  number: string;
  priority: Priority;
  status: IncidentStatus;
  tier?: Tier;
  tierEnteredAt?: string;
  openedAt: string;
  sourceUpdatedAt: string;
  sourceVersion: number;
  assigned: boolean;
  respondedAt?: string;
  /** The escalation policy its tier stay runs on, and the stay it was taken for. */
  policyId?: string;
  policyTierEnteredAt?: string;
  ciName?: string;
  ticketType?: string;
  /** Its assignment group's name (or id), if it has one. */
  assignmentGroup?: string;
}

/** A due incident from its stored row. */
export function dueFromRow(r: Record<string, any>): DueIncident {
  return {
    source: r.source,
    sourceId: r.source_id,
    number: r.number,
    priority: r.priority,
    status: r.status,
    tier: r.tier ?? undefined,
    tierEnteredAt: isoOf(r.tier_entered_at),
    openedAt: isoOf(r.opened_at)!,
    sourceUpdatedAt: isoOf(r.source_updated_at)!,
    sourceVersion: Number(r.source_version),
    assigned: Boolean(r.assigned_to_id),
    respondedAt: isoOf(r.responded_at),
    policyId: r.policy_id ?? undefined,
    policyTierEnteredAt: isoOf(r.policy_tier_entered_at),
    ciName: r.ci_name ?? undefined,
    ticketType: r.ticket_type ?? undefined,
    assignmentGroup:
      r.assignment_group_name ?? r.assignment_group_id ?? undefined,
  };
}
