/**
 * The Incident Ops permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModuleIncidentOpsPolicy as default } from './module';
export { IncidentOpsPermissionPolicy } from './IncidentOpsPermissionPolicy';
export {
  readIncidentOpsPolicyOptions,
  type IncidentOpsPolicyOptions,
} from './options';
export { catalogTierGroups, type TierGroupsLookup } from './tierGroups';
