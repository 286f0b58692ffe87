import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { deliveryRow } from './DatabaseNotificationStore';
import { isoOf } from './rows';

/** A report's delivery record for one period. */
export interface ReportDelivery {
  status: string;
  attempts: number;
  recipients: string[];
  channels: string[];
  lastError?: string;
  deliveredAt?: string;
}

/** One channel's delivery of a report, queued in the notification outbox. */
export interface QueuedReportDelivery {
  key: string;
  channel: string;
  to: string[];
  recipients: Array<{ entityRef: string; email?: string }>;
}

/** What `claimDelivery` is given. */
export interface ClaimDeliveryOptions {
  kind: string;
  period: string;
  now: Date;
  leaseMs: number;
  maxAttempts: number;
}

/** What `finishDelivery` is given. */
export interface FinishDeliveryOptions {
  kind: string;
  period: string;
  status: 'sent' | 'failed';
  recipients?: string[];
  channels?: string[];
  error?: string;
  now: Date;
}

/** What `queueReportDeliveries` is given. */
export interface QueueReportDeliveriesOptions {
  kind: string;
  period: string;
  deliveries: QueuedReportDelivery[];
  message: Record<string, string>;
  recipients: string[];
  now: Date;
}

/**
 * Delivery records of the scheduled reports (`incident_report_deliveries`): one per report
 * and period, claimed by one replica.
 */
export interface ReportDeliveryStore {
  /**
   * Claims the delivery of one report for one period; a failed delivery, or one whose
   * sender died, can be claimed again up to `maxAttempts`. Whether this caller holds it.
   */
  claimDelivery(options: ClaimDeliveryOptions): Promise<boolean>;
  /** Records how a claimed delivery ended. */
  finishDelivery(options: FinishDeliveryOptions): Promise<void>;
  /** Queues a claimed report's deliveries and marks it sent, in one transaction. */
  queueReportDeliveries(options: QueueReportDeliveriesOptions): Promise<void>;
  getDelivery(
    kind: string,
    period: string,
  ): Promise<ReportDelivery | undefined>;
}

/** The knex-backed delivery records. */
export class DatabaseReportDeliveryStore implements ReportDeliveryStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabaseReportDeliveryStore(await options.database.getClient());
  }

  constructor(private readonly db: Knex) {}

  /**
   * Claims the delivery of one report for one period: the first claim inserts its row (the
   * primary key lets one replica win); a failed delivery, or one whose sender died (claimed
   * longer than `leaseMs` ago), can be claimed again by a conditional update, up to
   * `maxAttempts`. Returns whether this caller holds it.
   */
  async claimDelivery(options: ClaimDeliveryOptions): Promise<boolean> {
    const { kind, period, now } = options;
    const inserted = await this.db('incident_report_deliveries')
      .insert({ kind, period, status: 'sending', attempts: 1, claimed_at: now })
      .onConflict(['kind', 'period'])
      .ignore()
      .returning('kind');
    if (inserted.length > 0) return true;
    const stale = new Date(now.getTime() - options.leaseMs);
    const claimed = await this.db('incident_report_deliveries')
      .where({ kind, period })
      .andWhere('attempts', '<', options.maxAttempts)
      .andWhere(q =>
        q
          .where('status', 'failed')
          .orWhere(q2 =>
            q2.where('status', 'sending').andWhere('claimed_at', '<', stale),
          ),
      )
      .update({
        status: 'sending',
        claimed_at: now,
        attempts: this.db.raw('?? + 1', ['attempts']),
      });
    return claimed === 1;
  }

  /** Records how a claimed delivery ended. */
  async finishDelivery(options: FinishDeliveryOptions) {
    await this.db('incident_report_deliveries')
      .where({ kind: options.kind, period: options.period })
      .update({
        status: options.status,
        recipients: options.recipients
          ? JSON.stringify(options.recipients)
          : null,
        channels: options.channels ? JSON.stringify(options.channels) : null,
        last_error: options.error ?? null,
        delivered_at: options.status === 'sent' ? options.now : null,
      });
  }

  /**
   * Queues a claimed report's deliveries in the notification outbox (one row per channel,
   * delivered once each by its dispatcher) and marks the report sent, in one transaction.
   */
  async queueReportDeliveries(options: QueueReportDeliveriesOptions) {
    const { now } = options;
    await this.db.transaction(async tx => {
      for (const d of options.deliveries) {
        const recipients = d.recipients.map(r => ({
          entityRef: r.entityRef,
          name: r.entityRef,
          email: r.email,
        }));
        await tx('incident_notifications')
          .insert(
            deliveryRow(
              { ...d, recipients, message: options.message },
              options.message.event,
              now,
            ),
          )
          .onConflict('dedupe_key')
          .ignore();
      }
      await tx('incident_report_deliveries')
        .where({ kind: options.kind, period: options.period })
        .update({
          status: 'sent',
          recipients: JSON.stringify(options.recipients),
          channels: JSON.stringify(options.deliveries.map(d => d.channel)),
          last_error: null,
          delivered_at: now,
        });
    });
  }

  async getDelivery(
    kind: string,
    period: string,
  ): Promise<ReportDelivery | undefined> {
    const row = await this.db('incident_report_deliveries')
      .where({ kind, period })
      .first();
    return (
      row && {
        status: row.status as string,
        attempts: Number(row.attempts),
        recipients: row.recipients
          ? (JSON.parse(row.recipients) as string[])
          : [],
        channels: row.channels ? (JSON.parse(row.channels) as string[]) : [],
        lastError: row.last_error ?? undefined,
        deliveredAt: isoOf(row.delivered_at),
      }
    );
  }
}
