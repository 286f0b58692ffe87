/**
 * The ServiceNow incident source for Incident Ops.
 *
 * @packageDocumentation
 */
export { incidentOpsModuleServicenow as default } from './module';
export { ServiceNowClient } from './client/ServiceNowClient';
export type { ServiceNowClientOptions } from './client/ServiceNowClient';
export { ServiceNowIncidentProvider } from './sync/ServiceNowIncidentProvider';
export { readServiceNowConfig } from './config';
export type { ServiceNowConfig, ServiceNowAuth } from './config';
