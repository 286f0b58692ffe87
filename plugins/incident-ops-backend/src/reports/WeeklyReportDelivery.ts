import {
  ReportPeriod,
  ReportResponse,
  formatDuration,
  previousReportPeriods,
  reportPeriodContaining,
} from '@acme/plugin-incident-ops-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ReportDeliveryStore } from '../database/DatabaseReportDeliveryStore';
import type { ReportBuilder } from './ReportBuilder';
import { TASKS } from '../tasks';

/** The weekly delivery's task id, also the topic and dedupe scope of its messages. */
export const WEEKLY_REPORT_TASK = TASKS.weeklyReport.id;

const pct = (share: number | null) =>
  share === null ? 'n/a' : `${Math.round(share * 100)}%`;

/** A few lines management can read in a notification or an email. */
export function summarize(report: ReportResponse): string {
  const e = report.escalations;
  const previous = e.trend[e.trend.length - 2];
  const change =
    previous === undefined || previous === 0
      ? ''
      : ` (${e.total >= previous ? '+' : ''}${Math.round(
          ((e.total - previous) / previous) * 100,
        )}% on the week before)`;
  const triggers = e.byTrigger
    .filter(t => t.count > 0)
    .slice(0, 3)
    .map(t => `${t.key} ${t.count}`)
    .join(', ');
  const ttr = report.timeToResolve.overall;
  const tta = report.timeToAcknowledge.overall;
  const dur = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(ms));
  const sla = report.sla
    .filter(s => s.resolved > 0)
    .map(s => `${s.priority} ${pct(s.resolve.compliance)}`)
    .join(', ');
  // the totals, not the lists (which are cut)
  const recurring = report.recurringP2sTotal;
  const pastSla = report.vendors.byVendor.reduce((n, v) => n + v.breached, 0);
  return [
    `Escalations: ${e.total}${change}${
      triggers ? `; by trigger ${triggers}` : ''
    }.`,
    `Time to acknowledge: median ${dur(tta.medianMs)}, p90 ${dur(tta.p90Ms)} (${
      tta.count
    } tickets). Time to resolve: median ${dur(ttr.medianMs)}, p90 ${dur(
      ttr.p90Ms,
    )} (${ttr.count} tickets).`,
    `Resolve SLA met: ${sla || 'nothing resolved'}.`,
    `Recurring P2s for the stakeholder review: ${recurring}.`,
    `KB: ${report.kb.suggestionsShown} suggestions shown, ${report.kb.markedHelpful} marked helpful, ${report.kb.kbExhaustedTickets} tickets KB-exhausted, ${report.kb.deflections} problems solved by an article before a ticket was filed.`,
    `Vendor cases: ${report.vendors.byVendor.reduce(
      (n, v) => n + v.opened,
      0,
    )}, ${pastSla} past their response SLA. Post-mortems due: ${
      report.postMortems.due
    }, overdue: ${report.postMortems.overdue}.`,
    report.surveys.responses
      ? `Surveys: ${report.surveys.responses}, average ${report.surveys.averageRating}/5.`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Someone the weekly report goes to. */
export interface ReportRecipient {
  entityRef: string;
  email?: string;
}

/**
 * Sends each week's report to management once, after the week ends, with a summary and a
 * link to the Reports page. With the notification outbox, the week's deliveries (Backstage
 * notification to the groups, email to their addresses) are queued in the same transaction
 * that marks the week sent, and the outbox's dispatcher delivers each once, with retries;
 * without it, the report goes straight to Backstage notifications. Across replicas the
 * scheduler's global lock runs one delivery at a time, and the week's row (claimed by
 * insert) makes its report go out once even if two runs overlap; a failure is tried again
 * on the next run.
 */
export class WeeklyReportDelivery {
  constructor(
    private readonly options: {
      store: ReportDeliveryStore;
      builder: ReportBuilder;
      /** Who receives it (management groups, resolved when a week is delivered). */
      recipients: () => Promise<ReportRecipient[]>;
      /** The notification outbox's channels to queue it on, e.g. backstage and email. */
      outbox?: { channels: string[] };
      /** Used when there is no outbox. */
      notifications?: NotificationService;
      /** The app's base URL, for an absolute link in emails. */
      appBaseUrl?: string;
      logger: LoggerService;
      leaseMs?: number;
      maxAttempts?: number;
    },
  ) {}

  /** Delivers the last complete week's report unless that is done already. */
  async run(now = new Date()) {
    const [week] = previousReportPeriods(
      reportPeriodContaining('weekly', now),
      1,
    );
    return this.deliver(week, now);
  }

  /** Delivers one week's report if this caller wins its claim; returns whether it did. */
  async deliver(week: ReportPeriod, now: Date): Promise<boolean> {
    const { store, builder, logger, outbox, notifications } = this.options;
    const claimed = await store.claimDelivery({
      kind: 'weekly',
      period: week.id,
      now,
      leaseMs: this.options.leaseMs ?? 30 * 60_000,
      maxAttempts: this.options.maxAttempts ?? 5,
    });
    if (!claimed) return false;
    try {
      const recipients = await this.options.recipients();
      if (recipients.length === 0) {
        throw new Error(
          'No management group to send the weekly report to: set incidentOps.reports.weekly.recipients or give groups spec.type management',
        );
      }
      const report = await builder.build(week, now);
      const message = {
        title: `Incident report for week ${week.id}`,
        body: summarize(report),
        link: `${this.options.appBaseUrl ?? ''}/incident-ops/reports?week=${
          week.id
        }`,
      };
      const refs = recipients.map(r => r.entityRef);
      if (outbox) {
        const deliveries = outbox.channels.flatMap(channel => {
          const to =
            channel === 'email'
              ? recipients.flatMap(r => (r.email ? [r.email] : []))
              : refs;
          return to.length
            ? [
                {
                  key: `${WEEKLY_REPORT_TASK}:${week.id}:${channel}`,
                  channel,
                  to: [...new Set(to)],
                  recipients,
                },
              ]
            : [];
        });
        await store.queueReportDeliveries({
          kind: 'weekly',
          period: week.id,
          deliveries,
          message: { ...message, severity: 'normal', event: 'weekly-report' },
          recipients: refs,
          now,
        });
        logger.info(
          `Weekly report ${week.id} queued for ${refs.join(', ')} (${deliveries
            .map(d => d.channel)
            .join(', ')})`,
        );
        return true;
      }
      if (!notifications) {
        throw new Error('Neither a notification outbox nor notifications');
      }
      await notifications.send({
        recipients: { type: 'entity', entityRef: refs },
        payload: {
          title: message.title,
          description: message.body,
          link: `/incident-ops/reports?week=${week.id}`,
          severity: 'normal',
          topic: WEEKLY_REPORT_TASK,
          scope: `${WEEKLY_REPORT_TASK}:${week.id}`,
        },
      });
      await store.finishDelivery({
        kind: 'weekly',
        period: week.id,
        status: 'sent',
        recipients: refs,
        channels: ['backstage'],
        now,
      });
      logger.info(`Weekly report ${week.id} sent to ${refs.join(', ')}`);
      return true;
    } catch (error) {
      await store.finishDelivery({
        kind: 'weekly',
        period: week.id,
        status: 'failed',
        error: String((error as Error).message ?? error),
        now,
      });
      logger.warn(
        `Weekly report ${week.id} could not be sent: ${
          (error as Error).message
        }`,
      );
      return false;
    }
  }
}
