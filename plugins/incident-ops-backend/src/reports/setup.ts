import {
  ANNOTATION_STAKEHOLDER_ROLE,
  CommunicationPolicy,
  EscalationPolicy,
} from '@acme/plugin-incident-ops-common';
import {
  AuthService,
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { DatabaseReportStore } from '../database/DatabaseReportStore';
import { DatabaseSurveyStore } from '../database/DatabaseSurveyStore';
import { ContactResolver } from '../contacts';
import { ReportBuilder } from './ReportBuilder';
import {
  ReportRecipient,
  WEEKLY_REPORT_TASK,
  WeeklyReportDelivery,
} from './WeeklyReportDelivery';

/**
 * Who receives the weekly report, with their email addresses:
 * `incidentOps.reports.weekly.recipients` (entity refs), or else the catalog's management
 * groups (spec.type `management`: area leads, vendor managers) and IT leadership (the group
 * whose stakeholder role is `it-leadership`).
 */
export function reportRecipients(options: {
  config: RootConfigService;
  catalog: CatalogService;
  auth: AuthService;
}): () => Promise<ReportRecipient[]> {
  const configured = options.config.getOptionalStringArray(
    'incidentOps.reports.weekly.recipients',
  );
  const fields = [
    'kind',
    'metadata.namespace',
    'metadata.name',
    'spec.profile.email',
  ];
  const emailOf = (e?: Entity) =>
    (e?.spec?.profile as { email?: string } | undefined)?.email;
  return async () => {
    const credentials = await options.auth.getOwnServiceCredentials();
    if (configured) {
      const { items } = await options.catalog.getEntitiesByRefs(
        { entityRefs: configured, fields },
        { credentials },
      );
      return configured.map((entityRef, i) => ({
        entityRef,
        email: emailOf(items[i]),
      }));
    }
    const { items } = await options.catalog.getEntities(
      {
        filter: [
          { kind: 'Group', 'spec.type': 'management' },
          {
            kind: 'Group',
            [`metadata.annotations.${ANNOTATION_STAKEHOLDER_ROLE}`]:
              'it-leadership',
          },
        ],
        fields,
      },
      { credentials },
    );
    const byRef = new Map(
      items.map(e => [stringifyEntityRef(e), emailOf(e)] as const),
    );
    return [...byRef.keys()]
      .sort()
      .map(entityRef => ({ entityRef, email: byRef.get(entityRef) }));
  };
}

/**
 * The reports: the builder and survey store the routes use, and the scheduled weekly
 * delivery to management (global scope: one replica per run).
 */
export async function setupReports(options: {
  config: RootConfigService;
  database: DatabaseService;
  catalog: CatalogService;
  auth: AuthService;
  scheduler: SchedulerService;
  notifications: NotificationService;
  logger: LoggerService;
  policy: EscalationPolicy;
  /** Post-mortem timing from the communication cadence. */
  postMortem?: CommunicationPolicy['postMortem'];
  /** Queue the weekly report in the notification outbox (else send it directly). */
  outbox?: boolean;
}) {
  const { config, database, scheduler, logger, policy } = options;
  const store = await DatabaseReportStore.create({ database });
  // the quarterly review reads the role accountability matrix as the plugin itself
  const contacts = new ContactResolver({ catalog: options.catalog });
  const builder = new ReportBuilder({
    store,
    policy,
    postMortem: options.postMortem,
    ownership: async () =>
      contacts.ownershipMatrix(await options.auth.getOwnServiceCredentials()),
  });
  const surveys = await DatabaseSurveyStore.create({ database });

  const weekly = config.getOptionalConfig('incidentOps.reports.weekly');
  if (weekly?.getOptionalBoolean('enabled') !== false) {
    const channels = weekly?.getOptionalStringArray('channels') ?? [
      'backstage',
      ...(config.has('incidentOps.notifications.email') ? ['email'] : []),
    ];
    const delivery = new WeeklyReportDelivery({
      store,
      builder,
      recipients: reportRecipients(options),
      outbox: options.outbox ? { channels } : undefined,
      notifications: options.notifications,
      appBaseUrl: config.getOptionalString('app.baseUrl'),
      logger,
    });
    const schedule = weekly?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          weekly.getConfig('schedule'),
        )
      : {
          // hourly: the week's report goes out in the first hour after the week ends,
          // and a failed delivery is tried again an hour later
          frequency: { hours: 1 },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 2 },
        };
    await scheduler.scheduleTask({
      id: WEEKLY_REPORT_TASK,
      ...schedule,
      scope: 'global',
      fn: async () => {
        await delivery.run();
      },
    });
  }
  return { builder, surveys };
}
