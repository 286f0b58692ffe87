/**
 * Extension points and service interfaces for Incident Ops backend modules.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './notifiers';
export * from './permissions';
