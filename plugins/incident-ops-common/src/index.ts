/**
 * Domain model of Incident Ops: types, the priority matrix, the status workflow, permissions
 * and catalog annotations. Isomorphic: no Node or browser APIs.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './classification';
export * from './clocks';
export * from './communication';
export * from './contacts';
export * from './escalation';
export * from './knowledge';
export * from './labels';
export * from './lessons';
export * from './notifications';
export * from './permissions';
export * from './playbooks';
export * from './priority';
export * from './queue';
export * from './recommendations';
export * from './reporting';
export * from './reports';
export * from './schema';
export * from './types';
export * from './workflow';
