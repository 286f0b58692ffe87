import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentProvider } from '@acme/plugin-incident-ops-node';
import type { WorkflowStore } from '../database/DatabaseWorkflowStore';
import type {
  OutboxEntry,
  WriteBackStore,
} from '../database/DatabaseWriteBackStore';

/**
 * Delivers the outbox: each queued change goes to its provider's `writeBack` until the source
 * accepts it (or reports a conflict), with capped, jittered backoff between attempts.
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
      /** A claim older than this is taken over (its worker died). Default 5 min. */
      leaseMs?: number;
      batchSize?: number;
      backoffBaseMs?: number;
      backoffCapMs?: number;
    },
  ) {}

  async runOnce(): Promise<{
    written: number;
    conflicts: number;
    retried: number;
  }> {
    const { store } = this.options;
    const now = this.options.now ?? (() => new Date());
    const totals = { written: 0, conflicts: 0, retried: 0 };
    const batchSize = this.options.batchSize ?? 20;
    // what is due now goes out now: batches until the outbox has nothing due, including
    // what was queued while this run worked (at most ten, so one run stays short)
    for (let batch = 0; batch < 10; batch++) {
      const entries = await store.claimDue(
        now(),
        batchSize,
        this.options.leaseMs ?? 5 * 60_000,
      );
      await this.deliver(entries, totals, now);
      if (entries.length === 0) break;
    }
    return totals;
  }

  private async deliver(
    entries: OutboxEntry[],
    totals: { written: number; conflicts: number; retried: number },
    now: () => Date,
  ) {
    const { store, workflow, providers, logger } = this.options;
    const byName = new Map(providers.map(p => [p.getProviderName(), p]));
    for (const entry of entries) {
      const { change } = entry;
      const provider = byName.get(entry.source);
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
          await store.markConflict(entry.id, result.reason, now());
          await workflow.recordEvent({
            source: entry.source,
            sourceId: entry.sourceId,
            number: change.number,
            type: 'write-back-conflict',
            note: result.reason,
            details: { key: change.key },
            now: now(),
          });
          logger.warn(`Write-back ${change.key} not sent: ${result.reason}`);
          totals.conflicts++;
        } else {
          await store.markDone(
            entry.id,
            now(),
            result.outcome === 'written' ? result.version : undefined,
          );
          await workflow.recordEvent({
            source: entry.source,
            sourceId: entry.sourceId,
            number: change.number,
            type: 'write-back',
            details: { key: change.key, outcome: result.outcome },
            now: now(),
          });
          totals.written++;
        }
      } catch (e) {
        const base = this.options.backoffBaseMs ?? 5_000;
        const cap = this.options.backoffCapMs ?? 15 * 60_000;
        const delay =
          Math.min(cap, base * 2 ** (entry.attempts - 1)) *
          (0.5 + Math.random() / 2);
        const error = `${(e as Error).name}: ${(e as Error).message}`;
        await store.retryLater(
          entry.id,
          error,
          new Date(now().getTime() + delay),
        );
        logger.warn(
          `Write-back ${change.key} failed (attempt ${
            entry.attempts
          }), retrying in ${Math.round(delay / 1000)} s: ${error}`,
        );
        totals.retried++;
      }
    }
  }
}
