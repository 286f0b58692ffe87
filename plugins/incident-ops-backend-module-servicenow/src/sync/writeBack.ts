import {
  IncidentWriteBack,
  IncidentWriteBackResult,
} from '@acme/plugin-incident-ops-node';
import { serviceNowStateFor } from '@acme/plugin-incident-ops-common';
import {
  ServiceNowAuthError,
  ServiceNowClient,
  ServiceNowRecord,
  ServiceNowRequestError,
  ServiceNowUncertainWriteError,
} from '../client/ServiceNowClient';
import { JournalTableAccess } from './journalTable';

/** The marker each work note carries, so a retried change is recognised. */
export const writeBackMarker = (key: string) => `[incident-ops ${key}]`;

export interface WriteBackOptions {
  /** Writes whose answer was lost, each checked for, before giving up for now. Default 3. */
  maxUncertainAttempts?: number;
  /** Wait after a lost answer before looking whether the write landed. Default 2 s. */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What the integration user does at each step, and the roles that allow it. */
const OPERATIONS = {
  read: { table: 'incident', verb: 'read', roles: 'itil' },
  group: { table: 'sys_user_group', verb: 'read', roles: 'itil' },
  update: {
    table: 'incident',
    verb: 'update',
    roles: 'itil or sn_incident_write',
  },
  // closing needs more than resolving in the base system
  close: { table: 'incident', verb: 'close', roles: 'itil_admin or admin' },
};
type Operation = (typeof OPERATIONS)[keyof typeof OPERATIONS];

/**
 * Writes one change to an incident, once, using the incident table alone:
 * 1. it reads the incident's own journal (`work_notes` as display value): if a note with the
 *    change's marker is there, it was written (a retry after a crash or a lost answer) and
 *    nothing more is sent;
 * 2. if the change sets fields and the record moved past the version the suite saw, it was
 *    changed in ServiceNow since: nothing is sent, and the conflict is reported (a work note
 *    alone is appended anyway);
 * 3. otherwise one PATCH sets the fields and appends the work note with the marker. If its
 *    answer is lost, steps 1–3 run again (at most `maxUncertainAttempts` writes), so a write
 *    that landed is never sent twice.
 * A refusal (401/403, or another 4xx from a business rule or data policy) is returned as
 * `refused`; transient failures are thrown.
 */
export async function writeBackToServiceNow(
  client: ServiceNowClient,
  change: IncidentWriteBack,
  options: WriteBackOptions = {},
): Promise<IncidentWriteBackResult> {
  const doing = { operation: OPERATIONS.read };
  try {
    return await writeOnce(client, change, options, doing);
  } catch (e) {
    const result = refusal(e, doing.operation, change);
    if (result) return result;
    throw e;
  }
}

async function writeOnce(
  client: ServiceNowClient,
  change: IncidentWriteBack,
  options: WriteBackOptions,
  doing: { operation: Operation },
): Promise<IncidentWriteBackResult> {
  const marker = writeBackMarker(change.key);
  const journalTable = JournalTableAccess.of(client);
  const maxAttempts = options.maxUncertainAttempts ?? 3;
  const sleep =
    options.sleep ??
    ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  const fields: Record<string, string> = {
    work_notes: `${change.workNote}\n${marker}`,
  };
  if (change.status) Object.assign(fields, serviceNowStateFor(change.status));
  if (change.resolution) {
    fields.close_code = change.resolution.code;
    fields.close_notes = change.resolution.notes;
  }

  let lost: ServiceNowUncertainWriteError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (lost) await sleep(options.settleMs ?? 2_000);
    doing.operation = OPERATIONS.read;
    const current = await client.getRecord(
      'incident',
      change.id,
      ['sys_id', 'sys_mod_count', 'work_notes'],
      { sysparm_display_value: 'true' },
    );
    if (!current) {
      return {
        outcome: 'conflict',
        reason: `${change.number} is no longer in ServiceNow`,
      };
    }
    // with display values, integers carry the user's digit grouping ("1,234")
    const version = Number(String(current.sys_mod_count).replace(/\D/g, ''));
    if (
      String(current.work_notes ?? '').includes(marker) ||
      (await journalTable.has(client, change.id, marker))
    ) {
      // The version is ours when nobody else's change came in between: the outbox takes it
      // as the base of this incident's next write-back (found after a crash or a lost
      // answer, the write is ours all the same).
      const outcome = lost ? 'written' : 'already-written';
      return version === change.expectedVersion + 1
        ? { outcome, version }
        : { outcome };
    }

    // a work note alone (knowledge suggestions, say) is appended whatever changed since: it
    // cannot undo anyone's change
    const setsFields = Boolean(
      change.status || change.resolution || change.assignmentGroup,
    );
    if (setsFields && version > change.expectedVersion) {
      return {
        outcome: 'conflict',
        reason: `${change.number} was changed in ServiceNow (version ${version}) after the suite last saw it (version ${change.expectedVersion})`,
      };
    }
    if (change.assignmentGroup && !fields.assignment_group) {
      doing.operation = OPERATIONS.group;
      const group = await groupSysId(client, change.assignmentGroup);
      if (!group) {
        return {
          outcome: 'conflict',
          reason: `ServiceNow has no assignment group named '${change.assignmentGroup}' (see incidentOps.tiers)`,
        };
      }
      fields.assignment_group = group;
    }

    doing.operation =
      fields.state === '7' ? OPERATIONS.close : OPERATIONS.update;
    let patched: ServiceNowRecord;
    try {
      patched = await client.patchRecord('incident', change.id, fields);
    } catch (e) {
      if (!(e instanceof ServiceNowUncertainWriteError)) throw e;
      lost = e;
      continue;
    }
    await journalTable.probe(client, change.id, marker);
    const after = Number(patched?.sys_mod_count);
    return Number.isFinite(after)
      ? { outcome: 'written', version: after }
      : { outcome: 'written' };
  }
  throw new ServiceNowUncertainWriteError(
    `${change.number}: ${maxAttempts} writes of ${change.key} got no answer and none is in its journal yet (last: ${lost?.message})`,
  );
}

/** A reference field takes a sys_id; config may name the group instead. */
async function groupSysId(
  client: ServiceNowClient,
  group: string,
): Promise<string | undefined> {
  if (/^[0-9a-f]{32}$/i.test(group)) return group;
  const found = await client.listPage('sys_user_group', {
    sysparm_query: `name=${group}`,
    sysparm_fields: 'sys_id',
    sysparm_limit: '1',
  });
  const sysId = found.records[0]?.sys_id;
  return typeof sysId === 'string' && sysId ? sysId : undefined;
}

/**
 * ServiceNow's final answers as results: 401/403 as a configuration problem naming the
 * table, the operation and the role needed; another 4xx with ServiceNow's own message; a
 * 404 on the incident as a conflict. Undefined for anything worth retrying.
 */
function refusal(
  e: unknown,
  operation: Operation,
  change: IncidentWriteBack,
): IncidentWriteBackResult | undefined {
  const doing = `${operation.verb} ${operation.table} ${change.number}`;
  if (e instanceof ServiceNowAuthError) {
    const credentials =
      e.status === 403
        ? ''
        : ' Check its credentials (incidentOps.servicenow.auth).';
    return {
      outcome: 'refused',
      reason: `Configuration: ServiceNow refused to ${doing} (${
        e.status ?? 'token request'
      }). To ${operation.verb} records of table ${
        operation.table
      }, the integration user needs the ${
        operation.roles
      } role.${credentials} ServiceNow said: ${e.message}`,
    };
  }
  if (e instanceof ServiceNowRequestError) {
    if (e.status === 404 && operation.table === 'incident') {
      return {
        outcome: 'conflict',
        reason: `${change.number} is no longer in ServiceNow`,
      };
    }
    const detail = e.snDetail ? ` (${e.snDetail})` : '';
    return {
      outcome: 'refused',
      reason: `ServiceNow refused to ${doing} (${e.status}): ${e.snMessage}${detail}`,
    };
  }
  return undefined;
}
