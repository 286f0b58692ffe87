/**
 * The incident-ops backend plugin.
 *
 * @packageDocumentation
 */
export { incidentOpsPlugin as default } from './plugin';
