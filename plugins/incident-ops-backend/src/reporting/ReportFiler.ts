import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type ClassificationRule,
  type Tier,
  classifyTicket,
} from '@acme/plugin-incident-ops-common';
import type { IncidentProvider } from '@acme/plugin-incident-ops-node';
import type {
  IncidentReportStore,
  ReportEntry,
} from '../database/DatabaseIncidentReportStore';
import type { IncidentStore } from '../database/IncidentStore';
import type { WorkflowStore } from '../database/DatabaseWorkflowStore';
import {
  type RetryOptions,
  retryDelay,
  workInSlices,
} from '../database/outbox';

/** What one run did. */
export interface ReportFilingTotals {
  filed: number;
  retried: number;
  refused: number;
}

/**
 * Files reported incidents in their source, exactly once: each report is an outbox row
 * claimed with a fenced, renewed lease (as the write-backs are), handed to its provider's
 * `createIncident`, which looks for a record with the report's key before it creates one. So a
 * retry after a lost answer, a crash, or a claim taken over finds the record the first attempt
 * made. While the source is down the report stays queued and is retried with capped backoff;
 * it is never dropped. A refusal (the source read it and will not take it), or running out of
 * attempts, leaves it `refused` with the reason until an admin re-queues it.
 *
 * Once filed, the source's record is stored as the sync would store it (so the next sync of
 * it updates that row, never adds one) and the provisional row goes.
 */
export class ReportFiler {
  constructor(
    private readonly options: {
      reports: IncidentReportStore;
      incidents: IncidentStore;
      workflow: Pick<WorkflowStore, 'recordEvent'>;
      providers: IncidentProvider[];
      tierOf: (group?: { id: string; name?: string }) => Tier | undefined;
      rules: readonly ClassificationRule[];
      logger: LoggerService;
      now?: () => Date;
      leaseMs?: number;
      budgetMs?: number;
      /** Called when filed incidents were stored (the escalation engine looks at them). */
      onFiled?: () => void;
    } & RetryOptions,
  ) {}

  private now() {
    return (this.options.now ?? (() => new Date()))();
  }

  async runOnce(): Promise<ReportFilingTotals> {
    const totals = { filed: 0, retried: 0, refused: 0 };
    await workInSlices({
      rows: this.options.reports,
      now: () => this.now(),
      leaseMs: this.options.leaseMs ?? 30_000,
      batchSize: 10,
      budgetMs: this.options.budgetMs ?? 20_000,
      maxBatches: 10,
      work: entry => this.file(entry, totals),
    });
    if (totals.filed > 0) this.options.onFiled?.();
    return totals;
  }

  private async file(
    entry: ReportEntry,
    totals: ReportFilingTotals,
  ): Promise<'stop' | void> {
    const { reports, providers, logger } = this.options;
    const { report } = entry;
    // generous: an outage of days still leaves the report queued, not refused
    const maxAttempts = this.options.maxAttempts ?? 500;
    if (entry.attempts > maxAttempts) {
      await this.refuse(entry, `No answer after ${maxAttempts} attempts`);
      totals.refused++;
      return undefined;
    }
    const provider = providers.find(p => p.getProviderName() === report.source);
    try {
      if (!provider?.createIncident) {
        throw new Error(
          `No provider '${report.source}' that creates incidents`,
        );
      }
      const result = await provider.createIncident(report.request);
      if (result.outcome === 'refused') {
        await this.refuse(entry, result.reason);
        totals.refused++;
        return undefined;
      }
      const { incident } = result;
      const { type, rule } = classifyTicket(incident, this.options.rules);
      await this.options.incidents.upsertIncidents([
        {
          ...incident,
          source: report.source,
          tier: this.options.tierOf(incident.assignmentGroup) ?? report.tier,
          // what the reporter chose, unless the source's record says otherwise
          ticketType: report.ticketType ?? type,
          ticketTypeRule: report.ticketType ? 'reporter' : rule,
          syncedAt: this.now().toISOString(),
        },
      ]);
      const filed = { number: incident.number, sourceId: incident.id };
      if (!(await reports.markFiled(entry, filed, this.now()))) {
        this.stale(entry);
        return undefined;
      }
      await this.options.workflow.recordEvent({
        source: report.source,
        sourceId: incident.id,
        number: incident.number,
        type: 'reported',
        note: `Reported in Backstage by ${report.reportedBy ?? 'someone'} as ${
          report.provisionalNumber
        }${
          result.outcome === 'found' ? ' (found in the source on a retry)' : ''
        }`,
        details: { clientKey: report.clientKey, outcome: result.outcome },
        now: this.now(),
      });
      logger.info(
        `Reported incident ${report.provisionalNumber} filed as ${incident.number} (${result.outcome})`,
      );
      totals.filed++;
      return undefined;
    } catch (e) {
      const error = `${(e as Error).name}: ${(e as Error).message}`;
      const { delay, rateLimited } = retryDelay(e, entry.attempts, this.now(), {
        ...this.options,
        backoffBaseMs: this.options.backoffBaseMs ?? 5_000,
      });
      const at = new Date(this.now().getTime() + delay);
      if (!(await reports.retryLater(entry, error, at))) this.stale(entry);
      logger.warn(
        `Reported incident ${report.provisionalNumber} not filed yet (attempt ${
          entry.attempts
        }), retrying in ${Math.round(delay / 1000)} s: ${error}`,
      );
      totals.retried++;
      return rateLimited ? 'stop' : undefined;
    }
  }

  private async refuse(entry: ReportEntry, reason: string) {
    if (!(await this.options.reports.markRefused(entry, reason, this.now()))) {
      this.stale(entry);
      return;
    }
    this.options.logger.error(
      `Reported incident ${entry.report.provisionalNumber} refused by its source, an admin can re-queue it: ${reason}`,
    );
  }

  private stale(entry: ReportEntry) {
    this.options.logger.warn(
      `Reported incident ${entry.report.provisionalNumber}: claim lost to another worker, its outcome was not recorded here`,
    );
  }
}
