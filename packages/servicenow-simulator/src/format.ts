import { Request } from 'express';
import { baseUrl, first } from './http';
import { fieldGetter } from './query';
import { SnRecord } from './schema';
import { SimulatorStore } from './store';

type DisplayMode = 'false' | 'true' | 'all';

export interface FormatOptions {
  display: DisplayMode;
  excludeLinks: boolean;
  fields?: string[];
  baseUrl: string;
}

/** Reads sysparm_display_value, sysparm_fields and sysparm_exclude_reference_link. */
export function formatOptions(
  store: SimulatorStore,
  req: Request,
  table: string,
): FormatOptions {
  const dv = (first(req.query.sysparm_display_value) ?? 'false').toLowerCase();
  const fieldsParam = first(req.query.sysparm_fields);
  const fields = fieldsParam
    ?.split(',')
    .map(f => f.trim())
    .filter(f => f && fieldGetter(store, table, f));
  return {
    display: dv === 'true' || dv === 'all' ? dv : 'false',
    excludeLinks:
      (first(req.query.sysparm_exclude_reference_link) ?? '') === 'true',
    fields: fieldsParam !== undefined ? fields : undefined,
    baseUrl: baseUrl(req),
  };
}

/** Resolves the table and final column a (possibly dot-walked) field ends on. */
function fieldTarget(store: SimulatorStore, table: string, field: string) {
  let t = table;
  const parts = field.split('.');
  for (let i = 0; i < parts.length - 1; i++) {
    t = store.schema(t)!.references[parts[i]];
  }
  return { table: t, column: parts[parts.length - 1] };
}

function displayOf(
  store: SimulatorStore,
  table: string,
  column: string,
  value: string,
): string {
  const schema = store.schema(table)!;
  if (schema.journal.includes(column)) return '';
  const ref = schema.references[column];
  if (ref) {
    if (!value) return '';
    const target = store.row(ref, value);
    return target ? target[store.schema(ref)!.displayField] ?? '' : '';
  }
  const choices = schema.choices[column];
  if (choices && value) return choices[value] ?? value;
  return value;
}

/** The label a journal entry's header names its field by. */
const JOURNAL_LABELS: Record<string, string> = {
  work_notes: 'Work notes',
  comments: 'Additional comments',
};

/** Journal entries by record, rebuilt when the store changes. */
const journalIndexes = new WeakMap<
  SimulatorStore,
  { version: number; byRecord: Map<string, SnRecord[]> }
>();

function journalOf(store: SimulatorStore, sysId: string): SnRecord[] {
  let index = journalIndexes.get(store);
  if (!index || index.version !== store.version) {
    const byRecord = new Map<string, SnRecord[]>();
    for (const row of store.rows('sys_journal_field')) {
      const list = byRecord.get(row.element_id) ?? [];
      list.push(row);
      byRecord.set(row.element_id, list);
    }
    index = { version: store.version, byRecord };
    journalIndexes.set(store, index);
  }
  return index.byRecord.get(sysId) ?? [];
}

/**
 * A journal field's display value, as ServiceNow renders it: every entry, newest first, each
 * under a header line `<time> - <author's name> (<field label>)` and followed by a blank
 * line. `comments_and_work_notes` interleaves both. Times are UTC here (the simulator's
 * users have no time zone of their own).
 */
export function renderJournal(
  store: SimulatorStore,
  table: string,
  sysId: string,
  column: string,
): string {
  const elements =
    column === 'comments_and_work_notes'
      ? ['work_notes', 'comments']
      : [column];
  const entries = journalOf(store, sysId)
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => row.name === table && elements.includes(row.element))
    // newest first; entries of the same second in reverse order of writing
    .sort(
      (a, b) =>
        b.row.sys_created_on.localeCompare(a.row.sys_created_on) || b.i - a.i,
    );
  return entries
    .map(({ row }) => {
      const author =
        store.rows('sys_user').find(u => u.user_name === row.sys_created_by)
          ?.name || row.sys_created_by;
      const label = JOURNAL_LABELS[row.element] ?? row.element;
      return `${row.sys_created_on} - ${author} (${label})\n${row.value}\n\n`;
    })
    .join('');
}

/** A record as the Table API returns it. */
export function formatRecord(
  store: SimulatorStore,
  table: string,
  rec: SnRecord,
  opts: FormatOptions,
): Record<string, unknown> {
  const schema = store.schema(table)!;
  const fields = opts.fields ?? schema.fields.filter(f => rec[f] !== undefined);
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const { table: t, column } = fieldTarget(store, table, field);
    const fSchema = store.schema(t)!;
    let value = rec[field] ?? '';
    if (field.includes('.')) value = fieldGetter(store, table, field)!(rec);
    if (fSchema.journal.includes(column)) value = '';
    const ref = fSchema.references[column];
    const link =
      ref && value && !opts.excludeLinks
        ? `${opts.baseUrl}/api/now/table/${ref}/${value}`
        : undefined;
    if (opts.display === 'false') {
      out[field] = link ? { link, value } : value;
    } else if (fSchema.journal.includes(column) && !field.includes('.')) {
      const display = renderJournal(store, t, rec.sys_id, column);
      out[field] =
        opts.display === 'true' ? display : { display_value: display, value };
    } else if (opts.display === 'true') {
      const display = displayOf(store, t, column, value);
      out[field] = link ? { display_value: display, link } : display;
    } else {
      const display = displayOf(store, t, column, value);
      out[field] = link
        ? { display_value: display, value, link }
        : { display_value: display, value };
    }
  }
  return out;
}
