import {
  ANNOTATION_STAKEHOLDER_ROLE,
  CommunicationPolicy,
  EscalationPolicy,
} from '@acme/plugin-incident-ops-common';
import type {
  AuthService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ContactResolver } from '../contacts/ContactResolver';
import type { IncidentOpsEnv } from '../env';
import { ReportBuilder } from './ReportBuilder';
import { ReportRecipient, WeeklyReportDelivery } from './WeeklyReportDelivery';

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
export async function setupReports(
  env: IncidentOpsEnv,
  deps: {
    policy: EscalationPolicy;
    contacts: ContactResolver;
    notifications: NotificationService;
    /** Post-mortem timing from the communication cadence. */
    postMortem?: CommunicationPolicy['postMortem'];
  },
) {
  const { config, logger, stores, tasks, auth } = env;
  const builder = new ReportBuilder({
    store: stores.reports,
    policy: deps.policy,
    postMortem: deps.postMortem,
    // the quarterly review reads the role accountability matrix
    ownership: async () =>
      deps.contacts.ownershipMatrix(await auth.getOwnServiceCredentials()),
  });

  const weekly = config.getOptionalConfig('incidentOps.reports.weekly');
  if (weekly?.getOptionalBoolean('enabled') !== false) {
    const channels = weekly?.getOptionalStringArray('channels') ?? [
      'backstage',
      ...(config.has('incidentOps.notifications.email') ? ['email'] : []),
    ];
    const delivery = new WeeklyReportDelivery({
      store: stores.reportDeliveries,
      builder,
      recipients: reportRecipients(env),
      // queued in the notification outbox, sent by its channels
      outbox: { channels },
      notifications: deps.notifications,
      appBaseUrl: config.getOptionalString('app.baseUrl'),
      logger,
    });
    await tasks.schedule('weeklyReport', () => delivery.run());
  }
  return { builder, surveys: stores.surveys };
}
