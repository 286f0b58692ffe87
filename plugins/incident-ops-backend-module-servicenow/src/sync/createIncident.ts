import type {
  NewIncident,
  NewIncidentResult,
} from '@acme/plugin-incident-ops-node';
import {
  ServiceNowAuthError,
  ServiceNowClient,
  ServiceNowRecord,
  ServiceNowRequestError,
  ServiceNowUncertainWriteError,
} from '../client/ServiceNowClient';
import { INCIDENT_FIELDS, mapIncident } from './mapping';

export interface CreateIncidentOptions {
  /** For the incident's link in ServiceNow's UI. */
  baseUrl: string;
  /**
   * The caller (sys_id or user_name) of incidents whose reporter has no ServiceNow user
   * (incidentOps.servicenow.reporting.caller).
   */
  caller?: string;
  /** Wait after a lost answer before looking whether the record landed. Default 2 s. */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const SYS_ID = /^[0-9a-f]{32}$/i;

/** The fields asked for: what the sync maps, and the key. */
const FIELDS = [...INCIDENT_FIELDS, 'correlation_id'].join(',');
const READ = {
  sysparm_fields: FIELDS,
  sysparm_display_value: 'all',
  sysparm_exclude_reference_link: 'true',
};

/** A field's database value, with or without display values. */
function valueOf(record: ServiceNowRecord, field: string): string {
  const v = record[field];
  if (v && typeof v === 'object') {
    return String((v as { value?: unknown }).value ?? '');
  }
  return v === undefined || v === null ? '' : String(v);
}

/**
 * Creates a reported incident in ServiceNow, once per key. ServiceNow does not deduplicate:
 * `correlation_id` is an ordinary field of the task table (ServiceNow's own integrations keep
 * the external system's id there) and every POST makes a new record. So the key goes in
 * `correlation_id`, and every attempt first queries the incident table for it: a record an
 * earlier attempt created (its answer lost, or the worker died before recording it) is
 * returned as `found` instead of creating a second one. A POST whose answer is lost is looked
 * for again after `settleMs`; if it is not there yet, the failure is thrown and the outbox
 * tries again later, looking first.
 *
 * The record carries the caller (the reporter's ServiceNow user, else the configured caller
 * with the reporter's name and email in the description), the CI, impact, urgency, category,
 * subcategory and the tier's assignment group; a CI or group ServiceNow does not know is
 * left out and named in the description. A refusal (401/403, another 4xx) is returned as
 * `refused`; transient failures are thrown.
 */
export async function createIncidentInServiceNow(
  client: ServiceNowClient,
  incident: NewIncident,
  options: CreateIncidentOptions,
): Promise<NewIncidentResult> {
  try {
    const found = await findByKey(client, incident.key);
    if (found)
      return {
        outcome: 'found',
        incident: mapIncident(found, options.baseUrl),
      };

    const fields = await recordFields(client, incident, options);
    try {
      const created = await client.createRecord('incident', fields, READ);
      return {
        outcome: 'created',
        incident: mapIncident(created, options.baseUrl),
      };
    } catch (e) {
      if (!(e instanceof ServiceNowUncertainWriteError)) throw e;
      const sleep =
        options.sleep ??
        ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
      await sleep(options.settleMs ?? 2_000);
      const landed = await findByKey(client, incident.key);
      if (landed) {
        return {
          outcome: 'found',
          incident: mapIncident(landed, options.baseUrl),
        };
      }
      throw e;
    }
  } catch (e) {
    if (e instanceof ServiceNowAuthError) {
      return {
        outcome: 'refused',
        reason: `Configuration: ServiceNow refused to create the incident (${
          e.status ?? 'token request'
        }). To create incidents, the integration user needs the itil role (or sn_incident_write). ServiceNow said: ${
          e.message
        }`,
      };
    }
    if (e instanceof ServiceNowRequestError) {
      const detail = e.snDetail ? ` (${e.snDetail})` : '';
      return {
        outcome: 'refused',
        reason: `ServiceNow refused to create the incident (${e.status}): ${e.snMessage}${detail}`,
      };
    }
    throw e;
  }
}

/** The incident whose correlation_id is `key`, if ServiceNow has one. */
async function findByKey(
  client: ServiceNowClient,
  key: string,
): Promise<ServiceNowRecord | undefined> {
  const { records } = await client.listPage('incident', {
    ...READ,
    sysparm_query: `correlation_id=${key}^ORDERBYsys_created_on`,
    sysparm_limit: '1',
    sysparm_no_count: 'true',
  });
  // an instance that ignored the condition (a field it does not know) lists other records
  return records.find(r => valueOf(r, 'correlation_id') === key);
}

/** The sys_id of the first record of `table` whose `field` is `value`. */
async function sysIdOf(
  client: ServiceNowClient,
  table: string,
  field: string,
  value: string,
): Promise<string | undefined> {
  if (SYS_ID.test(value)) return value;
  const { records } = await client.listPage(table, {
    sysparm_query: `${field}=${value}`,
    sysparm_fields: `sys_id,${field}`,
    sysparm_limit: '1',
  });
  const match = records.find(r => valueOf(r, field) === value);
  return match ? valueOf(match, 'sys_id') : undefined;
}

async function recordFields(
  client: ServiceNowClient,
  incident: NewIncident,
  options: CreateIncidentOptions,
): Promise<Record<string, string>> {
  const notes: string[] = [];
  const by = incident.requestedBy;
  let caller = by.id && SYS_ID.test(by.id) ? by.id : undefined;
  if (!caller) {
    const who = [
      by.name,
      by.email && `<${by.email}>`,
      by.entityRef && `(${by.entityRef})`,
    ]
      .filter(Boolean)
      .join(' ');
    notes.push(`Reported in Backstage by ${who}.`);
    if (options.caller) {
      caller = await sysIdOf(client, 'sys_user', 'user_name', options.caller);
    }
  }
  const ci = incident.configurationItem
    ? await sysIdOf(client, 'cmdb_ci', 'name', incident.configurationItem)
    : undefined;
  if (incident.configurationItem && !ci) {
    notes.push(
      `Affected CI: ${incident.configurationItem} (not found in the CMDB).`,
    );
  }
  const group = incident.assignmentGroup
    ? await sysIdOf(client, 'sys_user_group', 'name', incident.assignmentGroup)
    : undefined;
  if (incident.assignmentGroup && !group) {
    notes.push(
      `Assignment group ${incident.assignmentGroup} was not found in ServiceNow (see incidentOps.tiers).`,
    );
  }
  const description = [incident.description, notes.join('\n')]
    .filter(Boolean)
    .join('\n\n');
  return {
    correlation_id: incident.key,
    correlation_display: 'Backstage Incident Ops',
    short_description: incident.shortDescription,
    ...(description ? { description } : {}),
    impact: incident.impact,
    urgency: incident.urgency,
    ...(incident.category ? { category: incident.category } : {}),
    ...(incident.subcategory ? { subcategory: incident.subcategory } : {}),
    ...(caller ? { caller_id: caller } : {}),
    ...(ci ? { cmdb_ci: ci } : {}),
    ...(group ? { assignment_group: group } : {}),
    work_notes: `Reported in Backstage (incident-ops) by ${by.name} [incident-ops report ${incident.key}]`,
  };
}
