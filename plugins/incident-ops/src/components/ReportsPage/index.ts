export { ReportsPage, ReportView } from './ReportsPage';
