import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  IncidentStatus,
  allowedTransitions,
  canTransition,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import type { IncidentWriteBack } from '@acme/plugin-incident-ops-node';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { queueWriteBacks } from './DatabaseWriteBackStore';
import { decisionsOf } from './DatabaseEscalationStore';
import { notificationsForTransition } from './notificationEvents';
import { isPostgres, isoOf } from './rows';

/** Something that happened to an incident in the suite. */
export interface IncidentEvent {
  id: number;
  number: string;
  type: string;
  from?: string;
  to?: string;
  actor?: string;
  note?: string;
  details?: Record<string, unknown>;
  createdAt: string;
}

/** One entry of an incident's timeline: an event or a decision other than an escalation. */
export type TimelineEntry = {
  at: string;
  type: string;
  from?: string;
  to?: string;
  actor?: string;
  summary: string;
  details?: Record<string, unknown>;
};

/** What `transition` is given. */
export interface TransitionOptions {
  number: string;
  to: IncidentStatus;
  note?: string;
  closeCode?: string;
  actor: string;
  now: Date;
}

/** What `recordEvent` is given. */
export interface RecordEventOptions {
  source: string;
  sourceId: string;
  number: string;
  type: string;
  note?: string;
  details?: Record<string, unknown>;
  now: Date;
}

/** Workflow changes made in the suite and the incidents' history (events and timeline). */
export interface WorkflowStore {
  /**
   * Moves an incident to `to` if the workflow allows it, and in the same transaction records
   * the event and queues the write-back and notifications. Throws NotFoundError,
   * ConflictError (naming the allowed statuses) or InputError, changing nothing.
   */
  transition(
    options: TransitionOptions,
  ): Promise<{ event: IncidentEvent; writeBackKey: string }>;
  /** An incident's events, oldest first. */
  listEvents(number: string): Promise<IncidentEvent[]>;
  /** Records something the suite did to an incident. */
  recordEvent(event: RecordEventOptions): Promise<void>;
  /** What the suite did to an incident and decided about it, oldest first. */
  timeline(number: string): Promise<TimelineEntry[]>;
}

/** A sentence for the timeline. */
function summarize(e: IncidentEvent): string {
  if (e.type === 'transition') {
    return `${e.actor} moved it from ${e.from} to ${e.to}${
      e.note ? `: ${e.note}` : ''
    }`;
  }
  if (e.type === 'status-change') {
    return `In ${e.actor}: ${e.from ? `from ${e.from} ` : ''}to ${e.to}`;
  }
  if (e.type === 'write-back') {
    return `Written to the source (${e.details?.outcome ?? 'written'})`;
  }
  return e.note ?? e.type;
}

function eventFromRow(r: Record<string, any>): IncidentEvent {
  return {
    id: Number(r.id),
    number: r.number,
    type: r.type,
    from: r.from_status ?? undefined,
    to: r.to_status ?? undefined,
    actor: r.actor ?? undefined,
    note: r.note ?? undefined,
    details: r.details ? JSON.parse(r.details) : undefined,
    createdAt: isoOf(r.created_at)!,
  };
}

/** The knex-backed workflow store. */
export class DatabaseWorkflowStore implements WorkflowStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseWorkflowStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Moves an incident to `to` if the workflow allows it, and in the same transaction records
   * the event and queues the write-back. Throws NotFoundError, ConflictError (naming the
   * allowed statuses) or InputError, changing nothing.
   */
  async transition(
    options: TransitionOptions,
  ): Promise<{ event: IncidentEvent; writeBackKey: string }> {
    const { number, to, note, actor, now } = options;
    return this.db.transaction(async tx => {
      const query = tx('incidents').where({ number }).whereNull('removed_at');
      if (isPostgres(tx)) query.forUpdate();
      const row = await query.first();
      if (!row) throw new NotFoundError(`No incident ${number}`);
      const from = row.status as IncidentStatus;
      if (!canTransition(from, to)) {
        const allowed = allowedTransitions(from);
        throw new ConflictError(
          `${number} cannot go from ${from} to ${to}; allowed from ${from}: ${
            allowed.length ? allowed.join(', ') : 'none (it is final)'
          }`,
        );
      }
      if (to === 'resolved' && !note?.trim()) {
        throw new InputError(
          'Resolving needs a resolution note (the note field): it becomes the ServiceNow close notes',
        );
      }
      // due now (its clocks change), its stored SLA order cleared until the engine has run
      await tx('incident_escalation_state')
        .insert({
          source: row.source,
          source_id: row.source_id,
          due_at: isOpenStatus(to) ? now : null,
          sla_breach_at: null,
          sla_frozen_over_ms: null,
        })
        .onConflict(['source', 'source_id'])
        .merge(['due_at', 'sla_breach_at', 'sla_frozen_over_ms']);
      await tx('incidents')
        .where({ source: row.source, source_id: row.source_id })
        .update({
          status: to,
          is_open: isOpenStatus(to),
          ...(to === 'resolved' ? { resolved_at: now } : {}),
          ...(to === 'closed' ? { closed_at: now } : {}),
          ...(to !== 'unassigned' && !row.responded_at
            ? { responded_at: now }
            : {}),
        });
      const [inserted] = await tx('incident_events')
        .insert({
          source: row.source,
          source_id: row.source_id,
          number,
          type: 'transition',
          from_status: from,
          to_status: to,
          actor,
          note: note ?? null,
          created_at: now,
        })
        .returning('id');
      const eventId = Number(
        typeof inserted === 'object' ? inserted.id : inserted,
      );
      const key = `transition:${row.source}:${row.source_id}:${eventId}`;
      const change: IncidentWriteBack = {
        key,
        id: row.source_id,
        number,
        expectedVersion: Number(row.source_version),
        status: to,
        resolution:
          to === 'resolved'
            ? { code: options.closeCode ?? 'Solution provided', notes: note! }
            : undefined,
        workNote: `Incident Ops: ${actor} moved ${number} from ${from} to ${to}${
          note ? `: ${note}` : ''
        }`,
      };
      await queueWriteBacks(tx, [{ source: row.source, change }], now);
      await DatabaseNotificationStore.enqueue(
        tx,
        notificationsForTransition({
          incident: { ...row, sourceId: row.source_id },
          key,
          from,
          to,
          actor,
          note,
          now,
        }),
      );
      const event = await tx('incident_events').where({ id: eventId }).first();
      return { event: eventFromRow(event), writeBackKey: key };
    });
  }

  async listEvents(number: string): Promise<IncidentEvent[]> {
    const rows = await this.db('incident_events')
      .where({ number })
      .orderBy('id');
    return rows.map(eventFromRow);
  }

  async recordEvent(event: RecordEventOptions) {
    await this.db('incident_events').insert({
      source: event.source,
      source_id: event.sourceId,
      number: event.number,
      type: event.type,
      actor: 'incident-ops',
      note: event.note ?? null,
      details: event.details ? JSON.stringify(event.details) : null,
      created_at: event.now,
    });
  }

  /** What the suite did to an incident and decided about it, oldest first. */
  async timeline(number: string): Promise<TimelineEntry[]> {
    const [events, decisions] = await Promise.all([
      this.listEvents(number),
      decisionsOf(this.db, number),
    ]);
    return [
      ...events.map(e => ({
        at: e.createdAt,
        type: e.type,
        from: e.from,
        to: e.to,
        actor: e.actor,
        summary: summarize(e),
        details: e.details,
      })),
      ...decisions
        .filter(d => d.action !== 'escalate')
        .map(d => ({
          at: isoOf(d.created_at)!,
          type: d.action as string,
          summary: d.explanation as string,
          details: { rule: d.rule, clocks: JSON.parse(d.clocks) },
        })),
    ].sort((a, b) => a.at.localeCompare(b.at));
  }
}
