import { faultDatabases, runScenario } from './__testUtils__/harness';

jest.setTimeout(180_000);

/**
 * One write-back slower than the outbox's lease (30 s): its journal read takes 12 s and its
 * PATCH 25 s, each within the client's 30 s timeout, while the outbox task's own timeout is
 * 10 s, so later runs start, and claim, while the call is in flight.
 */
describe('fault matrix: a call slower than the lease', () => {
  const databases = faultDatabases(['POSTGRES_15', 'SQLITE_3']);

  it.concurrent.each(databases.eachSupportedId())('4. %p', id =>
    runScenario('4. a call slower than the lease', databases, id, {
      config: config => {
        config.incidentOps.knowledge.suggestOnArrival = false;
        config.incidentOps.schedules.outbox = {
          frequency: { seconds: 1 },
          timeout: { seconds: 10 },
        };
      },
      act: ({ sut, working: [slow] }) => {
        const delays: Record<string, number> = { GET: 12_000, PATCH: 25_000 };
        sut.use((req, _res, next) => {
          const delay = delays[req.method];
          if (!delay || !req.path.endsWith(`/table/incident/${slow}`)) {
            return next();
          }
          delete delays[req.method];
          return setTimeout(next, delay);
        });
      },
    }),
  );
});
