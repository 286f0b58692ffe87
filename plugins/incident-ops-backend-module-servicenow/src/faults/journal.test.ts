import { faultDatabases, runScenario } from './__testUtils__/harness';

jest.setTimeout(180_000);

/**
 * sys_journal_field unreadable (the integration user without audit_viewer), with 30% of write
 * answers lost, so that every "was it written?" check has to do without it.
 */
describe('fault matrix: sys_journal_field unreadable', () => {
  const databases = faultDatabases(['POSTGRES_15', 'SQLITE_3']);
  const ids = databases.eachSupportedId();

  it.concurrent.each(ids)('5. refused (403), %p', id =>
    runScenario('5. journal refused (403)', databases, id, {
      faults: ({ sim }) => {
        sim.faults.journalAcl = 'refused';
        sim.faults.lostReplyRate = 0.3;
      },
    }),
  );

  it.concurrent.each(ids)('5. filtered (200, no rows), %p', id =>
    runScenario('5. journal filtered (200, no rows)', databases, id, {
      faults: ({ sim }) => {
        sim.faults.journalAcl = 'filtered';
        sim.faults.lostReplyRate = 0.3;
      },
    }),
  );
});
