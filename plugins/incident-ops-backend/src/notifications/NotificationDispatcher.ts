import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentNotifier } from '@acme/plugin-incident-ops-node';
import type {
  ClaimedNotification,
  NotificationStore,
} from '../database/DatabaseNotificationStore';
import type { NotificationRouter } from './NotificationRouter';
import type { IncidentSignals } from './signals';

/**
 * Works the notification outbox: routes events to deliveries (who, by which channel) and
 * sends deliveries through their channel's notifier. Each row is claimed by one worker
 * (conditional update) and retried with capped, jittered backoff until it succeeds or runs
 * out of attempts; then it stays, failed, with its last error.
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
      /** A claim older than this is taken over (its worker died). Default 5 min. */
      leaseMs?: number;
      batchSize?: number;
      backoffBaseMs?: number;
      backoffCapMs?: number;
      /** Attempts before a row is given up as failed. Default 12. */
      maxAttempts?: number;
      /** Random in [0, 1) for the jitter (tests make it fixed). */
      random?: () => number;
    },
  ) {}

  private now() {
    return (this.options.now ?? (() => new Date()))();
  }

  /** Claims and works due rows until none are left (or 20 rounds). */
  async runOnce(): Promise<{
    routed: number;
    delivered: number;
    retried: number;
    failed: number;
  }> {
    const totals = { routed: 0, delivered: 0, retried: 0, failed: 0 };
    for (let round = 0; round < 20; round++) {
      const rows = await this.options.store.claimDue(
        this.now(),
        this.options.batchSize ?? 50,
        this.options.leaseMs ?? 5 * 60_000,
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        try {
          if (row.kind === 'event') {
            await this.routeEvent(row);
            totals.routed++;
          } else {
            await this.deliver(row);
            totals.delivered++;
          }
        } catch (e) {
          const error = `${(e as Error).name}: ${(e as Error).message}`;
          if (row.attempts >= (this.options.maxAttempts ?? 12)) {
            await this.options.store.markFailed(row.id, error, this.now());
            this.options.logger.error(
              `Notification ${row.key} failed for good after ${row.attempts} attempts: ${error}`,
            );
            totals.failed++;
          } else {
            const delay = this.backoff(row.attempts);
            await this.options.store.retryLater(
              row.id,
              error,
              new Date(this.now().getTime() + delay),
            );
            this.options.logger.warn(
              `Notification ${row.key} failed (attempt ${
                row.attempts
              }), retrying in ${Math.round(delay / 1000)} s: ${error}`,
            );
            totals.retried++;
          }
        }
      }
    }
    return totals;
  }

  private backoff(attempts: number) {
    const base = this.options.backoffBaseMs ?? 10_000;
    const cap = this.options.backoffCapMs ?? 15 * 60_000;
    const random = this.options.random ?? Math.random;
    return Math.min(cap, base * 2 ** (attempts - 1)) * (0.5 + random() / 2);
  }

  private async routeEvent(
    row: Extract<ClaimedNotification, { kind: 'event' }>,
  ) {
    const { deliveries, outcome } = await this.options.router.route(row);
    await this.options.store.completeEvent(
      row,
      row.incident,
      deliveries,
      outcome,
      this.now(),
    );
    if (row.incident) {
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
    await this.options.store.markDone(
      row.id,
      `sent to ${row.to.length}`,
      this.now(),
    );
  }
}
