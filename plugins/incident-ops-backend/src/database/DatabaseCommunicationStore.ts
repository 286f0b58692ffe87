import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CadenceSubject,
  CommunicationPolicy,
  IncidentStatus,
  Priority,
  StatusChange,
} from '@acme/plugin-incident-ops-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { isoOf, toDate } from './rows';
import type {
  CadenceIncident,
  CommunicationStore,
  ListVendorEngagementsOptions,
  OpenVendorEngagementOptions,
  RecordUpdateOptions,
  RecordVendorResponseOptions,
  RequestorIncidents,
  StoredUpdate,
  StoredVendorEngagement,
  VendorBreach,
} from './CommunicationStore';

export type {
  CadenceIncident,
  CommunicationStore,
  StoredUpdate,
  StoredVendorEngagement,
} from './CommunicationStore';

function updateFromRow(r: Record<string, any>): StoredUpdate {
  return {
    id: Number(r.id),
    number: r.number,
    kind: r.kind,
    message: r.message,
    ...(r.link ? { link: r.link } : {}),
    actor: r.actor,
    createdAt: isoOf(r.created_at)!,
  };
}

function engagementFromRow(r: Record<string, any>): StoredVendorEngagement {
  return {
    id: Number(r.id),
    number: r.number,
    priority: r.priority,
    vendor: r.vendor,
    caseId: r.case_id,
    openedAt: isoOf(r.opened_at)!,
    responseSla: Number(r.response_sla_ms),
    ...(r.responded_at ? { respondedAt: isoOf(r.responded_at) } : {}),
    ...(r.note ? { note: r.note } : {}),
    ...(r.response_note ? { responseNote: r.response_note } : {}),
    openedBy: r.opened_by,
    ...(r.responded_recorded_by
      ? { respondedRecordedBy: r.responded_recorded_by }
      : {}),
  };
}

const INCIDENT_COLUMNS = [
  'source',
  'source_id',
  'number',
  'priority',
  'status',
  'short_description',
  'opened_at',
  'resolved_at',
  'source_updated_at',
  'caller_id',
  'caller_name',
  'url',
];

/**
 * The communication cadence's records: updates and post-mortems people sent, the incidents
 * the cadence looks at, and vendor engagements. Writes enqueue their notification events in
 * the same transaction.
 */
export class DatabaseCommunicationStore implements CommunicationStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseCommunicationStore(await options.database.getClient());
  }

  constructor(private readonly db: Knex) {}

  private async incidentRow(tx: Knex, number: string) {
    const row = await tx('incidents')
      .where({ number })
      .whereNull('removed_at')
      .first(INCIDENT_COLUMNS);
    if (!row) throw new NotFoundError(`No incident ${number}`);
    return row;
  }

  /**
   * Records an update to stakeholders (or the post-mortem) and, in the same transaction,
   * the event that sends it to them. A post-mortem needs the incident resolved (409).
   */
  async recordUpdate(options: RecordUpdateOptions): Promise<StoredUpdate> {
    const { number, kind, message, link, actor, now } = options;
    return this.db.transaction(async tx => {
      const row = await this.incidentRow(tx, number);
      if (
        kind === 'post-mortem' &&
        row.status !== 'resolved' &&
        row.status !== 'closed'
      ) {
        throw new ConflictError(
          `${number} is ${row.status}: a post-mortem is recorded after it is resolved`,
        );
      }
      const [inserted] = await tx('incident_updates')
        .insert({
          source: row.source,
          source_id: row.source_id,
          number,
          kind,
          message,
          link: link ?? null,
          actor,
          created_at: now,
        })
        .returning('id');
      const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
      await DatabaseNotificationStore.enqueue(tx, [
        {
          key: `notify:${kind}:${row.source}:${row.source_id}:${id}`,
          event: kind === 'update' ? 'stakeholder-update' : 'post-mortem',
          incident: {
            source: row.source,
            sourceId: row.source_id,
            number,
          },
          payload: {
            priority: row.priority,
            message,
            ...(link ? { link } : {}),
            actor,
          },
          now,
        },
      ]);
      return updateFromRow(await tx('incident_updates').where({ id }).first());
    });
  }

  async listUpdates(number: string): Promise<StoredUpdate[]> {
    const rows = await this.db('incident_updates')
      .where({ number })
      .orderBy('id');
    return rows.map(updateFromRow);
  }

  /** One incident for the cadence; undefined if there is none. */
  async cadenceIncident(number: string): Promise<CadenceIncident | undefined> {
    const row = await this.db('incidents')
      .where({ number })
      .whereNull('removed_at')
      .first(INCIDENT_COLUMNS);
    if (!row) return undefined;
    return (await this.withHistory([row]))[0];
  }

  /**
   * Incidents with an hourly cadence that are open (or resolved within `recentMs`), and
   * resolved incidents owing a post-mortem resolved within `postMortemMs`, with their
   * history and updates.
   */
  async cadenceIncidents(
    policy: CommunicationPolicy,
    now: Date,
    options: { recentMs: number; postMortemMs: number },
  ): Promise<CadenceIncident[]> {
    const recent = new Date(now.getTime() - options.recentMs);
    const postMortemFrom = new Date(now.getTime() - options.postMortemMs);
    const rows = await this.db('incidents')
      .whereNull('removed_at')
      .andWhere(q => {
        if (policy.hourlyUpdates.priorities.length > 0) {
          q.orWhere(q2 =>
            q2
              .whereIn('priority', policy.hourlyUpdates.priorities)
              .andWhere(q3 =>
                q3.where('is_open', true).orWhere('resolved_at', '>=', recent),
              ),
          );
        }
        if (policy.postMortem.priorities.length > 0) {
          q.orWhere(q2 =>
            q2
              .whereIn('priority', policy.postMortem.priorities)
              .where('is_open', false)
              .where('resolved_at', '>=', postMortemFrom),
          );
        }
        if (
          policy.hourlyUpdates.priorities.length === 0 &&
          policy.postMortem.priorities.length === 0
        ) {
          q.whereRaw('1 = 0');
        }
      })
      .orderBy('number')
      .select(INCIDENT_COLUMNS);
    return this.withHistory(rows);
  }

  /** Adds the status history (suite transitions) and the updates to incident rows. */
  private async withHistory(
    rows: Array<Record<string, any>>,
  ): Promise<CadenceIncident[]> {
    const history = new Map<string, StatusChange[]>();
    const updates = new Map<string, CadenceSubject['updates']>();
    // by (source, source_id), the leading columns of both tables' incident index
    const ids = rows.map(r => [r.source as string, r.source_id as string]);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const [events, posted] = await Promise.all([
        this.db('incident_events')
          .whereIn(['source', 'source_id'], chunk)
          .whereIn('type', ['transition', 'escalation'])
          .orderBy('id')
          .select('source', 'source_id', 'to_status', 'created_at'),
        this.db('incident_updates')
          .whereIn(['source', 'source_id'], chunk)
          .orderBy('id')
          .select('source', 'source_id', 'kind', 'created_at'),
      ]);
      for (const e of events) {
        const k = `${e.source}:${e.source_id}`;
        history.set(k, [
          ...(history.get(k) ?? []),
          { at: isoOf(e.created_at)!, status: e.to_status as IncidentStatus },
        ]);
      }
      for (const u of posted) {
        const k = `${u.source}:${u.source_id}`;
        updates.set(k, [
          ...(updates.get(k) ?? []),
          { kind: u.kind, at: isoOf(u.created_at)! },
        ]);
      }
    }
    return rows.map(r => {
      const k = `${r.source}:${r.source_id}`;
      const changes = [...(history.get(k) ?? [])];
      // a change made at the source is known only as the status since its last update
      if (changes[changes.length - 1]?.status !== r.status) {
        changes.push({ at: isoOf(r.source_updated_at)!, status: r.status });
      }
      return {
        source: r.source,
        sourceId: r.source_id,
        number: r.number,
        shortDescription: r.short_description,
        subject: {
          priority: r.priority,
          status: r.status,
          openedAt: isoOf(r.opened_at)!,
          ...(r.resolved_at ? { resolvedAt: isoOf(r.resolved_at) } : {}),
          history: changes,
          updates: updates.get(k) ?? [],
        },
      };
    });
  }

  /** Open incidents of these priorities opened by `before`, by caller. */
  async openByRequestor(
    priorities: Priority[],
    before: Date,
  ): Promise<RequestorIncidents[]> {
    if (priorities.length === 0) return [];
    const rows = await this.db('incidents')
      .whereNull('removed_at')
      .where('is_open', true)
      .whereIn('priority', priorities)
      .where('opened_at', '<=', before)
      .whereNotNull('caller_name')
      .orderBy(['caller_name', 'priority', 'number'])
      .select(INCIDENT_COLUMNS);
    const byCaller = new Map<string, (typeof rows)[number][]>();
    for (const r of rows) {
      const k = r.caller_id ?? r.caller_name;
      byCaller.set(k, [...(byCaller.get(k) ?? []), r]);
    }
    return [...byCaller.values()].map(list => ({
      requestor: {
        ...(list[0].caller_id ? { id: list[0].caller_id } : {}),
        name: list[0].caller_name,
      },
      incidents: list.map(r => ({
        number: r.number,
        priority: r.priority,
        status: r.status,
        shortDescription: r.short_description,
        ...(r.url ? { url: r.url } : {}),
      })),
    }));
  }

  /**
   * Opens a vendor case on an incident and, in the same transaction, the event that tells
   * the vendor liaison, the vendor manager and the vendor's channel. The same vendor case
   * twice is a ConflictError.
   */
  async openVendorEngagement(
    options: OpenVendorEngagementOptions,
  ): Promise<StoredVendorEngagement> {
    const { number, vendor, caseId, openedAt, responseSla, note, actor, now } =
      options;
    return this.db.transaction(async tx => {
      const row = await this.incidentRow(tx, number);
      const existing = await tx('vendor_engagements')
        .where({ vendor, case_id: caseId })
        .first('number');
      if (existing) {
        throw new ConflictError(
          `${vendor} case ${caseId} is already recorded on ${existing.number}`,
        );
      }
      const respondBy = new Date(openedAt.getTime() + responseSla);
      const [inserted] = await tx('vendor_engagements')
        .insert({
          source: row.source,
          source_id: row.source_id,
          number,
          vendor,
          case_id: caseId,
          opened_at: openedAt,
          response_sla_ms: responseSla,
          respond_by: respondBy,
          note: note ?? null,
          opened_by: actor,
          created_at: now,
        })
        .returning('id');
      const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
      await DatabaseNotificationStore.enqueue(tx, [
        {
          key: `notify:vendor-engaged:${id}`,
          event: 'vendor-engaged',
          incident: { source: row.source, sourceId: row.source_id, number },
          payload: {
            priority: row.priority,
            vendor: { vendor, caseId, respondBy: respondBy.toISOString() },
            actor,
            ...(note ? { note } : {}),
          },
          now,
        },
      ]);
      return (await this.listVendorEngagements({ id }, tx))[0];
    });
  }

  /**
   * Records the vendor's first response. NotFoundError for an engagement not on that
   * incident; ConflictError when a response is already recorded.
   */
  async recordVendorResponse(
    options: RecordVendorResponseOptions,
  ): Promise<StoredVendorEngagement> {
    const { number, id, respondedAt, note, actor } = options;
    return this.db.transaction(async tx => {
      const row = await tx('vendor_engagements').where({ id, number }).first();
      if (!row) {
        throw new NotFoundError(`No vendor engagement ${id} on ${number}`);
      }
      if (row.responded_at !== null && row.responded_at !== undefined) {
        throw new ConflictError(
          `The response on ${row.vendor} case ${
            row.case_id
          } is already recorded (${isoOf(row.responded_at)})`,
        );
      }
      if (respondedAt.getTime() < toDate(row.opened_at)!.getTime()) {
        throw new ConflictError(
          `The response cannot come before the case was opened (${isoOf(
            row.opened_at,
          )})`,
        );
      }
      await tx('vendor_engagements')
        .where({ id })
        .update({
          responded_at: respondedAt,
          response_note: note ?? null,
          responded_recorded_by: actor,
        });
      return (await this.listVendorEngagements({ id }, tx))[0];
    });
  }

  async listVendorEngagements(
    filter: ListVendorEngagementsOptions,
    db: Knex = this.db,
  ): Promise<StoredVendorEngagement[]> {
    const q = db('vendor_engagements as v')
      .join('incidents as i', j =>
        j.on('i.source', 'v.source').andOn('i.source_id', 'v.source_id'),
      )
      .select('v.*', 'i.priority')
      .orderBy('v.opened_at', 'desc')
      .orderBy('v.id', 'desc');
    if (filter.id !== undefined) q.where('v.id', filter.id);
    if (filter.number) q.where('v.number', filter.number);
    if (filter.vendor) q.where('v.vendor', filter.vendor);
    if (filter.waiting) q.whereNull('v.responded_at');
    if (filter.limit) q.limit(filter.limit);
    return (await q).map(engagementFromRow);
  }

  /** Engagements the vendor has not answered by their response deadline. */
  async vendorBreaches(now: Date): Promise<VendorBreach[]> {
    const rows = await this.db('vendor_engagements as v')
      .join('incidents as i', j =>
        j.on('i.source', 'v.source').andOn('i.source_id', 'v.source_id'),
      )
      .whereNull('v.responded_at')
      .where('v.respond_by', '<=', now)
      .select(
        'v.id',
        'v.source',
        'v.source_id',
        'v.number',
        'v.vendor',
        'v.case_id',
        'v.respond_by',
        'i.priority',
      );
    return rows.map(r => ({
      id: Number(r.id),
      source: r.source,
      sourceId: r.source_id,
      number: r.number,
      priority: r.priority,
      vendor: r.vendor,
      caseId: r.case_id,
      respondBy: isoOf(r.respond_by)!,
    }));
  }
}
