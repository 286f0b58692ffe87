import {
  CLASS_TABLES,
  computePriority,
  formatDateTime,
  SCHEMAS,
  SnRecord,
  TableSchema,
} from './schema';

/** An error the HTTP layer turns into the ServiceNow failure envelope. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail: string = '',
  ) {
    super(message);
  }
}

export interface WriteOptions {
  /** user_name of the writer: sys_created_by/sys_updated_by, journal author. Default 'system'. */
  user?: string;
}

export interface JournalEntry {
  sys_id: string;
  element_id: string;
  element: string;
  name: string;
  value: string;
  sys_created_on: string;
  sys_created_by: string;
}

const SYS_ID_RE = /^[0-9a-f]{32}$/;
const PROTECTED = new Set([
  'sys_id',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
]);

function toStringValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { value?: unknown };
    return o.value === undefined ? '' : toStringValue(o.value);
  }
  return String(v);
}

/**
 * In-memory tables with ServiceNow's write semantics (sys fields, numbers,
 * computed priority, journals, the resolve data policy).
 * Records returned by the public methods are copies; mutate through
 * insert/update/remove so that sys_updated_on and sys_mod_count move.
 */
export class SimulatorStore {
  private readonly data = new Map<string, Map<string, SnRecord>>();
  private readonly numbers = new Map<string, number>();
  private changes = 0;

  constructor(
    private readonly now: () => Date,
    private readonly newId: () => string,
  ) {
    for (const name of Object.keys(SCHEMAS)) this.data.set(name, new Map());
  }

  /** Increases on every change to any table (used to cache sorted views). */
  get version(): number {
    return this.changes;
  }

  /** Names of all tables, including the cmdb_ci class views. */
  tables(): string[] {
    return [...Object.keys(SCHEMAS), ...Object.keys(CLASS_TABLES)];
  }

  hasTable(table: string): boolean {
    return table in SCHEMAS || table in CLASS_TABLES;
  }

  schema(table: string): TableSchema | undefined {
    return SCHEMAS[CLASS_TABLES[table] ?? table];
  }

  /** Number of records in a table. */
  count(table: string): number {
    return this.rows(table).length;
  }

  /** Copies of all records of a table, in insertion order. */
  list(table: string): SnRecord[] {
    return this.rows(table).map(r => ({ ...r }));
  }

  get(table: string, sysId: string): SnRecord | undefined {
    const r = this.row(table, sysId);
    return r && { ...r };
  }

  /** Inserts like a Table API POST; returns the stored record. */
  insert(
    table: string,
    input: Record<string, unknown>,
    options: WriteOptions = {},
  ): SnRecord {
    const { base, schema, cls } = this.resolve(table);
    const user = options.user ?? 'system';
    const now = formatDateTime(this.now());
    const rec: SnRecord = {};
    for (const f of schema.fields) rec[f] = '';
    Object.assign(rec, this.defaults(base, now, user, cls));
    const patch = this.clean(schema, input);
    Object.assign(rec, patch);
    const given = toStringValue(input.sys_id);
    rec.sys_id =
      SYS_ID_RE.test(given) && !this.data.get(base)!.has(given)
        ? given
        : this.uniqueId(base);
    rec.sys_created_on = now;
    rec.sys_updated_on = now;
    rec.sys_created_by = user;
    rec.sys_updated_by = user;
    rec.sys_mod_count = '0';
    if (schema.numberPrefix) {
      if (rec.number) this.noteNumber(base, rec.number);
      else rec.number = this.nextNumber(base, schema.numberPrefix);
    }
    if (base === 'incident') {
      this.incidentRules(undefined, rec, patch, user, now, false);
    }
    this.changes++;
    this.data.get(base)!.set(rec.sys_id, rec);
    this.writeJournal(base, schema, rec.sys_id, input, user, now);
    return { ...rec };
  }

  /** Updates like a Table API PATCH; undefined when the record is missing. */
  update(
    table: string,
    sysId: string,
    input: Record<string, unknown>,
    options: WriteOptions = {},
  ): SnRecord | undefined {
    const { base, schema } = this.resolve(table);
    const current = this.row(table, sysId);
    if (!current) return undefined;
    const user = options.user ?? 'system';
    const now = formatDateTime(this.now());
    const patch = this.clean(schema, input);
    const next: SnRecord = { ...current, ...patch };
    if (patch.number) this.noteNumber(base, patch.number);
    if (base === 'incident') {
      const commented = toStringValue(input?.comments) !== '';
      this.incidentRules(current, next, patch, user, now, commented);
    }
    next.sys_updated_on = now;
    next.sys_updated_by = user;
    next.sys_mod_count = String((Number(current.sys_mod_count) || 0) + 1);
    this.changes++;
    Object.assign(current, next);
    this.writeJournal(base, schema, sysId, input, user, now);
    return { ...current };
  }

  /** Deletes a record; false when it did not exist. */
  remove(table: string, sysId: string): boolean {
    const { base } = this.resolve(table);
    if (!this.row(table, sysId)) return false;
    this.changes++;
    return this.data.get(base)!.delete(sysId);
  }

  /** Journal entries (sys_journal_field), oldest first, optionally for one record/element. */
  journal(elementId?: string, element?: string): JournalEntry[] {
    return this.rows('sys_journal_field')
      .filter(
        r =>
          (!elementId || r.element_id === elementId) &&
          (!element || r.element === element),
      )
      .sort((a, b) => a.sys_created_on.localeCompare(b.sys_created_on))
      .map(r => ({
        sys_id: r.sys_id,
        element_id: r.element_id,
        element: r.element,
        name: r.name,
        value: r.value,
        sys_created_on: r.sys_created_on,
        sys_created_by: r.sys_created_by,
      }));
  }

  /** Empties every table. */
  clear(): void {
    this.changes++;
    for (const m of this.data.values()) m.clear();
    this.numbers.clear();
  }

  /**
   * Stores a record as given (no business rules, sys fields kept), filling
   * missing columns with "". Used by the seed. The record object is kept.
   */
  load(table: string, rec: SnRecord): SnRecord {
    const { base, schema } = this.resolve(table);
    for (const f of schema.fields) if (rec[f] === undefined) rec[f] = '';
    if (!rec.sys_id) rec.sys_id = this.uniqueId(base);
    if (schema.numberPrefix && rec.number) this.noteNumber(base, rec.number);
    this.changes++;
    this.data.get(base)!.set(rec.sys_id, rec);
    return rec;
  }

  /** @internal live rows (not copies) of a table, insertion order. */
  rows(table: string): SnRecord[] {
    const { base, cls } = this.resolve(table);
    const all = Array.from(this.data.get(base)!.values());
    return cls ? all.filter(r => r.sys_class_name === cls) : all;
  }

  /** @internal live row. */
  row(table: string, sysId: string): SnRecord | undefined {
    const { base, cls } = this.resolve(table);
    const r = this.data.get(base)!.get(sysId);
    return r && (!cls || r.sys_class_name === cls) ? r : undefined;
  }

  private resolve(table: string): {
    base: string;
    schema: TableSchema;
    cls?: string;
  } {
    const base = CLASS_TABLES[table] ?? table;
    const schema = SCHEMAS[base];
    if (!schema) {
      throw new SimulatorError(404, `Invalid table ${table}`);
    }
    return { base, schema, cls: base === table ? undefined : table };
  }

  private clean(schema: TableSchema, input: Record<string, unknown>): SnRecord {
    const out: SnRecord = {};
    for (const [k, v] of Object.entries(input ?? {})) {
      if (!schema.fields.includes(k) || PROTECTED.has(k)) continue;
      if (schema.journal.includes(k)) continue;
      out[k] = toStringValue(v);
    }
    return out;
  }

  private defaults(
    base: string,
    now: string,
    user: string,
    cls?: string,
  ): SnRecord {
    switch (base) {
      case 'incident':
        return {
          state: '1',
          incident_state: '1',
          impact: '3',
          urgency: '3',
          severity: '3',
          active: 'true',
          escalation: '0',
          reassignment_count: '0',
          reopen_count: '0',
          made_sla: 'true',
          opened_at: now,
          opened_by: this.userSysId(user),
          sys_class_name: 'incident',
        };
      case 'cmdb_ci':
        return {
          sys_class_name: cls ?? 'cmdb_ci',
          operational_status: '1',
          install_status: '1',
        };
      case 'kb_knowledge':
        return {
          workflow_state: 'draft',
          active: 'true',
          latest: 'true',
          sys_view_count: '0',
          author: this.userSysId(user),
        };
      case 'sys_user':
      case 'sys_user_group':
      case 'kb_knowledge_base':
      case 'kb_category':
        return { active: 'true' };
      default:
        return {};
    }
  }

  private incidentRules(
    prev: SnRecord | undefined,
    rec: SnRecord,
    patch: SnRecord,
    user: string,
    now: string,
    commented: boolean,
  ): void {
    if (patch.incident_state && !patch.state) rec.state = patch.incident_state;
    rec.incident_state = rec.state;
    rec.priority = computePriority(rec.impact, rec.urgency);
    const userId = this.userSysId(user);

    // The caller answering an "Awaiting Caller" hold puts it back in progress.
    if (
      prev &&
      commented &&
      prev.state === '3' &&
      prev.hold_reason === '1' &&
      !patch.state &&
      prev.caller_id &&
      prev.caller_id === userId
    ) {
      rec.state = '2';
      rec.incident_state = '2';
    }
    const stateChanged = !prev || prev.state !== rec.state;
    if (rec.state !== '3') rec.hold_reason = '';

    if (stateChanged && (rec.state === '6' || rec.state === '7')) {
      const missing = [];
      if (!rec.close_code) missing.push('Resolution code');
      if (!rec.close_notes) missing.push('Resolution notes');
      if (missing.length) {
        throw new SimulatorError(
          400,
          `Data Policy Exception: The following fields are mandatory: ${missing.join(
            ', ',
          )}`,
          `Operation against file 'incident' was aborted by Data Policy 'Make close info mandatory when resolved or closed'`,
        );
      }
    }
    if (stateChanged) {
      switch (rec.state) {
        case '6':
          rec.resolved_at = patch.resolved_at || now;
          rec.resolved_by = patch.resolved_by || userId;
          rec.active = 'true';
          break;
        case '7':
          if (!rec.resolved_at) rec.resolved_at = now;
          if (!rec.resolved_by) rec.resolved_by = userId;
          rec.closed_at = patch.closed_at || now;
          rec.closed_by = patch.closed_by || userId;
          rec.active = 'false';
          break;
        case '8':
          rec.active = 'false';
          break;
        default:
          rec.active = 'true';
          if (prev && ['6', '7'].includes(prev.state)) {
            rec.resolved_at = '';
            rec.resolved_by = '';
            rec.closed_at = '';
            rec.closed_by = '';
            rec.reopen_count = String((Number(prev.reopen_count) || 0) + 1);
          }
      }
    }
    if (
      prev &&
      patch.assignment_group !== undefined &&
      prev.assignment_group &&
      prev.assignment_group !== rec.assignment_group
    ) {
      rec.reassignment_count = String(
        (Number(prev.reassignment_count) || 0) + 1,
      );
    }
  }

  private writeJournal(
    table: string,
    schema: TableSchema,
    elementId: string,
    input: Record<string, unknown>,
    user: string,
    now: string,
  ): void {
    for (const element of ['work_notes', 'comments']) {
      if (!schema.journal.includes(element)) continue;
      const value = toStringValue(input?.[element]);
      if (!value) continue;
      const id = this.uniqueId('sys_journal_field');
      this.data.get('sys_journal_field')!.set(id, {
        sys_id: id,
        sys_created_on: now,
        sys_created_by: user,
        sys_updated_on: now,
        sys_updated_by: user,
        sys_mod_count: '0',
        element_id: elementId,
        element,
        name: table,
        value,
      });
    }
  }

  private userSysId(userName: string): string {
    for (const u of this.data.get('sys_user')!.values()) {
      if (u.user_name === userName) return u.sys_id;
    }
    return '';
  }

  private uniqueId(base: string): string {
    const m = this.data.get(base)!;
    let id = this.newId();
    while (m.has(id)) id = this.newId();
    return id;
  }

  private noteNumber(base: string, number: string): void {
    const n = Number(/(\d+)$/.exec(number)?.[1]);
    if (Number.isFinite(n) && n > (this.numbers.get(base) ?? 0)) {
      this.numbers.set(base, n);
    }
  }

  private nextNumber(base: string, prefix: string): string {
    const n = (this.numbers.get(base) ?? 10000) + 1;
    this.numbers.set(base, n);
    return prefix + String(n).padStart(7, '0');
  }
}
