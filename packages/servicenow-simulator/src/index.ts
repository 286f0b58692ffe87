/**
 * A ServiceNow Table API simulator for development, demos and tests.
 *
 * @packageDocumentation
 */
import { startFromEnv } from './start';

export { createSimulator } from './simulator';
export type {
  Faults,
  RunningSimulator,
  Simulator,
  SimulatorOptions,
} from './simulator';
export { SimulatorError, SimulatorStore } from './store';
export type { JournalEntry, WriteOptions } from './store';
export type { SnRecord, TableSchema } from './schema';
export { computePriority, formatDateTime, SCHEMAS } from './schema';
export { compileQuery } from './query';
export { seedIds, seedSysId, SEED_CI_NAMES } from './seed';
export { startFromEnv } from './start';

// `backstage-cli package start` runs this file directly (role: backend).
if (require.main === module) {
  startFromEnv().catch(err => {
    // eslint-disable-next-line no-console
    console.error(err);
    process.exit(1);
  });
}
