/** The suite's priorities. @public */
export type Priority = 'P1' | 'P2' | 'P3' | 'P4';

/** @public */
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4'];

/**
 * ServiceNow's default priority lookup rules: impact (rows) × urgency (columns), each 1–3,
 * give priority 1–5.
 */
const LOOKUP: readonly (readonly number[])[] = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
];

function code(value: string | number | undefined, max: number) {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/** ServiceNow priority (1 Critical … 5 Planning) from impact and urgency (1 High … 3 Low). @public */
export function serviceNowPriorityFromImpactUrgency(
  impact: string | number,
  urgency: string | number,
): number | undefined {
  const i = code(impact, 3);
  const u = code(urgency, 3);
  return i && u ? LOOKUP[i - 1][u - 1] : undefined;
}

/**
 * The suite's priority for a ServiceNow record. The record's `priority` wins when it is a
 * valid code (1–5, 5 Planning maps to P4); without one, impact × urgency decide. Returns
 * undefined when neither gives an answer, so callers can quarantine the record.
 * @public
 */
export function priorityFromServiceNow(fields: {
  priority?: string | number;
  impact?: string | number;
  urgency?: string | number;
}): Priority | undefined {
  const p =
    code(fields.priority, 5) ??
    (fields.impact !== undefined && fields.urgency !== undefined
      ? serviceNowPriorityFromImpactUrgency(fields.impact, fields.urgency)
      : undefined);
  if (p === undefined) return undefined;
  return PRIORITIES[Math.min(p, 4) - 1];
}

/** Orders priorities, most urgent first. @public */
export function comparePriority(a: Priority, b: Priority): number {
  return PRIORITIES.indexOf(a) - PRIORITIES.indexOf(b);
}
