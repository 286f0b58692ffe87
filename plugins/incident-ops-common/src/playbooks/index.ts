/**
 * Playbooks (operational model, section V.2): step-by-step procedures for a ticket type, with
 * instructions, checks and templates filled from the incident. Pure: parsing YAML and
 * storing runs is the backend's job.
 */
export * from './model';
export * from './templates';
export * from './validate';
export * from './extractFields';
export * from './runs';
