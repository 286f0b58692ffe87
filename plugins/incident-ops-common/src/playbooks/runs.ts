import type { ExtractedIncidentFields } from './extractFields';
import {
  Playbook,
  PlaybookStep,
  PlaybookStepKind,
  PlaybookStepStatus,
  PlaybookTemplate,
  allowedStepStatuses,
  isStepComplete,
} from './model';
import { fillTemplate } from './templates';

/** A playbook run: which steps may go ahead, and the run as served, its texts filled. */

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
