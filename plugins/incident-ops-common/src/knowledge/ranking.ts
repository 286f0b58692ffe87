import type { TicketType } from '../classification';
import { normalizeTerm, tokenize } from './tokenize';

/** An article as the ranking sees it. @public */
export interface KnowledgeDocument {
  id: string;
  title: string;
  text: string;
  tags?: readonly string[];
  /** The ticket types it answers; a ticket of one of them ranks it higher. */
  ticketTypes?: readonly TicketType[];
}

/** @public */
export type KnowledgeField = 'title' | 'tags' | 'text';

const FIELDS: readonly KnowledgeField[] = ['title', 'tags', 'text'];
const FIELD_BIT: Record<KnowledgeField, number> = {
  title: 1,
  tags: 2,
  text: 4,
};

/** A document's terms per field, counted: what an index is built from. @public */
export interface AnalyzedKnowledgeDocument {
  id: string;
  ticketTypes: readonly TicketType[];
  counts: Record<KnowledgeField, Map<string, number>>;
  lengths: Record<KnowledgeField, number>;
}

/** Tokenizes and counts a document's fields. @public */
export function analyzeKnowledgeDocument(
  doc: KnowledgeDocument,
): AnalyzedKnowledgeDocument {
  const texts: Record<KnowledgeField, string> = {
    title: doc.title,
    tags: (doc.tags ?? []).join(' , '),
    text: doc.text,
  };
  const counts = {} as AnalyzedKnowledgeDocument['counts'];
  const lengths = {} as AnalyzedKnowledgeDocument['lengths'];
  for (const field of FIELDS) {
    const terms = tokenize(texts[field]);
    const m = new Map<string, number>();
    for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
    counts[field] = m;
    lengths[field] = terms.length;
  }
  return { id: doc.id, ticketTypes: doc.ticketTypes ?? [], counts, lengths };
}

/** Settings of the ranking; the defaults are those measured on the labelled tickets. @public */
export interface KnowledgeRankingOptions {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** Per field: its weight, and how much its length normalises (BM25 b). */
  fields: Record<KnowledgeField, { weight: number; b: number }>;
  /** A ticket whose type the article is linked to multiplies its score by 1 + this. */
  ticketTypeBoost: number;
  /** Weight of a ticket word matched to an indexed term one edit away (a typo). */
  fuzzyWeight: number;
  /** Matches scoring below this share of the best one are left out. */
  minRelativeScore: number;
}

/** @public */
export const DEFAULT_KNOWLEDGE_RANKING: KnowledgeRankingOptions = {
  k1: 1.2,
  fields: {
    title: { weight: 3, b: 0.5 },
    tags: { weight: 2, b: 0.3 },
    text: { weight: 1, b: 0.75 },
  },
  ticketTypeBoost: 0.25,
  fuzzyWeight: 0.7,
  minRelativeScore: 0.25,
};

/** Part of a query: a ticket's short description weighs more than its description. @public */
export interface KnowledgeQueryPart {
  text: string;
  weight?: number;
}

/** @public */
export interface KnowledgeQuery {
  text: string | readonly KnowledgeQueryPart[];
  ticketType?: TicketType;
  /** Default 5. */
  limit?: number;
}

/** One ticket word that matched an article, and where. @public */
export interface KnowledgeTermMatch {
  term: string;
  /**
   * The ticket's own words when they differ: a typo one edit away (`egrss` for egress), or
   * words written apart (`node pool` for nodepool).
   */
  typed?: string;
  fields: KnowledgeField[];
}

/** An article chosen for a query, with why. @public */
export interface KnowledgeMatch {
  id: string;
  score: number;
  /** The matched terms, the strongest first. */
  terms: KnowledgeTermMatch[];
  /** The ticket's type, when the article is linked to it (its score was boosted). */
  ticketType?: TicketType;
}

interface Posting {
  docs: Int32Array;
  /** BM25F saturated term frequency, per doc. */
  sat: Float32Array;
  /** Which fields hold the term (bits of FIELD_BIT), per doc. */
  fields: Uint8Array;
}

interface QueryTerm {
  term: string;
  typed?: string;
  weight: number;
  idf: number;
  posting: Posting;
}

const FUZZY_MIN_LENGTH = 5;
const isWord = (t: string) => /^[a-z]+$/.test(t);

/** Every string one deletion away from `term`. */
function deletions(term: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) {
    out.push(term.slice(0, i) + term.slice(i + 1));
  }
  return out;
}

/**
 * An in-memory BM25F index over knowledge articles (fields title, tags and text, each with
 * its weight and length normalisation), with a ticket-type boost and typo tolerance of one
 * edit for words of five letters or more. Built once per change of the article set; a search
 * reads only the postings of the query's terms.
 * @public
 */
export class KnowledgeIndex {
  private readonly postings = new Map<string, Posting>();
  /** Words of the vocabulary by each of their one-deletion variants. */
  private readonly variants = new Map<string, string[]>();
  private readonly ids: string[];
  private readonly types: Array<readonly TicketType[]>;
  private readonly scores: Float64Array;

  static build(
    docs: Iterable<AnalyzedKnowledgeDocument>,
    options: KnowledgeRankingOptions = DEFAULT_KNOWLEDGE_RANKING,
  ): KnowledgeIndex {
    return new KnowledgeIndex([...docs], options);
  }

  private constructor(
    docs: AnalyzedKnowledgeDocument[],
    private readonly options: KnowledgeRankingOptions,
  ) {
    this.ids = docs.map(d => d.id);
    this.types = docs.map(d => d.ticketTypes);
    this.scores = new Float64Array(docs.length);
    const avg = {} as Record<KnowledgeField, number>;
    for (const f of FIELDS) {
      const total = docs.reduce((n, d) => n + d.lengths[f], 0);
      avg[f] = docs.length && total ? total / docs.length : 1;
    }
    const building = new Map<
      string,
      { docs: number[]; sat: number[]; fields: number[] }
    >();
    docs.forEach((doc, n) => {
      const norm = {} as Record<KnowledgeField, number>;
      for (const f of FIELDS) {
        const { weight, b } = options.fields[f];
        norm[f] = weight / (1 - b + (b * doc.lengths[f]) / avg[f]);
      }
      const terms = new Set<string>();
      for (const f of FIELDS)
        for (const t of doc.counts[f].keys()) terms.add(t);
      for (const term of terms) {
        let tf = 0;
        let mask = 0;
        for (const f of FIELDS) {
          const c = doc.counts[f].get(term);
          if (c) {
            tf += c * norm[f];
            mask |= FIELD_BIT[f];
          }
        }
        let p = building.get(term);
        if (!p) {
          p = { docs: [], sat: [], fields: [] };
          building.set(term, p);
        }
        p.docs.push(n);
        p.sat.push(tf / (options.k1 + tf));
        p.fields.push(mask);
      }
    });
    for (const [term, p] of building) {
      this.postings.set(term, {
        docs: Int32Array.from(p.docs),
        sat: Float32Array.from(p.sat),
        fields: Uint8Array.from(p.fields),
      });
      if (isWord(term) && term.length >= FUZZY_MIN_LENGTH - 1) {
        for (const v of deletions(term)) {
          const list = this.variants.get(v);
          if (list) list.push(term);
          else this.variants.set(v, [term]);
        }
      }
    }
  }

  /** How many articles it holds. */
  get size(): number {
    return this.ids.length;
  }

  private idf(posting: Posting): number {
    const n = this.ids.length;
    const df = posting.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The indexed word one edit (insertion, deletion, substitution) from `typed`, if any. */
  private correct(typed: string): string | undefined {
    const candidates = new Set<string>(this.variants.get(typed) ?? []);
    for (const d of deletions(typed)) {
      if (this.postings.has(d)) candidates.add(d);
      for (const t of this.variants.get(d) ?? []) candidates.add(t);
    }
    let best: string | undefined;
    let bestDf = 0;
    for (const c of candidates) {
      const df = this.postings.get(c)!.docs.length;
      if (df > bestDf || (df === bestDf && best !== undefined && c < best)) {
        best = c;
        bestDf = df;
      }
    }
    return best;
  }

  private queryTerms(query: KnowledgeQuery): QueryTerm[] {
    const parts: readonly KnowledgeQueryPart[] =
      typeof query.text === 'string' ? [{ text: query.text }] : query.text;
    const byTerm = new Map<string, QueryTerm>();
    const add = (
      term: string,
      typed: string | undefined,
      weight: number,
      posting: Posting,
    ) => {
      const seen = byTerm.get(term);
      if (seen && seen.weight >= weight) return;
      byTerm.set(term, {
        term,
        typed,
        weight,
        idf: this.idf(posting),
        posting,
      });
    };
    for (const part of parts) {
      const weight = part.weight ?? 1;
      for (const typed of tokenize(part.text)) {
        let term = typed;
        let posting = this.postings.get(term);
        let w = weight;
        if (!posting && isWord(typed) && typed.length >= FUZZY_MIN_LENGTH) {
          const corrected = this.correct(typed);
          if (corrected) {
            term = corrected;
            posting = this.postings.get(corrected);
            w *= this.options.fuzzyWeight;
          }
        }
        if (posting) add(term, term === typed ? undefined : typed, w, posting);
      }
      // words written apart that articles write as one: "image pull backoff", "node pool"
      const words = part.text.match(/[A-Za-z0-9]+/g) ?? [];
      for (let i = 0; i < words.length; i++) {
        for (let n = 2; n <= 4 && i + n <= words.length; n++) {
          const joined = normalizeTerm(words.slice(i, i + n).join(''));
          const posting = this.postings.get(joined);
          if (posting)
            add(joined, words.slice(i, i + n).join(' '), weight, posting);
        }
      }
    }
    return [...byTerm.values()];
  }

  /** The best articles for a ticket, each with the terms that matched and its type link. */
  search(query: KnowledgeQuery): KnowledgeMatch[] {
    const terms = this.queryTerms(query);
    const scores = this.scores;
    const touched: number[] = [];
    for (const q of terms) {
      const { docs, sat } = q.posting;
      const w = q.weight * q.idf;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i];
        if (scores[d] === 0) touched.push(d);
        scores[d] += w * sat[i];
      }
    }
    const boost = 1 + this.options.ticketTypeBoost;
    const type = query.ticketType;
    const ranked = touched.map(d => {
      const linked = type !== undefined && this.types[d].includes(type);
      const score = scores[d] * (linked ? boost : 1);
      scores[d] = 0;
      return { d, score, linked };
    });
    ranked.sort((a, b) => b.score - a.score || a.d - b.d);
    const top = ranked[0]?.score ?? 0;
    return ranked
      .filter(r => r.score >= top * this.options.minRelativeScore)
      .slice(0, query.limit ?? 5)
      .map(r => ({
        id: this.ids[r.d],
        score: Math.round(r.score * 1000) / 1000,
        terms: this.explain(r.d, terms),
        ticketType: r.linked ? type : undefined,
      }));
  }

  /** The query terms found in doc `d`, by their contribution. */
  private explain(d: number, terms: QueryTerm[]): KnowledgeTermMatch[] {
    const found: Array<KnowledgeTermMatch & { contribution: number }> = [];
    for (const q of terms) {
      const i = binarySearch(q.posting.docs, d);
      if (i < 0) continue;
      const mask = q.posting.fields[i];
      found.push({
        term: q.term,
        ...(q.typed ? { typed: q.typed } : {}),
        fields: FIELDS.filter(f => mask & FIELD_BIT[f]),
        contribution: q.weight * q.idf * q.posting.sat[i],
      });
    }
    found.sort((a, b) => b.contribution - a.contribution);
    return found.map(({ contribution: _c, ...m }) => m);
  }
}

function binarySearch(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return mid;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
