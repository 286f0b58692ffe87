import type { TicketType } from '../classification';

/** What a playbook is: its fields, steps and templates, and which ticket type runs which. */

/**
 * `task`: an ordinary step; `check`: something to confirm before going on; `verification`:
 * the proof that the change works. A ticket whose run has a verification step that is not
 * `verified` cannot be resolved without an override reason.
 * @public
 */
export type PlaybookStepKind = 'task' | 'check' | 'verification';

/** @public */
export const PLAYBOOK_STEP_KINDS: readonly PlaybookStepKind[] = [
  'task',
  'check',
  'verification',
];

/**
 * The outcome recorded for a step. `done` completes a task or check, `verified` a
 * verification; `skipped` (tasks and checks only) and `failed` need a note. A step with no
 * outcome yet is `pending`.
 * @public
 */
export type PlaybookStepStatus = 'done' | 'verified' | 'skipped' | 'failed';

/** @public */
export const PLAYBOOK_STEP_STATUSES: readonly PlaybookStepStatus[] = [
  'done',
  'verified',
  'skipped',
  'failed',
];

const ALLOWED_STATUSES: Record<
  PlaybookStepKind,
  readonly PlaybookStepStatus[]
> = {
  task: ['done', 'skipped', 'failed'],
  check: ['done', 'skipped', 'failed'],
  verification: ['verified', 'failed'],
};

/** The outcomes a step of this kind can be given. @public */
export function allowedStepStatuses(
  kind: PlaybookStepKind,
): readonly PlaybookStepStatus[] {
  return ALLOWED_STATUSES[kind];
}

/** Whether an outcome lets the steps after it go ahead. @public */
export function isStepComplete(status: PlaybookStepStatus | undefined) {
  return status === 'done' || status === 'verified' || status === 'skipped';
}

/** @public */
export type PlaybookTemplateFormat =
  | 'text'
  | 'yaml'
  | 'shell'
  | 'toml'
  | 'json'
  | 'markdown';

/** @public */
export const PLAYBOOK_TEMPLATE_FORMATS: readonly PlaybookTemplateFormat[] = [
  'text',
  'yaml',
  'shell',
  'toml',
  'json',
  'markdown',
];

/**
 * What can be read off an incident to fill a playbook field. `cluster` and `namespace` come
 * from the CMDB CI (`cluster:namespace`) or the text; `appLabel` from the text ("app=x", "the
 * x pods") or else the catalog (the service named in the ticket, or the namespace's only
 * service); `egressCidr` from the catalog (the cluster's `egress-cidr` annotation); the rest
 * from the ticket's short description and description.
 * @public
 */
export const INCIDENT_FIELD_SOURCES = [
  'number',
  'shortDescription',
  'requester',
  'priority',
  'cluster',
  'namespace',
  'fqdn',
  'port',
  'destinations',
  'cidr',
  'changeRef',
  'securityRef',
  'accessRole',
  'adGroup',
  'accessUser',
  'nodePool',
  'instanceType',
  'region',
  'availabilityZone',
  'fluxKind',
  'fluxName',
  'gitlabProject',
  'runnerTag',
  'appLabel',
  'egressCidr',
] as const;

/** @public */
export type IncidentFieldSource = (typeof INCIDENT_FIELD_SOURCES)[number];

/** A value a playbook's texts use, written `{{name}}` in them. @public */
export interface PlaybookField {
  label: string;
  description?: string;
  /** Where to read it from the incident; absent means the engineer supplies it. */
  from?: IncidentFieldSource;
  default?: string;
  /** A regular expression every value must match (anchored by the author). */
  pattern?: string;
  example?: string;
}

/** @public */
export interface PlaybookTemplate {
  id: string;
  title: string;
  format: PlaybookTemplateFormat;
  text: string;
}

/** @public */
export interface PlaybookStep {
  id: string;
  kind: PlaybookStepKind;
  title: string;
  instructions?: string;
  checks: string[];
  templates: PlaybookTemplate[];
  /** An optional step never holds up the steps after it. */
  optional: boolean;
  /** Fields that must have a value before the step can be `done` or `verified`. */
  needs: string[];
}

/** @public */
export interface Playbook {
  id: string;
  title: string;
  summary: string;
  fields: Record<string, PlaybookField>;
  steps: PlaybookStep[];
}

/**
 * Which playbook a ticket type runs (operational model, Appendix A); `incidentOps.playbooks.mapping`
 * replaces it. Types without a playbook (outages, security, connectivity) are worked case by
 * case.
 * @public
 */
export const DEFAULT_PLAYBOOK_MAPPING: Readonly<
  Partial<Record<TicketType, string>>
> = {
  egress: 'egress-access',
  'gitlab-ci-access': 'gitlab-ci-access',
  'node-provisioning': 'node-provisioning',
  'namespace-access': 'namespace-access',
  gitops: 'fluxcd-gitops',
};
