import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  Incident,
  Priority,
  TicketType,
  Tier,
} from '@acme/plugin-incident-ops-common';
import type { NewIncident } from '@acme/plugin-incident-ops-node';
import type { Knex } from 'knex';
import { incidentToRow } from './incidentRows';
import { OutboxClaim, OutboxRows, OutboxTable, claimDue } from './outbox';
import { opt, toDate } from './rows';

const TABLE = 'incident_reports';

/** The source name of the rows that stand for reports not filed yet. */
export const REPORTED_SOURCE = 'incident-ops';

/** A report's outbox states (see outbox.ts). */
export type ReportOutboxStatus =
  | 'pending'
  | 'running'
  | 'done'
  | 'refused'
  | 'discarded';

/** A reported incident, as stored. */
export interface StoredIncidentReport {
  id: number;
  clientKey: string;
  /** The provider it is filed with. */
  source: string;
  fingerprint: string;
  request: NewIncident;
  priority: Priority;
  tier: Tier;
  assignmentGroup?: string;
  ticketType?: TicketType;
  shortDescription: string;
  entityRef: string;
  configurationItem?: string;
  reportedBy?: string;
  provisionalNumber: string;
  number?: string;
  sourceId?: string;
  status: ReportOutboxStatus;
  attempts: number;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
  doneAt?: Date;
}

/** A report claimed for filing; `token` is its claim's. */
export interface ReportEntry extends OutboxClaim {
  attempts: number;
  report: StoredIncidentReport;
}

/** What a new report is stored with. */
export type NewReport = Omit<
  StoredIncidentReport,
  | 'id'
  | 'provisionalNumber'
  | 'number'
  | 'sourceId'
  | 'status'
  | 'attempts'
  | 'lastError'
  | 'createdAt'
  | 'updatedAt'
  | 'doneAt'
>;

/** A "This solved it". */
export interface NewDeflection {
  article: { source: string; id: string };
  ticketType?: TicketType;
  entityRef?: string;
  text: string;
  actor: string;
  now: Date;
}

/**
 * Incidents reported in the suite: each is an outbox row on its way to its source (filed
 * once, by one worker, with fenced claims), and until then an incident row of its own
 * (source `incident-ops`, id = the client's key) so the queue and the entity cards show it at
 * once under a provisional number.
 */
export interface IncidentReportStore extends OutboxRows {
  /**
   * Stores a report, queued, with the incident row that stands for it until it is filed
   * (built by `provisional` from the provisional number), in one transaction. A key stored
   * before is not stored again: `created` is false and the stored report is returned.
   */
  recordReport(
    report: NewReport,
    provisional: (number: string) => Incident,
    now: Date,
  ): Promise<{ report: StoredIncidentReport; created: boolean }>;
  getReport(clientKey: string): Promise<StoredIncidentReport | undefined>;
  /** Claims up to `limit` due reports (see claimDue in outbox.ts). */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<ReportEntry[]>;
  /**
   * The source has the incident (its number and id): the report is done and the row that
   * stood for it is removed (the source's own row, stored by then, shows it). Applies only
   * while `claim` holds the report.
   */
  markFiled(
    claim: OutboxClaim,
    filed: { number: string; sourceId: string },
    now: Date,
  ): Promise<boolean>;
  /**
   * Removes the rows that stood for these reports (by key): their source's records are
   * stored. The reports stay as they are; their next filing attempt finds the record.
   */
  dropProvisional(clientKeys: string[]): Promise<void>;
  /**
   * Who reported the incident from Backstage (user entity refs), by its number or its
   * provisional number: its requestors, whoever ServiceNow names as caller.
   */
  reportersOf(number: string): Promise<string[]>;
  /** The numbers (the source's, else the provisional one) of incidents these users reported. */
  reportedBy(users: string[]): Promise<string[]>;
  recordDeflection(d: NewDeflection): Promise<{ id: number }>;
  /** How many deflections were recorded in [start, end), by article. */
  deflectionsByArticle(
    start: Date,
    end: Date,
  ): Promise<Array<{ source: string; id: string; count: number }>>;
}

function fromRow(r: Record<string, any>): StoredIncidentReport {
  return {
    id: Number(r.id),
    clientKey: r.client_key,
    source: r.source,
    fingerprint: r.fingerprint,
    request: JSON.parse(r.request),
    priority: r.priority,
    tier: r.tier,
    assignmentGroup: opt(r.assignment_group),
    ticketType: opt(r.ticket_type),
    shortDescription: r.short_description,
    entityRef: r.entity_ref,
    configurationItem: opt(r.ci),
    reportedBy: opt(r.reported_by),
    provisionalNumber: r.provisional_number,
    number: opt(r.number),
    sourceId: opt(r.source_id),
    status: r.status,
    attempts: Number(r.attempts),
    lastError: opt(r.last_error),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
    doneAt: toDate(r.done_at),
  };
}

/** RPT and the report's id in 7 digits, e.g. RPT0000042. */
const provisionalNumberOf = (id: number) => `RPT${String(id).padStart(7, '0')}`;

/** The knex-backed store of reported incidents and deflections. */
export class DatabaseIncidentReportStore
  extends OutboxTable
  implements IncidentReportStore
{
  static async create(options: { database: DatabaseService }) {
    return new DatabaseIncidentReportStore(await options.database.getClient());
  }

  private constructor(db: Knex) {
    super(db, TABLE);
  }

  async recordReport(
    report: NewReport,
    provisional: (number: string) => Incident,
    now: Date,
  ) {
    const existing = await this.getReport(report.clientKey);
    if (existing) return { report: existing, created: false };
    try {
      await this.db.transaction(async tx => {
        const [inserted] = await tx(TABLE)
          .insert({
            client_key: report.clientKey,
            source: report.source,
            fingerprint: report.fingerprint,
            request: JSON.stringify(report.request),
            priority: report.priority,
            tier: report.tier,
            assignment_group: report.assignmentGroup ?? null,
            ticket_type: report.ticketType ?? null,
            short_description: report.shortDescription,
            entity_ref: report.entityRef,
            ci: report.configurationItem ?? null,
            reported_by: report.reportedBy ?? null,
            status: 'pending',
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
          })
          .returning('id');
        const id = Number(
          typeof inserted === 'object' ? inserted.id : inserted,
        );
        const number = provisionalNumberOf(id);
        await tx(TABLE).where({ id }).update({ provisional_number: number });
        const row = incidentToRow(provisional(number));
        await tx('incidents').insert(row);
        // due for the escalation engine now: it starts the SLA clock's place in the queue
        await tx('incident_escalation_state').insert({
          source: row.source,
          source_id: row.source_id,
          due_at: now,
        });
      });
    } catch (e) {
      // the same key at the same time: the other request stored it
      const raced = await this.getReport(report.clientKey);
      if (raced) return { report: raced, created: false };
      throw e;
    }
    return { report: (await this.getReport(report.clientKey))!, created: true };
  }

  async getReport(clientKey: string) {
    const row = await this.db(TABLE).where({ client_key: clientKey }).first();
    return row ? fromRow(row) : undefined;
  }

  async claimDue(now: Date, limit: number, leaseMs: number) {
    const rows = await claimDue(this.db, TABLE, {
      now,
      limit,
      leaseMs,
      // each report is its own order: none waits for another
      orderColumns: ['client_key'],
    });
    return rows.map(
      (r): ReportEntry => ({
        id: Number(r.id),
        token: r.token,
        attempts: r.attempts,
        report: fromRow({ ...r, status: 'running', attempts: r.attempts }),
      }),
    );
  }

  async markFiled(
    claim: OutboxClaim,
    filed: { number: string; sourceId: string },
    now: Date,
  ) {
    return this.db.transaction(async tx => {
      const n = await tx(TABLE)
        .where({ id: claim.id, claim_token: claim.token, status: 'running' })
        .update({
          status: 'done',
          done_at: now,
          updated_at: now,
          last_error: null,
          number: filed.number,
          source_id: filed.sourceId,
          claim_token: null,
          lease_until: null,
        });
      if (n !== 1) return false;
      const { client_key } = await tx(TABLE)
        .where({ id: claim.id })
        .first('client_key');
      for (const table of ['incidents', 'incident_escalation_state']) {
        await tx(table)
          .where({ source: REPORTED_SOURCE, source_id: client_key })
          .delete();
      }
      return true;
    });
  }

  // the outbox's state changes also move updated_at, which the API shows
  retryLater(claim: OutboxClaim, error: string, at: Date) {
    return this.endClaim(claim, {
      status: 'pending',
      next_attempt_at: at,
      last_error: error,
      updated_at: new Date(),
    });
  }

  markRefused(claim: OutboxClaim, reason: string, now: Date) {
    return this.endClaim(claim, {
      status: 'refused',
      done_at: now,
      updated_at: now,
      last_error: reason,
    });
  }

  async dropProvisional(clientKeys: string[]) {
    if (clientKeys.length === 0) return;
    await this.db.transaction(async tx => {
      for (const table of ['incidents', 'incident_escalation_state']) {
        await tx(table)
          .where({ source: REPORTED_SOURCE })
          .whereIn('source_id', clientKeys)
          .delete();
      }
    });
  }

  async reportersOf(number: string) {
    const rows = await this.db(TABLE)
      .where(q => q.where({ number }).orWhere({ provisional_number: number }))
      .whereNotNull('reported_by')
      .distinct('reported_by');
    return rows.map(r => String(r.reported_by));
  }

  async reportedBy(users: string[]) {
    if (users.length === 0) return [];
    const rows = await this.db(TABLE)
      .whereIn('reported_by', users)
      .select('number', 'provisional_number');
    return rows.map(r => String(r.number ?? r.provisional_number));
  }

  async recordDeflection(d: NewDeflection) {
    const [inserted] = await this.db('kb_deflections')
      .insert({
        article_source: d.article.source,
        article_id: d.article.id,
        ticket_type: d.ticketType ?? null,
        entity_ref: d.entityRef ?? null,
        text: d.text,
        actor: d.actor,
        created_at: d.now,
      })
      .returning('id');
    return {
      id: Number(typeof inserted === 'object' ? inserted.id : inserted),
    };
  }

  async deflectionsByArticle(start: Date, end: Date) {
    const rows = await this.db('kb_deflections')
      .where('created_at', '>=', start)
      .andWhere('created_at', '<', end)
      .select('article_source', 'article_id')
      .count({ n: '*' })
      .groupBy('article_source', 'article_id')
      .orderBy('article_id');
    return (rows as Array<Record<string, any>>).map(r => ({
      source: r.article_source,
      id: r.article_id,
      count: Number(r.n),
    }));
  }
}
