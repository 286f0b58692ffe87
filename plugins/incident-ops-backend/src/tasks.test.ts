import { mockServices } from '@backstage/backend-test-utils';
import { TASKS, createTasks, readTaskSchedule } from './tasks';

describe('tasks', () => {
  it('reads a schedule from its config key, else uses the default', () => {
    const config = mockServices.rootConfig({
      data: {
        incidentOps: {
          schedules: {
            outbox: { frequency: { seconds: 3 }, timeout: 'PT20S' },
          },
          reports: {
            weekly: {
              schedule: { frequency: { hours: 6 }, timeout: { minutes: 1 } },
            },
          },
        },
      },
    });
    expect(readTaskSchedule(config, 'outbox')).toEqual({
      frequency: { seconds: 3 },
      timeout: { seconds: 20 },
    });
    expect(readTaskSchedule(config, 'weeklyReport')).toEqual({
      frequency: { hours: 6 },
      timeout: { minutes: 1 },
    });
    expect(readTaskSchedule(config, 'escalation')).toEqual(
      TASKS.escalation.defaults,
    );
  });

  it('names a bad schedule in the error', () => {
    const config = mockServices.rootConfig({
      data: { incidentOps: { schedules: { cadence: { frequency: 'often' } } } },
    });
    expect(() => readTaskSchedule(config, 'cadence')).toThrow(/frequency/);
  });

  it("schedules with each task's scope and runs a scheduled task soon, once asked", async () => {
    const scheduler = mockServices.scheduler.mock({
      triggerTask: jest.fn(async () => {
        throw new Error('already running');
      }),
    });
    const logger = mockServices.logger.mock();
    const tasks = createTasks({
      config: mockServices.rootConfig(),
      scheduler,
      logger,
    });
    // not scheduled on this instance: nothing to trigger
    tasks.runSoon('outbox');
    expect(scheduler.triggerTask).not.toHaveBeenCalled();

    const fn = jest.fn(async () => 1);
    await tasks.schedule('outbox', fn);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'incident-ops-outbox',
        scope: 'local',
        frequency: { seconds: 10 },
      }),
    );
    await tasks.schedule('escalation', fn);
    expect(scheduler.scheduleTask).toHaveBeenLastCalledWith(
      expect.objectContaining({
        id: 'incident-ops-escalation',
        scope: 'global',
      }),
    );
    const task = (scheduler.scheduleTask as jest.Mock).mock.calls[0][0];
    await task.fn(new AbortController().signal);
    expect(fn).toHaveBeenCalledTimes(1);

    // a task that is running already is left alone; the failure is not thrown
    tasks.runSoon('outbox');
    expect(scheduler.triggerTask).toHaveBeenCalledWith('incident-ops-outbox');
    await new Promise(r => setImmediate(r));
    expect(logger.debug).toHaveBeenCalledWith(
      expect.stringContaining('already running'),
    );
  });
});
