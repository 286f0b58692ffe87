import { TICKET_TYPES, TicketType } from '../classification';
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
const typeBit = (t: TicketType) => 1 << TICKET_TYPES.indexOf(t);

/**
 * A document's terms with their counts per field (title, tags, text): what an index is built
 * from, kept compact (one list of terms, one array of counts) so a large set can be cached.
 * @public
 */
export interface AnalyzedKnowledgeDocument {
  id: string;
  ticketTypes: readonly TicketType[];
  /** Each distinct term once. */
  terms: string[];
  /** Per term, three counts: in the title, the tags and the text. */
  counts: Uint16Array;
  /** Terms in the title, the tags and the text. */
  lengths: [number, number, number];
}

/** Tokenizes and counts a document's fields. @public */
export function analyzeKnowledgeDocument(
  doc: KnowledgeDocument,
): AnalyzedKnowledgeDocument {
  const texts = [doc.title, (doc.tags ?? []).join(' , '), doc.text];
  const index = new Map<string, number>();
  const terms: string[] = [];
  const counts: number[] = [];
  const lengths: [number, number, number] = [0, 0, 0];
  texts.forEach((text, f) => {
    const tokens = tokenize(text);
    lengths[f] = tokens.length;
    for (const t of tokens) {
      let i = index.get(t);
      if (i === undefined) {
        i = terms.length;
        index.set(t, i);
        terms.push(t);
        counts.push(0, 0, 0);
      }
      counts[i * 3 + f] = Math.min(counts[i * 3 + f] + 1, 65535);
    }
  });
  return {
    id: doc.id,
    ticketTypes: doc.ticketTypes ?? [],
    terms,
    counts: Uint16Array.from(counts),
    lengths,
  };
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

/** Where a term's postings are in the index's arrays. */
interface Posting {
  start: number;
  end: number;
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
  /** Postings of every term, one after the other: document, saturated tf, field bits. */
  private readonly docs: Int32Array;
  private readonly sat: Float32Array;
  private readonly fieldBits: Uint8Array;
  /** Words of the vocabulary by each of their one-deletion variants. */
  private readonly variants = new Map<string, string[]>();
  private readonly ids: string[];
  /** Per document, a bit per ticket type it is linked to. */
  private readonly typeBits: Uint16Array;
  /** Scratch space of a search: scores per document, and the documents scored. */
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;

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
    const n = docs.length;
    this.ids = docs.map(d => d.id);
    this.typeBits = Uint16Array.from(docs, d =>
      d.ticketTypes.reduce((bits, t) => bits | typeBit(t), 0),
    );
    this.scores = new Float64Array(n);
    this.touched = new Int32Array(n);
    const avg = [0, 0, 0];
    for (const d of docs) for (let f = 0; f < 3; f++) avg[f] += d.lengths[f];
    for (let f = 0; f < 3; f++) avg[f] = n && avg[f] ? avg[f] / n : 1;
    const field = FIELDS.map(f => options.fields[f]);

    // Pass 1: how many documents hold each term, to lay the postings out one after another.
    const df = new Map<string, number>();
    for (const d of docs)
      for (const t of d.terms) df.set(t, (df.get(t) ?? 0) + 1);
    let total = 0;
    for (const [term, count] of df) {
      this.postings.set(term, { start: total, end: total });
      total += count;
    }
    this.docs = new Int32Array(total);
    this.sat = new Float32Array(total);
    this.fieldBits = new Uint8Array(total);

    // Pass 2: fill them, documents in order (so each term's postings are sorted by document).
    docs.forEach((doc, d) => {
      const norm = field.map(
        ({ weight, b }, f) => weight / (1 - b + (b * doc.lengths[f]) / avg[f]),
      );
      doc.terms.forEach((term, i) => {
        let tf = 0;
        let bits = 0;
        for (let f = 0; f < 3; f++) {
          const c = doc.counts[i * 3 + f];
          if (c) {
            tf += c * norm[f];
            bits |= 1 << f;
          }
        }
        const p = this.postings.get(term)!;
        this.docs[p.end] = d;
        this.sat[p.end] = tf / (options.k1 + tf);
        this.fieldBits[p.end] = bits;
        p.end++;
      });
    });

    for (const term of df.keys()) {
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

  private df(posting: Posting): number {
    return posting.end - posting.start;
  }

  private idf(posting: Posting): number {
    const df = this.df(posting);
    return Math.log(1 + (this.ids.length - df + 0.5) / (df + 0.5));
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
      const df = this.df(this.postings.get(c)!);
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
    const { scores, touched, docs, sat } = this;
    let count = 0;
    for (const q of terms) {
      const w = q.weight * q.idf;
      for (let i = q.posting.start; i < q.posting.end; i++) {
        const d = docs[i];
        if (scores[d] === 0) touched[count++] = d;
        scores[d] += w * sat[i];
      }
    }
    // the best `limit` by score (then document order), without sorting everything
    const limit = query.limit ?? 5;
    const bit = query.ticketType ? typeBit(query.ticketType) : 0;
    const boost = 1 + this.options.ticketTypeBoost;
    const top: Array<{ d: number; score: number; linked: boolean }> = [];
    for (let t = 0; t < count; t++) {
      const d = touched[t];
      const linked = (this.typeBits[d] & bit) !== 0;
      const score = scores[d] * (linked ? boost : 1);
      scores[d] = 0;
      if (top.length === limit) {
        const last = top[limit - 1];
        if (score < last.score || (score === last.score && d > last.d)) {
          continue;
        }
        top.pop();
      }
      let at = top.length;
      while (
        at > 0 &&
        (top[at - 1].score < score ||
          (top[at - 1].score === score && top[at - 1].d > d))
      ) {
        at--;
      }
      top.splice(at, 0, { d, score, linked });
    }
    const best = top[0]?.score ?? 0;
    return top
      .filter(r => r.score >= best * this.options.minRelativeScore)
      .map(r => ({
        id: this.ids[r.d],
        score: Math.round(r.score * 1000) / 1000,
        terms: this.explain(r.d, terms),
        ticketType: r.linked ? query.ticketType : undefined,
      }));
  }

  /** The query terms found in doc `d`, by their contribution. */
  private explain(d: number, terms: QueryTerm[]): KnowledgeTermMatch[] {
    const found: Array<KnowledgeTermMatch & { contribution: number }> = [];
    for (const q of terms) {
      const i = binarySearch(this.docs, q.posting.start, q.posting.end, d);
      if (i < 0) continue;
      const bits = this.fieldBits[i];
      found.push({
        term: q.term,
        ...(q.typed ? { typed: q.typed } : {}),
        fields: FIELDS.filter((_f, f) => bits & (1 << f)),
        contribution: q.weight * q.idf * this.sat[i],
      });
    }
    found.sort((a, b) => b.contribution - a.contribution);
    return found.map(({ contribution: _c, ...m }) => m);
  }
}

function binarySearch(
  a: Int32Array,
  start: number,
  end: number,
  x: number,
): number {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return mid;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
