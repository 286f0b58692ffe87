import {
  INCIDENT_FIELD_SOURCES,
  IncidentFieldSource,
  PLAYBOOK_STEP_KINDS,
  PLAYBOOK_TEMPLATE_FORMATS,
  Playbook,
  PlaybookField,
  PlaybookStep,
  PlaybookStepKind,
  PlaybookTemplateFormat,
} from './model';
import { PLAYBOOK_TEMPLATE_FILTERS, placeholdersOf } from './templates';

/** Checks playbook files (as parsed YAML) and the values engineers supply for their fields. */

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
// `{{ name | filter }}` with any filter, to catch unknown ones
const FILTERED = /\{\{\s*[A-Za-z][A-Za-z0-9]*\s*\|\s*([^}]*?)\s*\}\}/g;

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
