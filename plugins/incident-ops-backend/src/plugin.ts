import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  IncidentNotifier,
  IncidentProvider,
  incidentOpsIncidentProvidersExtensionPoint,
  incidentOpsNotifiersExtensionPoint,
} from '@acme/plugin-incident-ops-node';
import { readOperationalModel } from './config';
import { createStores } from './database';
import { IncidentOpsEnv } from './env';
import { createTasks } from './tasks';
import { setupContacts } from './contacts/setup';
import { setupKnowledge } from './knowledge/setup';
import { setupSync } from './sync/setup';
import { setupEscalation } from './escalation/setup';
import { setupNotifications } from './notifications/setup';
import { setupReports } from './reports/setup';
import { setupPlaybooks } from './playbooks/setup';
import { setupWorkflow } from './workflow/setup';
import { setupReporting } from './reporting/setup';
import { setupPermissions } from './permissions/setup';
import { setupActions } from './actions/setup';
import { createRouter } from './routes/router';

/**
 * The incident-ops backend plugin: stores incidents from its providers (added by modules
 * such as the ServiceNow one) and serves them at /api/incident-ops.
 * @public
 */
export const incidentOpsPlugin = createBackendPlugin({
  pluginId: 'incident-ops',
  register(reg) {
    const providers: IncidentProvider[] = [];
    reg.registerExtensionPoint(incidentOpsIncidentProvidersExtensionPoint, {
      addIncidentProvider: (...added) => providers.push(...added.flat()),
    });
    const notifiers: IncidentNotifier[] = [];
    reg.registerExtensionPoint(incidentOpsNotifiersExtensionPoint, {
      addNotifier: (...added) => notifiers.push(...added.flat()),
    });

    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger, catalog, auth, notifications, signals } = deps;
        const model = readOperationalModel(config);
        const env: IncidentOpsEnv = {
          config,
          logger,
          catalog,
          auth,
          stores: await createStores({ database: deps.database }),
          tasks: createTasks({ config, scheduler: deps.scheduler, logger }),
        };
        const access = await setupPermissions(env, deps);

        const contacts = await setupContacts(env);
        const knowledge = await setupKnowledge(env, { rules: model.rules });
        const { providers: connected } = await setupSync(env, {
          ...model,
          providers,
          knowledge,
        });
        const escalation = await setupEscalation(env, model);
        const communication = await setupNotifications(env, {
          contacts,
          notifications,
          signals,
          notifiers,
        });
        const reports = await setupReports(env, {
          policy: model.policy,
          contacts,
          notifications,
          postMortem: communication.policy.postMortem,
        });
        const { playbooks, lessons } = await setupPlaybooks(env);
        const incidentWorkflow = await setupWorkflow(env, {
          groupOf: model.groupOf,
          playbooks,
        });
        const reporting = await setupReporting(env, {
          ...model,
          providers: connected,
          knowledge,
          playbooks,
          policy: communication.policy,
        });

        setupActions(env, {
          ...deps,
          ...escalation,
          access,
          contacts,
          knowledge,
          reporting,
          incidentWorkflow,
        });

        deps.httpRouter.use(
          await createRouter({
            ...deps,
            ...escalation,
            store: env.stores.incidents,
            workflow: env.stores.workflow,
            escalations: env.stores.escalations,
            writeBacks: env.stores.writeBacks,
            queue: env.stores.queue,
            tasks: env.tasks,
            providers: connected,
            contacts,
            knowledge,
            communication,
            reports,
            playbooks,
            lessons,
            incidentWorkflow,
            access,
            reporting,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
