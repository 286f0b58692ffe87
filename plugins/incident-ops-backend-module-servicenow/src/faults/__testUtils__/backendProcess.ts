/*
 * A whole backend in a process of its own, for the fault matrix to kill with SIGKILL:
 * createBackend() with the incident-ops plugin, the ServiceNow module and an in-memory
 * catalog, on the config given with --config (the database, the simulator's URL).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs backendProcess.ts --config x.json
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

const backend = createBackend();
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a whole backend: the plugin and its module
backend.add(import('@acme/plugin-incident-ops-backend'));
backend.add(import('../../index'));
backend.add(catalogServiceMock.factory({ entities: [] }));
backend.start().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
