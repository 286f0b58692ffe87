import type {
  ClassificationRule,
  CommunicationPolicy,
  Tier,
} from '@acme/plugin-incident-ops-common';
import type { IncidentProvider } from '@acme/plugin-incident-ops-node';
import type { IncidentOpsEnv } from '../env';
import type { KnowledgeServices } from '../knowledge/setup';
import type { PlaybookService } from '../playbooks/PlaybookService';
import { readNotificationRules } from '../notifications/config';
import { IncidentReporter } from './IncidentReporter';
import { ReportFiler } from './ReportFiler';

/** What the report routes (and the actions) use. */
export interface ReportingServices {
  reporter: IncidentReporter;
  filer: ReportFiler;
}

/**
 * "Report an incident": the reporter (previews, reports, deflections) and the report outbox
 * that files each report in its source once, scheduled like the write-back outbox (every
 * replica; fenced claims in the plugin's tables).
 */
export async function setupReporting(
  env: IncidentOpsEnv,
  deps: {
    providers: IncidentProvider[];
    tierOf: (group?: { id: string; name?: string }) => Tier | undefined;
    groupOf: (tier: Tier) => string | undefined;
    rules: readonly ClassificationRule[];
    knowledge?: KnowledgeServices;
    playbooks?: PlaybookService;
    /** The communication cadence in force. */
    policy: CommunicationPolicy;
  },
): Promise<ReportingServices> {
  const { config, logger, stores, tasks, catalog, auth } = env;
  const filer = new ReportFiler({
    reports: stores.reported,
    incidents: stores.incidents,
    workflow: stores.workflow,
    providers: deps.providers,
    tierOf: deps.tierOf,
    rules: deps.rules,
    logger,
    // what was filed is evaluated at once, as what sync brings is
    onFiled: () => tasks.runSoon('escalation'),
  });
  await tasks.schedule('reportOutbox', () => filer.runOnce());
  const reporter = new IncidentReporter({
    store: stores.reported,
    catalog,
    auth,
    knowledge: deps.knowledge,
    playbooks: deps.playbooks,
    providers: deps.providers,
    rules: deps.rules,
    groupOf: deps.groupOf,
    policy: deps.policy,
    notificationRules: readNotificationRules(config),
    fileSoon: () => tasks.runSoon('reportOutbox'),
  });
  return { reporter, filer };
}
