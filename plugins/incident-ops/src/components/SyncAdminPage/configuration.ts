import type { OutboxItem } from '../../api/IncidentOpsApi';

/** A write-back refused for the integration user's roles or credentials (401/403). */
export interface ConfigurationProblem {
  /** The ServiceNow table, e.g. `incident`; absent when the reason does not name it. */
  table?: string;
  /** The role the integration user needs, e.g. `itil or sn_incident_write`. */
  role?: string;
  /** ServiceNow's whole answer, as the outbox stored it. */
  reason: string;
  /** How many refused write-backs say the same. */
  count: number;
}

const PREFIX = 'Configuration:';
const TABLE_AND_ROLE =
  /records of table (\S+), the integration user needs the (.+?) role/;

/**
 * The configuration problems among refused write-backs: those whose reason starts with
 * "Configuration:", one per table and role, most refused first.
 */
export function configurationProblems(
  items: OutboxItem[],
): ConfigurationProblem[] {
  const problems = new Map<string, ConfigurationProblem>();
  for (const item of items) {
    const reason = item.lastError;
    if (item.status !== 'refused' || !reason?.startsWith(PREFIX)) continue;
    const [, table, role] = reason.match(TABLE_AND_ROLE) ?? [];
    const key = table ? `${table}\n${role}` : reason;
    const known = problems.get(key);
    if (known) known.count += 1;
    else problems.set(key, { table, role, reason, count: 1 });
  }
  return [...problems.values()].sort((a, b) => b.count - a.count);
}
