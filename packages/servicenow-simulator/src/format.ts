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
