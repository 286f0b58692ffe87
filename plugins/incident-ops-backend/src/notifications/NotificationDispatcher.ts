import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentNotifier } from '@acme/plugin-incident-ops-node';
import type {
  ClaimedNotification,
  NotificationStore,
} from '../database/DatabaseNotificationStore';
import {
  type RetryOptions,
  retryDelay,
  workInSlices,
} from '../database/outbox';
import type { NotificationRouter } from './NotificationRouter';
import type { IncidentSignals } from './signals';

/**
 * Works the notification outbox: routes events to deliveries (who, by which channel) and
 * sends deliveries through their channel's notifier. Each row is claimed by one worker
 * (conditional update, under a token every later change names) and retried with capped,
 * jittered backoff (never before a notifier's `retryAfter`) until it succeeds or runs out of
 * attempts; then it stays, refused with its last error, until an admin re-queues it. Rows
 * about one incident go out in order (see the store's orderKey).
 *
 * Leases and slices as in the write-back OutboxProcessor: a short lease (30 s) renewed while
 * the run works its batch, and a run that claims nothing more after `budgetMs` (20 s), so the
 * task's timeout stays short and a killed worker's rows are taken over within a minute.
 */
export class NotificationDispatcher {
  constructor(
    private readonly options: {
      store: NotificationStore;
      router: Pick<NotificationRouter, 'route'>;
      notifiers: IncidentNotifier[];
      logger: LoggerService;
      signals?: IncidentSignals;
      now?: () => Date;
      /** How long a claim holds without renewal (its worker died). Default 30 s. */
      leaseMs?: number;
      /** After this long a run claims nothing more. Default 20 s. */
      budgetMs?: number;
      batchSize?: number;
    } & RetryOptions,
  ) {}

  private now() {
    return (this.options.now ?? (() => new Date()))();
  }

  /** Claims and works due rows until none are left, 20 batches, or its time is up. */
  async runOnce(): Promise<{
    routed: number;
    delivered: number;
    retried: number;
    refused: number;
  }> {
    const totals = { routed: 0, delivered: 0, retried: 0, refused: 0 };
    await workInSlices({
      rows: this.options.store,
      now: () => this.now(),
      leaseMs: this.options.leaseMs ?? 30_000,
      batchSize: this.options.batchSize ?? 50,
      budgetMs: this.options.budgetMs ?? 20_000,
      maxBatches: 20,
      work: row => this.work(row, totals),
    });
    return totals;
  }

  private async work(
    row: ClaimedNotification,
    totals: {
      routed: number;
      delivered: number;
      retried: number;
      refused: number;
    },
  ): Promise<'stop' | void> {
    const { store, logger } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 12;
    try {
      if (row.attempts > maxAttempts) {
        // its workers died (or lost their lease) on every attempt
        throw new Error(`No outcome after ${maxAttempts} attempts`);
      }
      if (row.kind === 'event') {
        await this.routeEvent(row);
        totals.routed++;
      } else {
        await this.deliver(row);
        totals.delivered++;
      }
      return undefined;
    } catch (e) {
      const error = `${(e as Error).name}: ${(e as Error).message}`;
      if (row.attempts >= maxAttempts) {
        if (await store.markRefused(row, error, this.now())) {
          logger.error(
            `Notification ${row.key} refused after ${row.attempts} attempts, an admin can re-queue it: ${error}`,
          );
        } else this.stale(row);
        totals.refused++;
        return undefined;
      }
      const { delay, rateLimited } = retryDelay(e, row.attempts, this.now(), {
        ...this.options,
        backoffBaseMs: this.options.backoffBaseMs ?? 10_000,
      });
      const at = new Date(this.now().getTime() + delay);
      if (!(await store.retryLater(row, error, at))) this.stale(row);
      logger.warn(
        `Notification ${row.key} failed (attempt ${
          row.attempts
        }), retrying in ${Math.round(delay / 1000)} s: ${error}`,
      );
      totals.retried++;
      return rateLimited ? 'stop' : undefined;
    }
  }

  private stale(row: ClaimedNotification) {
    this.options.logger.warn(
      `Notification ${row.key}: claim lost to another worker, its outcome was not recorded here`,
    );
  }

  private async routeEvent(
    row: Extract<ClaimedNotification, { kind: 'event' }>,
  ) {
    const { deliveries, outcome } = await this.options.router.route(row);
    const held = await this.options.store.completeEvent(
      row,
      row.incident,
      deliveries,
      outcome,
      this.now(),
    );
    if (!held) this.stale(row);
    else if (row.incident) {
      await this.options.signals?.incidentChanged(
        row.incident.number,
        row.event,
      );
    }
  }

  private async deliver(
    row: Extract<ClaimedNotification, { kind: 'delivery' }>,
  ) {
    const notifier = this.options.notifiers.find(
      n => n.channel === row.channel,
    );
    if (!notifier) {
      throw new Error(`No notifier for channel '${row.channel}'`);
    }
    await notifier.send({
      key: row.key,
      to: row.to,
      message: row.message,
      recipients: row.recipients,
    });
    const held = await this.options.store.markDone(
      row,
      `sent to ${row.to.length}`,
      this.now(),
    );
    if (!held) this.stale(row);
  }
}
