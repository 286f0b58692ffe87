/**
 * Tokens for ranking knowledge articles against tickets. Kubernetes-aware: a namespace
 * (`livelink-prod`), a host (`registry.gitlab.acme.com:5050`), an error code (`ORA-12170`) or
 * a resource kind (`HelmRelease`) is kept whole and also yields its parts, so a ticket naming
 * `livelink-prod` matches an article about it more than one saying only "prod". Common
 * abbreviations are expanded (`ns` → namespace, `k8s` → kubernetes) and words are lightly
 * stemmed (`pods` → pod, `failed` → fail).
 */

/** Abbreviations and spellings people use in tickets, to the word articles use. @public */
export const KNOWLEDGE_SYNONYMS: Readonly<Record<string, string>> = {
  ns: 'namespace',
  k8s: 'kubernetes',
  kube: 'kubernetes',
  fw: 'firewall',
  whitelist: 'allowlist',
  whitelisting: 'allowlist',
  whitelisted: 'allowlist',
  'allow-list': 'allowlist',
  'white-list': 'allowlist',
  pvc: 'persistentvolumeclaim',
  pv: 'persistentvolume',
  cert: 'certificate',
  certs: 'certificate',
  ssl: 'tls',
  db: 'database',
  repo: 'repository',
  repos: 'repository',
  creds: 'credentials',
  perms: 'permission',
  auth: 'authentication',
  fluxcd: 'flux',
  cicd: 'ci',
  config: 'configuration',
  cfg: 'configuration',
  'node-pool': 'nodepool',
  'api-server': 'apiserver',
  'kube-apiserver': 'apiserver',
  oom: 'oomkilled',
};

/** Words too common in tickets and articles to say anything. @public */
export const KNOWLEDGE_STOPWORDS: ReadonlySet<string> = new Set(
  `a an and are as at be been but by can cant could do does dont for from get got has have
  hi hello i if in into is it its me my need needs no not of on or our out pls plz please so
  some still than thanks thank that the their them then there these they this to too up us
  was we were what when where which while who why will with would you your yours since via
  team hey just also any all able`.split(/\s+/),
);

const COMPOUND = /[A-Za-z0-9]+(?:[._:/\-=@][A-Za-z0-9]+)*/g;
const SEPARATORS = ['/', '=', '@', ':', '.', '_', '-'];
const CAMEL = /(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/;

/** The light stem of a lower-case word: plural, -ing and -ed endings go. @public */
export function stem(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) {
    return word.slice(0, -1);
  }
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  return word;
}

/** A word as it is indexed: lower case, abbreviation expanded, stemmed. @public */
export function normalizeTerm(word: string): string {
  const lower = word.toLowerCase();
  const expanded = KNOWLEDGE_SYNONYMS[lower] ?? lower;
  return stem(expanded);
}

/** The term of one word, or undefined for stop words and single characters. */
function termOf(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (KNOWLEDGE_STOPWORDS.has(lower)) return undefined;
  const term = normalizeTerm(lower);
  // single characters and one-digit numbers say nothing; ports and codes do
  return term.length > 1 && !KNOWLEDGE_STOPWORDS.has(term) ? term : undefined;
}

/** The terms of one word without separators: itself, and its CamelCase parts. */
function wordTerms(word: string): readonly string[] {
  const whole = termOf(word);
  const out = whole ? [whole] : [];
  if (/[a-z0-9][A-Z]|[A-Z][A-Z][a-z]/.test(word)) {
    for (const w of word.split(CAMEL)) {
      const t = termOf(w);
      if (t && t !== whole) out.push(t);
    }
  }
  return out;
}

/** Words repeat: their terms are remembered (up to a bound). */
const remembered = new Map<string, readonly string[]>();

function emit(part: string, out: string[]) {
  const sep = SEPARATORS.find(s => part.includes(s));
  if (!sep) {
    let terms = remembered.get(part);
    if (!terms) {
      terms = wordTerms(part);
      if (remembered.size >= 100_000) remembered.clear();
      remembered.set(part, terms);
    }
    for (const t of terms) out.push(t);
    return;
  }
  const lower = part.toLowerCase();
  const expanded = KNOWLEDGE_SYNONYMS[lower];
  if (expanded) {
    out.push(expanded);
    return;
  }
  out.push(lower);
  // dotted numbers (IP addresses, versions) are kept whole only
  if (/^[\d.]+$/.test(part)) return;
  for (const p of part.split(sep)) if (p) emit(p, out);
}

/**
 * The terms of a text, in order, repeated as often as they occur. A compound such as
 * `registry.gitlab.acme.com:5050` gives itself, `registry.gitlab.acme.com`, `5050`,
 * `registry`, `gitlab`, `acme` and `com`.
 * @public
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(COMPOUND)) emit(match[0], out);
  return out;
}
