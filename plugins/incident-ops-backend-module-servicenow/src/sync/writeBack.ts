import {
  IncidentWriteBack,
  IncidentWriteBackResult,
} from '@acme/plugin-incident-ops-node';
import { serviceNowStateFor } from '@acme/plugin-incident-ops-common';
import type { ServiceNowClient } from '../client/ServiceNowClient';

/** The marker each work note carries, so a retried change is recognised. */
export const writeBackMarker = (key: string) => `[incident-ops ${key}]`;

/**
 * Writes one change to an incident, once:
 * 1. if a work note with the change's marker is already in the journal, it was written
 *    (a retry after a crash or a lost answer): nothing more is sent;
 * 2. if the change sets fields and the record moved past the version the suite saw, it was
 *    changed in ServiceNow since: nothing is sent, and the conflict is reported (a work note
 *    alone is appended anyway);
 * 3. otherwise one PATCH sets the fields and appends the work note with the marker.
 */
export async function writeBackToServiceNow(
  client: ServiceNowClient,
  change: IncidentWriteBack,
): Promise<IncidentWriteBackResult> {
  const marker = writeBackMarker(change.key);
  const { records } = await client.listPage('sys_journal_field', {
    sysparm_query: `element_id=${change.id}^element=work_notes^valueLIKE${marker}`,
    sysparm_fields: 'sys_id',
    sysparm_limit: '1',
  });
  if (records.length > 0) return { outcome: 'already-written' };

  const current = await client.getRecord('incident', change.id, [
    'sys_id',
    'sys_mod_count',
  ]);
  if (!current) {
    return {
      outcome: 'conflict',
      reason: `${change.number} is no longer in ServiceNow`,
    };
  }
  const version = Number(current.sys_mod_count);
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

  const fields: Record<string, string> = {
    work_notes: `${change.workNote}\n${marker}`,
  };
  if (change.status) Object.assign(fields, serviceNowStateFor(change.status));
  if (change.resolution) {
    fields.close_code = change.resolution.code;
    fields.close_notes = change.resolution.notes;
  }
  if (change.assignmentGroup) {
    // Reference fields take a sys_id; config may name the group instead.
    let group = change.assignmentGroup;
    if (!/^[0-9a-f]{32}$/i.test(group)) {
      const found = await client.listPage('sys_user_group', {
        sysparm_query: `name=${group}`,
        sysparm_fields: 'sys_id',
        sysparm_limit: '1',
      });
      const sysId = found.records[0]?.sys_id;
      if (typeof sysId !== 'string' || !sysId) {
        return {
          outcome: 'conflict',
          reason: `ServiceNow has no assignment group named '${group}' (see incidentOps.tiers)`,
        };
      }
      group = sysId;
    }
    fields.assignment_group = group;
  }
  const patched = await client.patchRecord('incident', change.id, fields);
  const after = Number(patched?.sys_mod_count);
  return Number.isFinite(after)
    ? { outcome: 'written', version: after }
    : { outcome: 'written' };
}
