export { IncidentView } from './IncidentView';
export { IncidentDrawer } from './IncidentDrawer';
