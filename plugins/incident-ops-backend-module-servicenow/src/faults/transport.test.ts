import {
  faultConfig,
  faultDatabases,
  runScenario,
} from './__testUtils__/harness';

jest.setTimeout(180_000);

/** No suggestion notes on arrival: fewer write-backs, a shorter run. */
const quieter = (config: ReturnType<typeof faultConfig>) => {
  config.incidentOps.knowledge.suggestOnArrival = false;
};

/** Faults on the wire: 5xx, answers lost after the write was applied, rate limits. */
describe('fault matrix: transport', () => {
  const databases = faultDatabases(['POSTGRES_15', 'SQLITE_3']);
  const ids = databases.eachSupportedId();

  it.concurrent.each(ids)('1. 10%% 5xx on every call, %p', id =>
    runScenario('1. 10% 5xx', databases, id, {
      faults: ({ sim }) => {
        sim.faults.errorRate = 0.1;
      },
    }),
  );

  it.concurrent.each(ids)('2. 30%% of write answers lost as 502s, %p', id =>
    runScenario('2. lost replies (502)', databases, id, {
      faults: ({ sim }) => {
        sim.faults.lostReplyRate = 0.3;
        sim.faults.lostReplyAs = '502';
      },
    }),
  );

  it.concurrent.each(ids)('2. 30%% of write answers lost as resets, %p', id =>
    runScenario('2. lost replies (reset)', databases, id, {
      faults: ({ sim }) => {
        sim.faults.lostReplyRate = 0.3;
        sim.faults.lostReplyAs = 'reset';
      },
    }),
  );

  it.concurrent.each(ids)('3. every 5th call a 429 with Retry-After, %p', id =>
    runScenario('3. 429 with Retry-After', databases, id, {
      faults: ({ sim }) => {
        sim.faults.rateLimitEvery = 5;
        sim.faults.retryAfterSeconds = 1;
      },
      config: quieter,
    }),
  );

  it.concurrent.each(ids)(
    '3. every 5th call a 429 without Retry-After, %p',
    id =>
      runScenario('3. 429 without Retry-After', databases, id, {
        faults: ({ sim }) => {
          sim.faults.rateLimitEvery = 5;
          sim.faults.rateLimitWithoutRetryAfter = true;
        },
        config: quieter,
      }),
  );
});
