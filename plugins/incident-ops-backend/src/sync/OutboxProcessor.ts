import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentProvider } from '@acme/plugin-incident-ops-node';
import type { WorkflowStore } from '../database/DatabaseWorkflowStore';
import type {
  OutboxEntry,
  WriteBackStore,
} from '../database/DatabaseWriteBackStore';
import {
  type RetryOptions,
  retryDelay,
  workInSlices,
} from '../database/outbox';

/** What one run did. */
export interface OutboxRunTotals {
  written: number;
  conflicts: number;
  retried: number;
  refused: number;
}

/**
 * Delivers the outbox: each queued change goes to its provider's `writeBack` until the source
 * accepts it, reports a conflict or refuses it, with capped, jittered backoff between
 * attempts and at most `maxAttempts` of them; then it is refused, kept with its reason until an
 * admin re-queues it. Changes to one incident go out in the order they were made (the store's
 * claim holds a later one back while an earlier one is not done).
 *
 * Leases: one ServiceNow write-back can take minutes (the client's retries, three writes whose
 * answers were lost), far longer than any lease short enough to recover fast from a dead
 * worker. So the lease is short (`leaseMs`, 30 s) and renewed while the run works its batch; a
 * worker killed mid-call loses its entries one lease later. A run stops claiming once its
 * `budgetMs` (20 s) is used and hands back what it has not started, so the task's timeout can
 * be short too (30 s: a killed worker's scheduler lock frees fast). A call that outlasts the
 * timeout simply finishes while the next run, on any replica, takes other entries; every state
 * change is conditional on the claim's token, so a worker that lost its lease changes nothing.
 */
export class OutboxProcessor {
  constructor(
    private readonly options: {
      store: WriteBackStore;
      /** Where each delivery's outcome is recorded on the incident's timeline. */
      workflow: Pick<WorkflowStore, 'recordEvent'>;
      providers: IncidentProvider[];
      logger: LoggerService;
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

  async runOnce(): Promise<OutboxRunTotals> {
    const totals = { written: 0, conflicts: 0, retried: 0, refused: 0 };
    await workInSlices({
      rows: this.options.store,
      now: () => this.now(),
      leaseMs: this.options.leaseMs ?? 30_000,
      batchSize: this.options.batchSize ?? 10,
      budgetMs: this.options.budgetMs ?? 20_000,
      maxBatches: 10,
      work: entry => this.deliver(entry, totals),
    });
    return totals;
  }

  private async deliver(
    entry: OutboxEntry,
    totals: OutboxRunTotals,
  ): Promise<'stop' | void> {
    const { store, providers } = this.options;
    const { change } = entry;
    const maxAttempts = this.options.maxAttempts ?? 10;
    if (entry.attempts > maxAttempts) {
      // its workers died (or lost their lease) on every attempt
      await this.refuse(entry, `No answer after ${maxAttempts} attempts`);
      totals.refused++;
      return undefined;
    }
    const provider = providers.find(p => p.getProviderName() === entry.source);
    try {
      if (!provider?.writeBack) {
        throw new Error(`No provider '${entry.source}' that writes back`);
      }
      // our own earlier writes to it moved its version on; they are no conflict
      change.expectedVersion = await store.ownWriteBase(
        entry.source,
        entry.sourceId,
        change.expectedVersion,
      );
      const result = await provider.writeBack(change);
      if (result.outcome === 'conflict') {
        if (await store.markConflict(entry, result.reason, this.now())) {
          await this.record(entry, 'write-back-conflict', result.reason);
          this.options.logger.warn(
            `Write-back ${change.key} not sent: ${result.reason}`,
          );
        } else this.stale(entry);
        totals.conflicts++;
      } else if (result.outcome === 'refused') {
        await this.refuse(entry, result.reason);
        totals.refused++;
      } else {
        // the version the source is at after our write: the base of the next one
        if (await store.markDone(entry, this.now(), result.version)) {
          await this.record(entry, 'write-back', undefined, result.outcome);
        } else this.stale(entry);
        totals.written++;
      }
      return undefined;
    } catch (e) {
      const error = `${(e as Error).name}: ${(e as Error).message}`;
      if (entry.attempts >= maxAttempts) {
        await this.refuse(entry, `${error} (after ${entry.attempts} attempts)`);
        totals.refused++;
        return undefined;
      }
      const { delay, rateLimited } = retryDelay(e, entry.attempts, this.now(), {
        ...this.options,
        backoffBaseMs: this.options.backoffBaseMs ?? 5_000,
      });
      const at = new Date(this.now().getTime() + delay);
      if (!(await store.retryLater(entry, error, at))) this.stale(entry);
      this.options.logger.warn(
        `Write-back ${change.key} failed (attempt ${
          entry.attempts
        }), retrying in ${Math.round(delay / 1000)} s: ${error}`,
      );
      totals.retried++;
      // the source asks for a pause: the rest of the batch waits for the next run
      return rateLimited ? 'stop' : undefined;
    }
  }

  private async refuse(entry: OutboxEntry, reason: string) {
    if (!(await this.options.store.markRefused(entry, reason, this.now()))) {
      this.stale(entry);
      return;
    }
    await this.record(entry, 'write-back-refused', reason);
    this.options.logger.error(
      `Write-back ${entry.change.key} refused, an admin can re-queue it: ${reason}`,
    );
  }

  private stale(entry: OutboxEntry) {
    this.options.logger.warn(
      `Write-back ${entry.change.key}: claim lost to another worker, its outcome was not recorded here`,
    );
  }

  private record(
    entry: OutboxEntry,
    type: string,
    note?: string,
    outcome?: string,
  ) {
    return this.options.workflow.recordEvent({
      source: entry.source,
      sourceId: entry.sourceId,
      number: entry.change.number,
      type,
      note,
      details: { key: entry.change.key, ...(outcome ? { outcome } : {}) },
      now: this.now(),
    });
  }
}
