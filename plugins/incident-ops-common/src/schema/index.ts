import type { components, operations, paths } from './openapi';

/**
 * The REST API at /api/incident-ops, as its OpenAPI spec (incident-ops-backend's
 * src/schema/openapi.yaml) describes it; generated into ./openapi.ts.
 * @public
 */
export type {
  paths as IncidentOpsApiPaths,
  components as IncidentOpsApiComponents,
  operations as IncidentOpsApiOperations,
};

/** One schema of the API by name, e.g. `IncidentOpsApiSchema<'Incident'>`. @public */
export type IncidentOpsApiSchema<K extends keyof components['schemas']> =
  components['schemas'][K];
