export { setupNotifications, builtInNotifiers } from './setup';
export type { CommunicationServices } from './setup';
export { contactLookup } from './NotificationRouter';
export type { RecipientLookup, LookupContact } from './NotificationRouter';
export { createIncidentSignals, INCIDENT_SIGNAL_CHANNEL } from './signals';
export type { IncidentSignals, IncidentChangedSignal } from './signals';
