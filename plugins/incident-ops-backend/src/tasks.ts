import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';

/**
 * Every scheduled task of the plugin: its id, where its schedule is configured, the schedule
 * it runs on when that key is not set, and its scope. `global` tasks run on one replica per
 * tick, through the scheduler's database lock; a replica killed mid-run holds that lock until
 * the task's timeout and the scheduler's janitor (once a minute) frees it. The outboxes run
 * `local`, on every replica: their items are claimed with fenced, 30-second leases in the
 * plugin's own tables, so a dead replica's work is taken over within a lease, not a minute
 * or more.
 */
export const TASKS = {
  /**
   * Write-backs to the incident's source (ServiceNow). A short timeout: a replica killed
   * mid-run holds the task's lock until it ends. Runs are slices (OutboxProcessor claims for
   * 20 s, its entries' own leases are renewed while it works them), so a call that outlasts
   * the timeout finishes safely while the next run goes on.
   */
  outbox: {
    id: 'incident-ops-outbox',
    configKey: 'incidentOps.schedules.outbox',
    scope: 'local',
    defaults: {
      frequency: { seconds: 10 },
      timeout: { seconds: 30 },
      initialDelay: { seconds: 5 },
    },
  },
  /**
   * Incidents reported in the suite, filed in their source (reporting/ReportFiler.ts): an
   * outbox like `outbox`, run the same way.
   */
  reportOutbox: {
    id: 'incident-ops-report-outbox',
    configKey: 'incidentOps.schedules.reportOutbox',
    scope: 'local',
    defaults: {
      frequency: { seconds: 10 },
      timeout: { seconds: 30 },
      initialDelay: { seconds: 5 },
    },
  },
  /** The escalation engine: incidents whose due time has come. */
  escalation: {
    id: 'incident-ops-escalation',
    configKey: 'incidentOps.schedules.escalation',
    scope: 'global',
    defaults: {
      frequency: { seconds: 30 },
      timeout: { seconds: 30 },
      initialDelay: { seconds: 10 },
    },
  },
  /** The notification outbox: routes and delivers what is queued (slices, as `outbox`). */
  notifications: {
    id: 'incident-ops-notifications',
    configKey: 'incidentOps.schedules.notifications',
    scope: 'local',
    defaults: {
      frequency: { seconds: 10 },
      timeout: { seconds: 30 },
      initialDelay: { seconds: 5 },
    },
  },
  /** The communication cadence: updates and post-mortems that fall due. */
  cadence: {
    id: 'incident-ops-communication-cadence',
    configKey: 'incidentOps.schedules.cadence',
    scope: 'global',
    defaults: {
      frequency: { minutes: 1 },
      timeout: { seconds: 30 },
      initialDelay: { seconds: 20 },
    },
  },
  /**
   * The weekly report to management: hourly, so the week's report goes out in the first
   * hour after the week ends and a failed delivery is tried again an hour later.
   */
  weeklyReport: {
    id: 'incident-ops-weekly-report',
    configKey: 'incidentOps.reports.weekly.schedule',
    scope: 'global',
    defaults: {
      frequency: { hours: 1 },
      timeout: { minutes: 15 },
      initialDelay: { minutes: 2 },
    },
  },
} satisfies Record<
  string,
  {
    id: string;
    configKey: string;
    scope: 'global' | 'local';
    defaults: SchedulerServiceTaskScheduleDefinition;
  }
>;

export type TaskName = keyof typeof TASKS;

/** Schedules the plugin's tasks and asks for an early run of one. */
export interface IncidentOpsTasks {
  /** Schedules `name` on its configured (or default) schedule. */
  schedule(name: TaskName, fn: () => Promise<unknown>): Promise<void>;
  /**
   * Runs `name` now rather than at its next tick. A task that is running already, or not
   * scheduled on this instance, is left alone: its next run picks the work up.
   */
  runSoon(name: TaskName): void;
}

/** The schedule of `name`: `TASKS[name].configKey` when set, else its defaults. */
export function readTaskSchedule(
  config: RootConfigService,
  name: TaskName,
): SchedulerServiceTaskScheduleDefinition {
  const { configKey, defaults } = TASKS[name];
  return config.has(configKey)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(configKey),
      )
    : defaults;
}

export function createTasks(options: {
  config: RootConfigService;
  scheduler: SchedulerService;
  logger: LoggerService;
}): IncidentOpsTasks {
  const { config, scheduler, logger } = options;
  const scheduled = new Set<TaskName>();
  return {
    async schedule(name, fn) {
      await scheduler.scheduleTask({
        id: TASKS[name].id,
        ...readTaskSchedule(config, name),
        scope: TASKS[name].scope,
        fn: async () => {
          await fn();
        },
      });
      scheduled.add(name);
    },
    runSoon(name) {
      if (!scheduled.has(name)) return;
      scheduler
        .triggerTask(TASKS[name].id)
        .catch(e =>
          logger.debug(`${TASKS[name].id} not triggered now: ${e.message}`),
        );
    },
  };
}
