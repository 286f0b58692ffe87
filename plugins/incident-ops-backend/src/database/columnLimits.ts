// What fits in a column. PostgreSQL refuses a string longer than its varchar(n), and with
// it the whole statement; SQLite stores anything. Rows are checked before they are written,
// so both databases keep the same thing.

type Row = Record<string, any>;

/**
 * A table's limits, in characters, from its migrations. `keys`: identifiers and codes, which
 * a cut would change into another value: a longer one keeps the record out (quarantine).
 * `text`: free text and display names, cut with a visible marker.
 */
export interface ColumnLimits {
  keys: Record<string, number>;
  text: Record<string, number>;
}

/** A bound on `text` columns: no one reads more, and it keeps a runaway value out. */
const LONG_TEXT = 100_000;

export const INCIDENT_COLUMNS: ColumnLimits = {
  keys: {
    source: 64,
    source_id: 64,
    number: 64,
    priority: 2,
    source_priority: 8,
    impact: 8,
    urgency: 8,
    status: 32,
    source_state: 8,
    hold_reason: 8,
    tier: 2,
    ticket_type: 32,
    ticket_type_rule: 128,
    assignment_group_id: 64,
    assigned_to_id: 64,
    ci_id: 64,
    caller_id: 64,
    url: LONG_TEXT,
  },
  text: {
    short_description: LONG_TEXT,
    description: LONG_TEXT,
    category: 255,
    subcategory: 255,
    assignment_group_name: 255,
    assigned_to_name: 255,
    ci_name: 255,
    caller_name: 255,
  },
};

export const KNOWLEDGE_ARTICLE_COLUMNS: ColumnLimits = {
  keys: {
    source: 64,
    source_id: 64,
    number: 64,
    format: 16,
    workflow_state: 32,
    valid_to: 10,
    url: LONG_TEXT,
  },
  text: {
    title: LONG_TEXT,
    text: 10 * LONG_TEXT,
    category: 255,
    knowledge_base: 255,
  },
};

/** The end of a cut value: says it was cut, and how long it was. */
export const truncationMarker = (length: number) =>
  `… [truncated by incident-ops: ${length} characters]`;

/**
 * The row as it can be stored: NUL characters (which PostgreSQL refuses in text) replaced,
 * long text cut with a marker. A key longer than its column gives the reason instead.
 */
export function fitToColumns(
  row: Row,
  limits: ColumnLimits,
): { row: Row } | { reason: string } {
  const fitted: Row = {};
  for (const [column, value] of Object.entries(row)) {
    if (typeof value !== 'string') {
      fitted[column] = value;
      continue;
    }
    const clean = value.replaceAll('\u0000', '\uFFFD');
    const key = limits.keys[column];
    const text = limits.text[column];
    if (key !== undefined && clean.length > key) {
      return {
        reason: `${column} is ${clean.length} characters long, more than the ${key} it may have`,
      };
    }
    fitted[column] =
      text !== undefined && clean.length > text ? cut(clean, text) : clean;
  }
  return { row: fitted };
}

/** `text` cut to at most `max` characters, marker included, on a code point boundary. */
function cut(text: string, max: number): string {
  const marker = truncationMarker(text.length);
  const head = text.slice(0, max - marker.length);
  // not half of a surrogate pair
  return head.replace(/[\uD800-\uDBFF]$/, '') + marker;
}
