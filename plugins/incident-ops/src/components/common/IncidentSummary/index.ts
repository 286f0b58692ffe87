export { IncidentSummaryHead } from './IncidentSummaryHead';
export { IncidentSummaryRow } from './IncidentSummaryRow';
