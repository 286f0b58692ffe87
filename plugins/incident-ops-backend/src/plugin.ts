import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  IncidentNotifier,
  IncidentProvider,
  incidentOpsIncidentProvidersExtensionPoint,
  incidentOpsNotifiersExtensionPoint,
} from '@acme/plugin-incident-ops-node';
import { incidentOpsPermissions } from '@acme/plugin-incident-ops-common';
import { DatabaseIncidentStore } from './database/DatabaseIncidentStore';
import { readClassificationRules } from './config/classification';
import { readEscalationPolicy } from './escalation/escalationPolicy';
import { createProviderConnection } from './sync/connection';
import { OUTBOX_TASK, createRouter } from './routes/router';
import { DatabaseWorkflowStore } from './database/DatabaseWorkflowStore';
import { DatabaseQueueStore } from './database/DatabaseQueueStore';
import { OutboxProcessor } from './sync/OutboxProcessor';
import { readTierGroups, readTierMapping } from './config/tiers';
import { EscalationEngine } from './escalation/EscalationEngine';
import { setupPlaybooks } from './playbooks/setup';
import { setupKnowledge } from './knowledge/setup';
import { ArrivalSuggestions } from './knowledge/arrivalSuggestions';
import { ContactResolver } from './contacts';
import { setupReports } from './reports/setup';
import { contactLookup, setupNotifications } from './notifications';

const ESCALATION_TASK = 'incident-ops-escalation';

/**
 * The incident-ops backend plugin: stores incidents from its providers (added by modules
 * such as the ServiceNow one) and serves them at /api/incident-ops.
 * @public
 */
export const incidentOpsPlugin = createBackendPlugin({
  pluginId: 'incident-ops',
  register(env) {
    const providers: IncidentProvider[] = [];
    env.registerExtensionPoint(incidentOpsIncidentProvidersExtensionPoint, {
      addIncidentProvider(...added) {
        providers.push(...added.flat());
      },
    });
    const notifiers: IncidentNotifier[] = [];
    env.registerExtensionPoint(incidentOpsNotifiersExtensionPoint, {
      addNotifier(...added) {
        notifiers.push(...added.flat());
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        auth,
        scheduler,
        catalog,
        notifications,
        signals,
      }) {
        const tierOf = readTierMapping(config);
        const rules = readClassificationRules(config);
        const policy = readEscalationPolicy(config);
        const store = await DatabaseIncidentStore.create({ database });
        const workflow = await DatabaseWorkflowStore.create({ database });
        permissionsRegistry.addPermissions(incidentOpsPermissions);

        // Knowledge: the repository's articles next to the synced ones, and suggestions.
        const knowledge = await setupKnowledge({
          config,
          database,
          incidents: store,
          rules,
          logger,
        });

        // Suggestions when a ticket arrives: recorded as shown, and a work note for ServiceNow.
        const arrival =
          config.getOptionalBoolean('incidentOps.knowledge.suggestOnArrival') ??
          true
            ? new ArrivalSuggestions({
                knowledge,
                workflow,
                logger,
                // the work notes go out now, not at the outbox's next tick
                onQueued: () =>
                  scheduler.triggerTask(OUTBOX_TASK).catch(() => {}),
              })
            : undefined;

        const names = new Set<string>();
        for (const provider of providers) {
          const source = provider.getProviderName();
          if (names.has(source)) {
            throw new Error(
              `Incident provider '${source}' is already registered. Each provider name can only be added once.`,
            );
          }
          names.add(source);
          await provider.connect(
            createProviderConnection({
              store,
              source,
              tierOf,
              rules,
              onArticlesChanged: () => knowledge.service.invalidate(),
              // what sync brings is evaluated at once, not at the next tick
              onIncidentsChanged: () =>
                scheduler.triggerTask(ESCALATION_TASK).catch(() => {}),
              onNewOpenIncidents: arrival && (list => arrival.suggest(list)),
              logger,
            }),
          );
        }
        if (providers.length === 0) {
          logger.warn(
            'No incident provider is installed; add a module such as @acme/plugin-incident-ops-backend-module-servicenow',
          );
        }

        // Who is reached about an entity, read from the catalog; notifications use it too.
        const contacts = new ContactResolver({ catalog });

        // Notifications (outbox, channels, who is told what), the communication cadence and
        // vendor engagements; live changes to open pages through signals.
        const communication = await setupNotifications({
          config,
          database,
          catalog,
          auth,
          scheduler,
          logger,
          incidents: store,
          notifications,
          signals,
          lookup: contactLookup(contacts),
          notifiers,
        });

        // Write-backs: one worker per tick across replicas (global lock), and claims that are
        // conditional updates, so each change is delivered by one worker.
        const outbox = new OutboxProcessor({
          store: workflow,
          providers,
          logger,
        });
        await scheduler.scheduleTask({
          id: OUTBOX_TASK,
          frequency: { seconds: 10 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 5 },
          fn: async () => {
            await outbox.runOnce();
          },
        });

        // Escalations: incidents whose due time has come, one replica per tick; each
        // decision is recorded once by a unique key.
        const groupOf = readTierGroups(config);
        const engine = new EscalationEngine({
          store: workflow,
          policy,
          groupOf,
          logger,
        });
        await scheduler.scheduleTask({
          id: ESCALATION_TASK,
          frequency: { seconds: 30 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 10 },
          fn: async () => {
            const { decisions } = await engine.tick();
            // its write-backs and notifications go out now, not at their next ticks
            if (decisions > 0) {
              scheduler.triggerTask(OUTBOX_TASK).catch(() => {});
              communication.notifySoon();
            }
          },
        });

        // Weekly/monthly/quarterly reports, surveys, and the weekly delivery to management.
        const reports = await setupReports({
          config,
          database,
          catalog,
          auth,
          scheduler,
          notifications,
          logger,
          policy,
          postMortem: communication.policy.postMortem,
          outbox: true,
        });

        // Playbooks (files, checked at start-up), their runs, and lessons learned.
        const { playbooks, lessons } = await setupPlaybooks({
          config,
          database,
          incidents: store,
          catalog,
          logger,
        });

        httpRouter.use(
          await createRouter({
            knowledge,
            playbooks,
            lessons,
            communication,
            reports,
            queue: await DatabaseQueueStore.create({ database }),
            policy,
            groupOf,
            contacts,
            auth,
            workflow,
            scheduler,
            store,
            catalog,
            httpAuth,
            permissions,
            auditor,
            providers,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
