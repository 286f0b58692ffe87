export { ReportIncidentButton } from './ReportIncidentButton';
export { ReportIncidentDialog } from './ReportIncidentDialog';
