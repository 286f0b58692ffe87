import type { TicketType } from './classification';
import type { Incident } from './types';

/**
 * Playbooks (operational model, section V.2): step-by-step procedures for a ticket type, with
 * instructions, checks and templates filled from the incident. Pure: parsing YAML and
 * storing runs is the backend's job.
 */

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

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const PLACEHOLDER =
  /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*(?:\|\s*(lower|slug)\s*)?\}\}/g;
// `{{ name | filter }}` with any filter, to catch unknown ones
const FILTERED = /\{\{\s*[A-Za-z][A-Za-z0-9]*\s*\|\s*([^}]*?)\s*\}\}/g;

/** Filters a placeholder can apply: `{{ fqdn | slug }}`, `{{ number | lower }}`. @public */
export const PLAYBOOK_TEMPLATE_FILTERS = ['lower', 'slug'] as const;

const FILTERS: Record<string, (v: string) => string> = {
  lower: v => v.toLowerCase(),
  // a Kubernetes name part: nas-prd-03.acme.internal → nas-prd-03-acme-internal
  slug: v =>
    v
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63)
      .replace(/-+$/g, ''),
};

/** The field names a text uses, in order, each once. @public */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map(m => m[1]))];
}

/**
 * Fills `{{name}}` placeholders (optionally filtered: `{{name | slug}}`). A placeholder
 * without a value is left as it is, so it cannot pass for a real value, and is named in
 * `missing`.
 * @public
 */
export function fillTemplate(
  text: string,
  values: Record<string, string | undefined>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(
    PLACEHOLDER,
    (whole, name: string, filter: string | undefined) => {
      const value = values[name];
      if (value === undefined) {
        missing.add(name);
        return whole;
      }
      return filter ? FILTERS[filter](value) : value;
    },
  );
  return { text: filled, missing: [...missing] };
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const STEP_KEYS = [
  'id',
  'kind',
  'title',
  'instructions',
  'checks',
  'templates',
  'optional',
  'needs',
];
const FIELD_KEYS = [
  'label',
  'description',
  'from',
  'default',
  'pattern',
  'example',
];

/**
 * Checks a parsed playbook file and returns the playbook, or the problems, each naming the
 * key it is about (`steps[2].kind: …`).
 * @public
 */
export function validatePlaybook(raw: unknown): {
  playbook?: Playbook;
  problems: string[];
} {
  const problems: string[] = [];
  const problem = (key: string, message: string) =>
    problems.push(`${key}: ${message}`);
  const unknownKeys = (
    obj: Record<string, unknown>,
    allowed: string[],
    at: string,
  ) => {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) {
        problem(
          `${at}${k}`,
          `is not a known key (known: ${allowed.join(', ')})`,
        );
      }
    }
  };
  const text = (
    obj: Record<string, unknown>,
    key: string,
    at: string,
    required: boolean,
  ): string | undefined => {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (required) problem(`${at}${key}`, 'is required');
      return undefined;
    }
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string' || !v.trim()) {
      problem(`${at}${key}`, 'must be a non-empty string');
      return undefined;
    }
    return v;
  };

  if (!isMap(raw)) {
    return { problems: ['(root): must be a mapping with id, title, steps'] };
  }
  unknownKeys(raw, ['id', 'title', 'summary', 'fields', 'steps'], '');
  const id = text(raw, 'id', '', true);
  if (id !== undefined && !SLUG.test(id)) {
    problem('id', `'${id}' must be lowercase letters, digits and dashes`);
  }
  const title = text(raw, 'title', '', true);
  const summary = text(raw, 'summary', '', true);

  const fields: Record<string, PlaybookField> = {};
  if (raw.fields !== undefined && !isMap(raw.fields)) {
    problem('fields', 'must be a mapping of field name to its definition');
  }
  for (const [name, def] of Object.entries(
    isMap(raw.fields) ? raw.fields : {},
  )) {
    const at = `fields.${name}.`;
    if (!FIELD_NAME.test(name)) {
      problem(`fields.${name}`, 'a field name is letters and digits');
    }
    if (!isMap(def)) {
      problem(`fields.${name}`, 'must be a mapping with at least a label');
      continue;
    }
    unknownKeys(def, FIELD_KEYS, at);
    const field: PlaybookField = { label: text(def, 'label', at, true) ?? '' };
    const description = text(def, 'description', at, false);
    if (description) field.description = description;
    const example = text(def, 'example', at, false);
    if (example) field.example = example;
    if (def.from !== undefined) {
      if (!(INCIDENT_FIELD_SOURCES as readonly unknown[]).includes(def.from)) {
        problem(
          `${at}from`,
          `'${def.from}' is not one of ${INCIDENT_FIELD_SOURCES.join(', ')}`,
        );
      } else {
        field.from = def.from as IncidentFieldSource;
      }
    }
    const pattern = text(def, 'pattern', at, false);
    if (pattern !== undefined) {
      try {
        RegExp(pattern);
        field.pattern = pattern;
      } catch {
        problem(`${at}pattern`, `is not a valid regular expression`);
      }
    }
    const dflt = text(def, 'default', at, false);
    if (dflt !== undefined) {
      if (field.pattern && !new RegExp(field.pattern).test(dflt)) {
        problem(`${at}default`, `'${dflt}' does not match the field pattern`);
      }
      field.default = dflt;
    }
    fields[name] = field;
  }

  const uses = (value: string, at: string) => {
    for (const [, filter] of value.matchAll(FILTERED)) {
      if (!(PLAYBOOK_TEMPLATE_FILTERS as readonly string[]).includes(filter)) {
        problem(
          at,
          `filter '${filter}' is not one of ${PLAYBOOK_TEMPLATE_FILTERS.join(
            ', ',
          )}`,
        );
      }
    }
    for (const name of placeholdersOf(value)) {
      if (!fields[name]) {
        problem(at, `uses {{${name}}}, which is not a field of this playbook`);
      }
    }
  };

  const steps: PlaybookStep[] = [];
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    problem('steps', 'must be a non-empty list of steps');
  }
  const stepIds = new Set<string>();
  (Array.isArray(raw.steps) ? raw.steps : []).forEach((s, i) => {
    const at = `steps[${i}].`;
    if (!isMap(s)) {
      problem(`steps[${i}]`, 'must be a mapping with id, kind and title');
      return;
    }
    unknownKeys(s, STEP_KEYS, at);
    const stepId = text(s, 'id', at, true) ?? '';
    if (stepId && !SLUG.test(stepId)) {
      problem(
        `${at}id`,
        `'${stepId}' must be lowercase letters, digits and dashes`,
      );
    }
    if (stepIds.has(stepId)) problem(`${at}id`, `'${stepId}' is used twice`);
    stepIds.add(stepId);
    const kind = s.kind as PlaybookStepKind;
    if (!PLAYBOOK_STEP_KINDS.includes(kind)) {
      problem(
        `${at}kind`,
        `'${String(s.kind)}' is not one of ${PLAYBOOK_STEP_KINDS.join(', ')}`,
      );
    }
    const step: PlaybookStep = {
      id: stepId,
      kind,
      title: text(s, 'title', at, true) ?? '',
      checks: [],
      templates: [],
      optional: false,
      needs: [],
    };
    uses(step.title, `${at}title`);
    const instructions = text(s, 'instructions', at, false);
    if (instructions) {
      step.instructions = instructions;
      uses(instructions, `${at}instructions`);
    }
    if (s.optional !== undefined) {
      if (typeof s.optional !== 'boolean') {
        problem(`${at}optional`, 'must be true or false');
      } else {
        step.optional = s.optional;
      }
    }
    if (step.optional && kind === 'verification') {
      problem(`${at}optional`, 'a verification step cannot be optional');
    }
    if (s.checks !== undefined && !Array.isArray(s.checks)) {
      problem(`${at}checks`, 'must be a list of strings');
    }
    (Array.isArray(s.checks) ? s.checks : []).forEach((c, j) => {
      if (typeof c !== 'string' || !c.trim()) {
        problem(`${at}checks[${j}]`, 'must be a non-empty string');
        return;
      }
      uses(c, `${at}checks[${j}]`);
      step.checks.push(c);
    });
    if (s.needs !== undefined && !Array.isArray(s.needs)) {
      problem(`${at}needs`, 'must be a list of field names');
    }
    (Array.isArray(s.needs) ? s.needs : []).forEach((n, j) => {
      if (typeof n !== 'string' || !fields[n]) {
        problem(`${at}needs[${j}]`, `'${String(n)}' is not a field`);
        return;
      }
      step.needs.push(n);
    });
    if (s.templates !== undefined && !Array.isArray(s.templates)) {
      problem(`${at}templates`, 'must be a list of templates');
    }
    const templateIds = new Set<string>();
    (Array.isArray(s.templates) ? s.templates : []).forEach((t, j) => {
      const tat = `${at}templates[${j}].`;
      if (!isMap(t)) {
        problem(`${at}templates[${j}]`, 'must be a mapping');
        return;
      }
      unknownKeys(t, ['id', 'title', 'format', 'text'], tat);
      const tid = text(t, 'id', tat, true) ?? '';
      if (tid && !SLUG.test(tid)) {
        problem(
          `${tat}id`,
          `'${tid}' must be lowercase letters, digits and dashes`,
        );
      }
      if (templateIds.has(tid)) problem(`${tat}id`, `'${tid}' is used twice`);
      templateIds.add(tid);
      const format = (t.format ?? 'text') as PlaybookTemplateFormat;
      if (!PLAYBOOK_TEMPLATE_FORMATS.includes(format)) {
        problem(
          `${tat}format`,
          `'${String(t.format)}' is not one of ${PLAYBOOK_TEMPLATE_FORMATS.join(
            ', ',
          )}`,
        );
      }
      const body = text(t, 'text', tat, true) ?? '';
      uses(body, `${tat}text`);
      step.templates.push({
        id: tid,
        title: text(t, 'title', tat, true) ?? '',
        format,
        text: body,
      });
    });
    steps.push(step);
  });
  if (steps.length > 0 && !steps.some(s => s.kind === 'verification')) {
    problem(
      'steps',
      'needs at least one verification step (kind: verification): the proof that the change works',
    );
  }

  if (problems.length > 0) return { problems };
  return {
    playbook: { id: id!, title: title!, summary: summary!, fields, steps },
    problems,
  };
}

/**
 * Checks values an engineer supplies: known fields, strings or numbers, at most 500
 * characters, matching the field's pattern. Returns them as strings, or the problems.
 * @public
 */
export function validatePlaybookValues(
  playbook: Playbook,
  values: Record<string, unknown>,
): { values: Record<string, string>; problems: string[] } {
  const problems: string[] = [];
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(values)) {
    const field = playbook.fields[name];
    if (!field) {
      const known = Object.keys(playbook.fields);
      problems.push(
        `values.${name}: not a field of playbook ${playbook.id} (fields: ${
          known.length ? known.join(', ') : 'none'
        })`,
      );
      continue;
    }
    const value = typeof raw === 'number' ? String(raw) : raw;
    if (typeof value !== 'string' || !value.trim() || value.length > 500) {
      problems.push(`values.${name}: must be a non-empty string (at most 500)`);
      continue;
    }
    if (field.pattern && !new RegExp(field.pattern).test(value)) {
      problems.push(
        `values.${name}: '${value}' does not match ${field.pattern}${
          field.example ? ` (e.g. ${field.example})` : ''
        }`,
      );
      continue;
    }
    out[name] = value.trim();
  }
  return { values: out, problems };
}

/** The required steps before `stepId` that are not complete yet, in order. @public */
export function stepBlockers(
  playbook: Playbook,
  stepId: string,
  current: Record<string, PlaybookStepStatus | undefined>,
): PlaybookStep[] {
  const index = playbook.steps.findIndex(s => s.id === stepId);
  return playbook.steps
    .slice(0, Math.max(index, 0))
    .filter(s => !s.optional && !isStepComplete(current[s.id]));
}

/**
 * Verification steps not verified (yet, or any more), from each step's outcomes (oldest
 * first). A verification proves the steps before it as they were: it no longer counts when a
 * required step before it is not complete, or was recorded `failed` after its latest
 * `verified`, even if redone since: then it must be verified again. Outcomes are ordered by
 * `at` (the store keeps a run's outcomes in strictly increasing time).
 * @public
 */
export function unverifiedSteps(
  playbook: Playbook,
  results: Record<string, PlaybookStepResult[]>,
): PlaybookStep[] {
  const current = currentStatuses(results);
  return playbook.steps.filter((step, index) => {
    if (step.kind !== 'verification') return false;
    const history = results[step.id] ?? [];
    const last = history[history.length - 1];
    if (last?.status !== 'verified') return true;
    const verifiedAt = Date.parse(last.at);
    return playbook.steps
      .slice(0, index)
      .filter(before => !before.optional)
      .some(
        before =>
          !isStepComplete(current[before.id]) ||
          (results[before.id] ?? []).some(
            r => r.status === 'failed' && Date.parse(r.at) > verifiedAt,
          ),
      );
  });
}

/** Whether every required step is complete. @public */
export function isRunComplete(
  playbook: Playbook,
  current: Record<string, PlaybookStepStatus | undefined>,
): boolean {
  return playbook.steps.every(s => s.optional || isStepComplete(current[s.id]));
}

// ---------------------------------------------------------------------------------------
// Reading fields off an incident

/** What a playbook field can be filled with, read off the incident. @public */
export type ExtractedIncidentFields = Partial<
  Record<IncidentFieldSource, string>
>;

// File names and Kubernetes API groups look like host names; these endings are not TLDs we
// expect in a ticket's destination.
const NOT_HOST_ENDINGS = new Set([
  'sh',
  'yaml',
  'yml',
  'json',
  'md',
  'txt',
  'log',
  'conf',
  'toml',
  'tf',
  'py',
  'js',
  'ts',
  'go',
  'jar',
  'zip',
  'tgz',
  'gz',
  'cfg',
  'ini',
  'xml',
  'pem',
  'crt',
  'key',
]);
const HOST =
  /(^|[^A-Za-z0-9@._/-]|:\/\/)((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?::(\d{1,5}))?(?=$|[^A-Za-z0-9._-]|\.(?:\s|$))(\/)?/gi;
const INSTANCE_TYPE =
  /\b([a-z]+\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|metal|\d*xlarge))\b/i;
const IPV4 =
  /(?:^|[^0-9.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(\/(?:3[0-2]|[12]?\d))?(?![0-9.]*\d)/;
const PORT_WORD = /\b(?:ports?|tcp|udp)\b[^0-9\n]{0,8}?(\d{1,5})(?!\d|\.\d)/i;
const PORT_SUFFIX = /\b(\d{1,5})\/(?:tcp|udp)\b/i;
const REGION =
  /\b((?:us|eu|ap|sa|ca|me|af|il|mx)-(?:central|north|south|east|west|northeast|southeast|northwest|southwest)-\d)([a-f])?\b/i;
const FLUX_KINDS = [
  'HelmRelease',
  'Kustomization',
  'GitRepository',
  'HelmRepository',
  'OCIRepository',
  'HelmChart',
  'ImageUpdateAutomation',
  'ImagePolicy',
  'ImageRepository',
  'Bucket',
];
const FLUX = new RegExp(
  `\\b(${FLUX_KINDS.join('|')})(?:\\s+|/)([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)`,
  'i',
);
const K8S_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

// Words that follow "namespace" in tickets without being one.
const NOT_NAMESPACES = new Set([
  'access',
  'rbac',
  'the',
  'a',
  'is',
  'for',
  'and',
  'quota',
  'request',
  'role',
  'edit',
  'view',
  'admin',
  'owner',
  'owners',
  'label',
  'labels',
  'selector',
  'level',
  'scoped',
]);

// `app=document-archive`, `app: portal-web`, `app label document-archive`: as written
const APP_LABEL =
  /\bapp(?:\s*[=:]\s*|[ -]label\s*(?:[=:]|\bis\b)?\s*)[`'"]?([A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9])/gi;
// `the document-archive pods`: a name with a dash or a digit, which tells it from "the pods",
// "runner pods"; a namespace-like name (`livelink-prod pods`) names the namespace, not an app
const APP_PODS = /\b([a-z0-9][a-z0-9-]*[a-z0-9])\s+pods?\b/gi;
const ENVIRONMENT_SUFFIX = /-(prod|prd|uat|dev|test|qa|stg|staging)$/;

// Words in parentheses or after "for" in access tickets that are not logins.
const NOT_USERS = new Set([
  'view',
  'edit',
  'admin',
  'read-only',
  'readonly',
  'on-call',
  'oncall',
  'portmapper',
  'tls',
  'prod',
  'uat',
  'dev',
]);

/** The first capture of any of `patterns` (global) that `accept` takes, lowercased. */
function firstMatch(
  text: string,
  patterns: RegExp[],
  accept: (value: string) => boolean,
): string | undefined {
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const value = m[1].toLowerCase();
      if (accept(value)) return value;
    }
  }
  return undefined;
}

const validPort = (p: string | undefined) =>
  p !== undefined && Number(p) >= 1 && Number(p) <= 65535
    ? String(Number(p))
    : undefined;

/** Host names in a text with the port written after each (`host:443`), in order. */
function hostsIn(text: string): Array<{ host: string; port?: string }> {
  const found: Array<{ host: string; port?: string }> = [];
  for (const m of text.matchAll(HOST)) {
    const [, before, host, port, slash] = m;
    const ending = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
    if (NOT_HOST_ENDINGS.has(ending) || INSTANCE_TYPE.test(host)) continue;
    // `karpenter.sh/do-not-disrupt`, `nvidia.com/gpu`: an API group, not a destination,
    // unless it is a URL's host
    if (slash && before !== '://' && port === undefined) continue;
    const h = host.toLowerCase();
    const existing = found.find(f => f.host === h);
    if (existing) {
      existing.port = existing.port ?? validPort(port);
    } else {
      found.push({ host: h, port: validPort(port) });
    }
  }
  return found;
}

/**
 * Reads what playbooks need off an incident: cluster and namespace from the CMDB CI
 * (`cluster:namespace`, or a bare cluster CI when `isCluster` says so) and else from the text;
 * host names, ports, CIDRs, change and security references, the pods' app label, Kubernetes
 * and AWS names from the short description and description. Values not found are absent
 * (`egressCidr`, and `appLabel` when the text has none, come from the catalog: the backend
 * adds them).
 * @public
 */
export function extractIncidentFields(
  incident: Pick<
    Incident,
    | 'number'
    | 'shortDescription'
    | 'description'
    | 'priority'
    | 'caller'
    | 'configurationItem'
  >,
  options?: { isCluster?: (ci: string) => boolean },
): ExtractedIncidentFields {
  const out: ExtractedIncidentFields = {
    number: incident.number,
    shortDescription: incident.shortDescription,
    priority: incident.priority,
  };
  const requester = incident.caller?.name ?? incident.caller?.id;
  if (requester) out.requester = requester;
  const text = `${incident.shortDescription}\n${incident.description ?? ''}`;

  const ci = incident.configurationItem?.name?.trim();
  if (ci?.includes(':')) {
    const [cluster, namespace] = ci.split(':', 2);
    if (K8S_NAME.test(cluster)) out.cluster = cluster;
    if (K8S_NAME.test(namespace)) out.namespace = namespace;
  } else if (ci && K8S_NAME.test(ci) && options?.isCluster?.(ci)) {
    out.cluster = ci;
  }
  if (!out.namespace) {
    const ns = firstMatch(
      text,
      [
        /\bnamespace\s+[`'"]?([a-z0-9][a-z0-9-]*[a-z0-9])\b/gi,
        /\b([a-z0-9][a-z0-9-]*[a-z0-9])\s+(?:ns|namespace)\b/gi,
        /(?:^|\s)-n\s+([a-z0-9][a-z0-9-]*[a-z0-9])\b/g,
      ],
      name => K8S_NAME.test(name) && !NOT_NAMESPACES.has(name),
    );
    if (ns) out.namespace = ns;
  }

  const app =
    [...text.matchAll(APP_LABEL)].map(m => m[1]).find(v => !/^\d+$/.test(v)) ??
    firstMatch(
      text,
      [APP_PODS],
      name =>
        /[-0-9]/.test(name) &&
        !/^[0-9-]+$/.test(name) &&
        name !== out.namespace &&
        name !== out.cluster &&
        !ENVIRONMENT_SUFFIX.test(name),
    );
  if (app) out.appLabel = app;

  const hosts = hostsIn(text);
  if (hosts.length > 0) {
    out.fqdn = hosts[0].host;
    out.destinations = hosts
      .map(h => (h.port ? `${h.host}:${h.port}` : h.host))
      .join(', ');
  }
  const port =
    hosts[0]?.port ??
    validPort(PORT_WORD.exec(text)?.[1]) ??
    validPort(PORT_SUFFIX.exec(text)?.[1]);
  if (port) out.port = port;

  const ip = IPV4.exec(text);
  if (ip) out.cidr = `${ip[1]}${ip[2] ?? '/32'}`;

  const change = /\b(CHG\d{5,})\b/i.exec(text);
  if (change) out.changeRef = change[1].toUpperCase();
  const security = /\b(SEC-\d+)\b/i.exec(text);
  if (security) out.securityRef = security[1].toUpperCase();

  if (/\badmin\b/i.test(text) && !/\bedit\b|\bview\b/i.test(text)) {
    out.accessRole = 'admin';
  } else if (/\bedit\b/i.test(text)) {
    out.accessRole = 'edit';
  } else if (/\bview\b|read-?only/i.test(text)) {
    out.accessRole = 'view';
  }
  const group =
    /\bAD[ -]group\s+[`'"]?([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9])/i.exec(text);
  if (group) out.adGroup = group[1];
  // `(mnovak)`, `for rahul.mehta`: a login, not a role word or a host name
  const user = firstMatch(
    text,
    [/\(([a-z][a-z0-9._-]{1,62})\)/g, /\bfor\s+([a-z]+[._-][a-z0-9]+)\b/g],
    name => !NOT_USERS.has(name) && (name.match(/\./g) ?? []).length < 2,
  );
  if (user) out.accessUser = user;

  // `NodePool gpu-a10g`, `pool np-monitoring`, `gpu-a10g NodePool`: pool names carry a dash
  // or a digit, which tells them from "node pool on rtg"
  const pool = firstMatch(
    text,
    [
      /\b(?:node ?pool|pool)\s+[`'"]?([a-z0-9][a-z0-9-]*[a-z0-9])/gi,
      /\b([a-z0-9][a-z0-9-]*[a-z0-9])\s+node ?pool\b/gi,
    ],
    name => /[-0-9]/.test(name),
  );
  if (pool) out.nodePool = pool;
  const instance = INSTANCE_TYPE.exec(text);
  if (instance) out.instanceType = instance[1].toLowerCase();
  const region = REGION.exec(text);
  if (region) {
    out.region = region[1].toLowerCase();
    if (region[2]) {
      out.availabilityZone = `${region[1]}${region[2]}`.toLowerCase();
    }
  }
  const segment = '[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*';
  const project = firstMatch(
    text,
    [
      new RegExp(
        `https?://[^/\\s]*gitlab[^/\\s]*/(${segment}(?:/${segment})+?)(?=/-/|\\.git\\b|[\\s)]|$)`,
        'gi',
      ),
      new RegExp(
        `\\b(?:project|pipelines for)\\s+(${segment}(?:/${segment})+)`,
        'gi',
      ),
    ],
    () => true,
  );
  if (project) out.gitlabProject = project;
  const tag = /\btag:?\s+[`'"]?([a-z0-9][a-z0-9_.-]*[a-z0-9])/i.exec(text);
  if (tag) out.runnerTag = tag[1].toLowerCase();
  const flux = FLUX.exec(text);
  if (flux) {
    out.fluxKind = FLUX_KINDS.find(
      k => k.toLowerCase() === flux[1].toLowerCase(),
    );
    out.fluxName = flux[2].toLowerCase();
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// A run, as served

/** Where a field's value came from. @public */
export type PlaybookValueSource = 'engineer' | 'incident' | 'default';

/** @public */
export interface PlaybookFieldValue {
  name: string;
  label: string;
  description?: string;
  example?: string;
  pattern?: string;
  value?: string;
  source?: PlaybookValueSource;
}

/** One recorded outcome of a step. @public */
export interface PlaybookStepResult {
  status: PlaybookStepStatus;
  actor: string;
  at: string;
  note?: string;
  values?: Record<string, string>;
}

/** A step with its texts filled and its state. @public */
export interface PlaybookStepView {
  id: string;
  kind: PlaybookStepKind;
  title: string;
  optional: boolean;
  instructions?: string;
  checks: string[];
  templates: Array<PlaybookTemplate & { missing: string[] }>;
  needs: string[];
  /** Fields used by the step (texts and needs) that have no value. */
  missing: string[];
  status: PlaybookStepStatus | 'pending';
  actor?: string;
  at?: string;
  note?: string;
  /** Every outcome recorded, oldest first. */
  history: PlaybookStepResult[];
  /** Required earlier steps not complete: they must come first. */
  blockedBy: string[];
  allowedStatuses: readonly PlaybookStepStatus[];
}

/**
 * Every field's value: the engineer's, else the incident's, else the default.
 * @public
 */
export function resolvePlaybookValues(
  playbook: Playbook,
  extracted: ExtractedIncidentFields,
  supplied: Record<string, string>,
): PlaybookFieldValue[] {
  return Object.entries(playbook.fields).map(([name, f]) => {
    const v: PlaybookFieldValue = { name, label: f.label };
    if (f.description) v.description = f.description;
    if (f.example) v.example = f.example;
    if (f.pattern) v.pattern = f.pattern;
    const fromIncident = f.from ? extracted[f.from] : undefined;
    if (supplied[name] !== undefined) {
      v.value = supplied[name];
      v.source = 'engineer';
    } else if (fromIncident !== undefined) {
      v.value = fromIncident;
      v.source = 'incident';
    } else if (f.default !== undefined) {
      v.value = f.default;
      v.source = 'default';
    }
    return v;
  });
}

/**
 * The steps with their texts filled from `values` and their state from `results` (each
 * step's outcomes, oldest first).
 * @public
 */
export function buildStepViews(
  playbook: Playbook,
  values: PlaybookFieldValue[],
  results: Record<string, PlaybookStepResult[]>,
): PlaybookStepView[] {
  const byName = Object.fromEntries(values.map(v => [v.name, v.value]));
  const current = currentStatuses(results);
  return playbook.steps.map(step => {
    const missing = new Set<string>();
    const fill = (t: string) => {
      const r = fillTemplate(t, byName);
      r.missing.forEach(m => missing.add(m));
      return r;
    };
    const instructions = step.instructions
      ? fill(step.instructions).text
      : undefined;
    const checks = step.checks.map(c => fill(c).text);
    const templates = step.templates.map(t => {
      const r = fill(t.text);
      return { ...t, text: r.text, missing: r.missing };
    });
    step.needs
      .filter(n => byName[n] === undefined)
      .forEach(n => missing.add(n));
    const title = fill(step.title).text;
    const history = results[step.id] ?? [];
    const last = history[history.length - 1];
    const view: PlaybookStepView = {
      id: step.id,
      kind: step.kind,
      title,
      optional: step.optional,
      checks,
      templates,
      needs: step.needs,
      missing: [...missing],
      status: last?.status ?? 'pending',
      history,
      blockedBy: stepBlockers(playbook, step.id, current).map(s => s.id),
      allowedStatuses: allowedStepStatuses(step.kind),
    };
    if (instructions !== undefined) view.instructions = instructions;
    if (last) {
      view.actor = last.actor;
      view.at = last.at;
      if (last.note !== undefined) view.note = last.note;
    }
    return view;
  });
}

/** Each step's latest outcome. @public */
export function currentStatuses(
  results: Record<string, PlaybookStepResult[]>,
): Record<string, PlaybookStepStatus | undefined> {
  return Object.fromEntries(
    Object.entries(results).map(([id, list]) => [
      id,
      list[list.length - 1]?.status,
    ]),
  );
}
