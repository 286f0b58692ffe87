export { ReportsPage } from './ReportsPage';
export { ReportView } from './ReportView';
