import { createSimulator } from './simulator';

/**
 * Starts the simulator from environment variables:
 * SERVICENOW_SIMULATOR_PORT (default 7080), SERVICENOW_SIMULATOR_HOST
 * (default 127.0.0.1), SERVICENOW_SIMULATOR_GENERATED_INCIDENTS (default 0).
 */
export async function startFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const port = Number(env.SERVICENOW_SIMULATOR_PORT ?? 7080);
  const host = env.SERVICENOW_SIMULATOR_HOST ?? '127.0.0.1';
  const generatedIncidents = Number(
    env.SERVICENOW_SIMULATOR_GENERATED_INCIDENTS ?? 0,
  );
  const sim = createSimulator({ generatedIncidents });
  const running = await sim.listen(port, host);
  // eslint-disable-next-line no-console
  console.log(
    `ServiceNow simulator listening on ${running.url} (basic auth admin/admin, OAuth client incident-ops/secret)`,
  );
  const stop = () => {
    running.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return running;
}
