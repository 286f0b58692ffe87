export { SyncAdminPage, type SyncAdminPageProps } from './SyncAdminPage';
