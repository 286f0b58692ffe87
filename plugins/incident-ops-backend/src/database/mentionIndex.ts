// The names a ticket's text mentions, indexed when the ticket is stored (the
// `incident_mentions` table), so an entity's incidents are found by the namespaces they name
// without reading every ticket's text. The catalog's namespace names are not known when a
// ticket is written, so every word of the text that could be one is indexed.
//
// A word is a maximal run of letters, digits and '-' (the boundaries of `mentions()` in
// contacts/entityIncidents.ts), lower-cased: a text mentions a name as a whole word exactly
// when the name is one of its words. Indexed are the words shaped like a Kubernetes name (a
// DNS label: a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63
// characters) that hold a '-', as namespace names on a shared platform do (livelink-prod,
// gitlab-runners, flux-system). Indexing every word instead (but common English ones) took
// 16.8 rows a ticket in the read benchmark, three times the size of the incidents table, and
// a backfill of 100 s per 100,000 tickets on PostgreSQL (see docs/benchmarks.md). A name without a '-' (monitoring,
// karpenter, livelink_prod) is looked for in the text as before: the store checks
// `isIndexedName` and searches the text for the others, which reads every ticket.
//
// migrations/20261207060000_incident_mentions.js backfills with a copy of these rules.

const WORD = /[a-z0-9-]+/g;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Whether `name` (lower case) is one the index holds when a text mentions it. */
export function isIndexedName(name: string): boolean {
  return name.includes('-') && LABEL.test(name);
}

/** The distinct indexed names that the texts mention as whole words. */
export function mentionedNames(
  ...texts: Array<string | null | undefined>
): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    for (const word of (text ?? '').toLowerCase().match(WORD) ?? []) {
      if (isIndexedName(word)) names.add(word);
    }
  }
  return [...names];
}
