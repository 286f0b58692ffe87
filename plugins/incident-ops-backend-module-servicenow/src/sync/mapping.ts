import {
  SourceKnowledgeArticle,
  SourceIncident,
  SourceRef,
  priorityFromServiceNow,
  statusFromServiceNow,
} from '@acme/plugin-incident-ops-common';
import type { ServiceNowRecord } from '../client/ServiceNowClient';

/** The incident fields the sync asks for. */
export const INCIDENT_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'description',
  'priority',
  'impact',
  'urgency',
  'state',
  'hold_reason',
  'category',
  'subcategory',
  'assignment_group',
  'assigned_to',
  'cmdb_ci',
  'caller_id',
  'opened_at',
  'resolved_at',
  'closed_at',
  'sys_updated_on',
  'sys_mod_count',
  'correlation_id',
];

/** A record that could not be mapped, and why. */
export class MappingError extends Error {
  name = 'MappingError';
}

/** A field's text: strings, numbers and booleans as text, absent as ''; anything else is garbage. */
function asText(v: unknown, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new MappingError(`${field} is not a text value`);
}

/** The database value of a field, with or without display_value=all. */
function value(record: ServiceNowRecord, field: string): string {
  const v = record[field];
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return asText((v as { value?: unknown }).value, field);
  }
  return asText(v, field);
}

function display(record: ServiceNowRecord, field: string): string | undefined {
  const v = record[field];
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return (
      asText((v as { display_value?: unknown }).display_value, field) ||
      undefined
    );
  }
  return undefined;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/**
 * `YYYY-MM-DD HH:MM:SS` in UTC (display_value=false) to ISO 8601. A date that does not
 * exist (Feb 30th, hour 25) or lies outside 1900-9999 is not a date-time: both databases
 * take what is left.
 */
export function parseServiceNowDate(
  text: string,
  field: string,
): string | undefined {
  if (!text) return undefined;
  const m = DATE_TIME.exec(text);
  const date = m ? new Date(`${m[1]}T${m[2]}Z`) : undefined;
  const year = date?.getUTCFullYear() ?? NaN;
  if (
    !date ||
    !(year >= 1900 && year <= 9999) ||
    formatServiceNowDate(date) !== text
  ) {
    throw new MappingError(`${field} '${text}' is not a date-time`);
  }
  return date.toISOString();
}

/** ISO 8601 to ServiceNow's `YYYY-MM-DD HH:MM:SS` (UTC). */
export function formatServiceNowDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function reference(
  record: ServiceNowRecord,
  field: string,
): SourceRef | undefined {
  const id = value(record, field);
  return id ? { id, name: display(record, field) } : undefined;
}

/**
 * What every synced record needs: a sys_id, a number, when it last changed and its version.
 * Throws a MappingError naming the field otherwise.
 */
function identity(record: ServiceNowRecord) {
  const id = value(record, 'sys_id');
  if (!/^[0-9a-f]{32}$/i.test(id)) {
    throw new MappingError(`sys_id '${id}' is missing or malformed`);
  }
  const number = value(record, 'number');
  if (!number) throw new MappingError('number is missing');
  const sourceUpdatedAt = parseServiceNowDate(
    value(record, 'sys_updated_on'),
    'sys_updated_on',
  );
  if (!sourceUpdatedAt) throw new MappingError('sys_updated_on is missing');
  const sourceVersion = Number(value(record, 'sys_mod_count') || '0');
  if (!Number.isSafeInteger(sourceVersion) || sourceVersion < 0) {
    throw new MappingError(
      `sys_mod_count '${value(record, 'sys_mod_count')}' is not a count`,
    );
  }
  return { id, number, sourceUpdatedAt, sourceVersion };
}

/**
 * Maps an `incident` record (fetched with display_value=all) to the domain. Throws a
 * MappingError, naming the field, for a record that must be quarantined.
 */
export function mapIncident(
  record: ServiceNowRecord,
  baseUrl: string,
): SourceIncident {
  const { id, number, sourceUpdatedAt, sourceVersion } = identity(record);

  const priority = priorityFromServiceNow({
    priority: value(record, 'priority'),
    impact: value(record, 'impact'),
    urgency: value(record, 'urgency'),
  });
  if (!priority) {
    throw new MappingError(
      `priority '${value(
        record,
        'priority',
      )}' is not 1-5 and impact/urgency do not give one`,
    );
  }
  const state = value(record, 'state');
  const holdReason = value(record, 'hold_reason') || undefined;
  const status = statusFromServiceNow(state, holdReason);
  if (!status) throw new MappingError(`state '${state}' is unknown`);

  const openedAt = parseServiceNowDate(value(record, 'opened_at'), 'opened_at');
  if (!openedAt) throw new MappingError('opened_at is missing');

  const ci = reference(record, 'cmdb_ci');
  // With display values, a reference whose display value is empty points at nothing.
  if (ci && !ci.name && typeof record.cmdb_ci === 'object') {
    throw new MappingError(
      `cmdb_ci '${ci.id}' resolves to no configuration item`,
    );
  }

  return {
    id,
    number,
    shortDescription: value(record, 'short_description'),
    description: value(record, 'description') || undefined,
    priority,
    sourcePriority: value(record, 'priority') || undefined,
    impact: value(record, 'impact') || undefined,
    urgency: value(record, 'urgency') || undefined,
    status,
    sourceState: state,
    holdReason,
    category: value(record, 'category') || undefined,
    subcategory: value(record, 'subcategory') || undefined,
    assignmentGroup: reference(record, 'assignment_group'),
    assignedTo: reference(record, 'assigned_to'),
    configurationItem: ci,
    caller: reference(record, 'caller_id'),
    openedAt,
    resolvedAt: parseServiceNowDate(
      value(record, 'resolved_at'),
      'resolved_at',
    ),
    closedAt: parseServiceNowDate(value(record, 'closed_at'), 'closed_at'),
    sourceUpdatedAt,
    sourceVersion,
    url: `${baseUrl}/nav_to.do?uri=${encodeURIComponent(
      `incident.do?sys_id=${id}`,
    )}`,
    correlationId: value(record, 'correlation_id') || undefined,
  };
}

/** The kb_knowledge fields the sync asks for. */
export const KB_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'text',
  'kb_category',
  'kb_knowledge_base',
  'meta',
  'workflow_state',
  'valid_to',
  'sys_view_count',
  'sys_updated_on',
  'sys_mod_count',
];

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Article HTML to plain text: block ends become line breaks, tags go, entities decode. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|tr|pre)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code =
          e[1] === 'x' || e[1] === 'X'
            ? parseInt(e.slice(2), 16)
            : parseInt(e.slice(1), 10);
        // NUL and what is past Unicode's last code point are no characters
        return code > 0 && code <= 0x10ffff
          ? String.fromCodePoint(code)
          : '\uFFFD';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Maps a `kb_knowledge` record (display_value=all); throws MappingError to quarantine. */
export function mapKnowledgeArticle(
  record: ServiceNowRecord,
  baseUrl: string,
): SourceKnowledgeArticle {
  const { id, number, sourceUpdatedAt, sourceVersion } = identity(record);
  const validTo = value(record, 'valid_to');
  const views = Number(value(record, 'sys_view_count'));
  // meta: the article's search keywords, comma-separated; they rank it for suggestions
  const tags = value(record, 'meta')
    .split(',')
    .map(t => t.trim())
    .filter(Boolean);
  return {
    id,
    number,
    title: value(record, 'short_description'),
    text: htmlToText(value(record, 'text')),
    category: display(record, 'kb_category'),
    knowledgeBase: display(record, 'kb_knowledge_base'),
    tags: tags.length ? tags : undefined,
    workflowState: value(record, 'workflow_state') || 'unknown',
    // valid_to is a date (YYYY-MM-DD)
    validTo: /^\d{4}-\d{2}-\d{2}$/.test(validTo) ? validTo : undefined,
    viewCount:
      Number.isInteger(views) && views >= 0 && views <= 2 ** 31 - 1
        ? views
        : undefined,
    sourceUpdatedAt,
    sourceVersion,
    url: `${baseUrl}/kb_view.do?sysparm_article=${encodeURIComponent(number)}`,
  };
}
