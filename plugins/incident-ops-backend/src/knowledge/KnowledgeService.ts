import {
  AnalyzedKnowledgeDocument,
  ClassificationRule,
  KnowledgeArticle,
  KnowledgeIndex,
  KnowledgeQueryPart,
  KnowledgeRankingOptions,
  KnowledgeTermMatch,
  TicketType,
  analyzeKnowledgeDocument,
  classifyTicket,
} from '@acme/plugin-incident-ops-common';
import type { LoggerService } from '@backstage/backend-plugin-api';

/** Why an article was suggested. */
export interface SuggestionReasons {
  /** The ticket's words found in the article, strongest first, and where. */
  matchedTerms: KnowledgeTermMatch[];
  /**
   * The ticket's type when the article is linked to it: by the article itself (front
   * matter), or by classifying the article's title with the ticket classification rules
   * (synced articles name no ticket types).
   */
  ticketType?: { type: TicketType; via: 'article' | 'classification' };
}

/** One suggested article. */
export interface Suggestion {
  article: KnowledgeArticle;
  rank: number;
  score: number;
  reasons: SuggestionReasons;
  /** The reasons as a sentence. */
  explanation: string;
}

/** A ticket to suggest articles for. */
export interface SuggestionTicket {
  shortDescription: string;
  description?: string;
  ticketType?: TicketType;
}

/** Where the articles come from (DatabaseKnowledgeStore). */
export interface KnowledgeArticleSource {
  /** Changes whenever an article is written. */
  articlesStamp(): Promise<string>;
  /** Published articles valid on `today` (YYYY-MM-DD). */
  listSuggestable(today: string): Promise<KnowledgeArticle[]>;
}

interface Entry {
  version: string;
  article: KnowledgeArticle;
  analyzed: AnalyzedKnowledgeDocument;
  typeVia?: 'article' | 'classification';
}

/** The description counts half: it often carries pasted logs, the short description names the problem. */
const DESCRIPTION_WEIGHT = 0.5;

/** The query for a ticket: its short description, then its description at half weight. */
export function ticketQueryParts(
  ticket: SuggestionTicket,
): KnowledgeQueryPart[] {
  return [
    { text: ticket.shortDescription, weight: 1 },
    { text: ticket.description ?? '', weight: DESCRIPTION_WEIGHT },
  ];
}

/** The reasons as a sentence, e.g. "Matches egress, nfs (title), livelink-prod; linked to ticket type egress". */
export function explainSuggestion(reasons: SuggestionReasons): string {
  // a part of a matched compound (prod of livelink-prod) goes without saying
  const parts = new Set(
    reasons.matchedTerms.flatMap(t => {
      const split = t.term.split(/[.:/_\-=@]+/);
      return split.length > 1 ? split : [];
    }),
  );
  const said = reasons.matchedTerms.filter(t => !parts.has(t.term));
  const terms = said.slice(0, 6).map(t => {
    const word = t.typed ? `${t.term} (as "${t.typed}")` : t.term;
    return t.fields.includes('title') ? `${word} in the title` : word;
  });
  const more = said.length > 6 ? ` and ${said.length - 6} more` : '';
  const type = reasons.ticketType
    ? `; written for ${reasons.ticketType.type} tickets${
        reasons.ticketType.via === 'classification'
          ? ' (its title classifies as one)'
          : ''
      }`
    : '';
  return `Matches ${terms.join(', ')}${more}${type}`;
}

/**
 * Suggests knowledge articles for tickets from an in-memory index over every published
 * article (synced and repository ones alike). The index is rebuilt when the stored articles
 * change: at once for writes on this replica, and for writes elsewhere when a cheap stamp
 * checked at most every `refreshMs` differs. Only changed articles are tokenized again.
 */
export class KnowledgeService {
  /** The index and the articles it holds, swapped together. */
  private built?: { index: KnowledgeIndex; entries: Map<string, Entry> };
  private stamp?: string;
  private checkedAt = 0;
  private stale = false;
  private refreshing?: Promise<void>;

  constructor(
    private readonly options: {
      store: KnowledgeArticleSource;
      rules?: readonly ClassificationRule[];
      logger: LoggerService;
      ranking?: KnowledgeRankingOptions;
      refreshMs?: number;
    },
  ) {}

  /** Articles were written here: the next suggestion waits for the index to take them in. */
  invalidate() {
    this.stale = true;
  }

  /** Rebuilds the index now if the stored articles changed. */
  async refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.rebuild().finally(() => {
        this.refreshing = undefined;
      });
    }
    await this.refreshing;
  }

  private async rebuild() {
    const { store, rules, logger, ranking } = this.options;
    this.checkedAt = Date.now();
    this.stale = false;
    const stamp = await store.articlesStamp();
    if (stamp === this.stamp && this.built) return;
    const today = new Date().toISOString().slice(0, 10);
    const articles = await store.listSuggestable(today);
    // an article some published article replaces is not suggested
    const replaced = new Set(articles.flatMap(a => a.replaces ?? []));
    const entries = new Map<string, Entry>();
    for (const article of articles) {
      if (replaced.has(article.number)) continue;
      if (entries.has(article.number)) {
        logger.warn(
          `Knowledge article number ${article.number} is used by ${
            article.source
          } and ${
            entries.get(article.number)!.article.source
          }; suggesting the latter only`,
        );
        continue;
      }
      const version = `${article.source}:${article.sourceVersion}:${article.syncedAt}`;
      const cached = this.built?.entries.get(article.number);
      if (cached && cached.version === version) {
        entries.set(article.number, cached);
        continue;
      }
      let ticketTypes = article.ticketTypes;
      let typeVia: Entry['typeVia'] = ticketTypes?.length
        ? 'article'
        : undefined;
      if (!ticketTypes?.length) {
        const { type } = classifyTicket(
          { shortDescription: article.title },
          rules,
        );
        if (type !== 'other') {
          ticketTypes = [type];
          typeVia = 'classification';
        }
      }
      entries.set(article.number, {
        version,
        article,
        typeVia,
        analyzed: analyzeKnowledgeDocument({
          id: article.number,
          title: article.title,
          text: article.text,
          tags: article.tags,
          ticketTypes,
        }),
      });
    }
    this.built = {
      index: KnowledgeIndex.build(
        [...entries.values()].map(e => e.analyzed),
        ranking,
      ),
      entries,
    };
    this.stamp = stamp;
    logger.info(`Knowledge index: ${entries.size} articles`);
  }

  /**
   * The index to answer with. A request waits only for the first build and for articles
   * written on this replica; changes elsewhere are picked up in the background, so a
   * rebuild never holds up a suggestion.
   */
  private async current() {
    if (!this.built || this.stale) {
      await this.refresh();
    } else if (
      !this.refreshing &&
      Date.now() - this.checkedAt >= (this.options.refreshMs ?? 10_000)
    ) {
      this.refresh().catch(e =>
        this.options.logger.warn(`Knowledge index refresh failed: ${e}`),
      );
    }
    return this.built!;
  }

  /** A ticket's type by the configured classification rules. */
  classify(ticket: {
    shortDescription: string;
    description?: string;
    category?: string;
    subcategory?: string;
  }): TicketType {
    return classifyTicket(ticket, this.options.rules).type;
  }

  /** The best articles for a ticket, best first. */
  async suggest(ticket: SuggestionTicket, limit = 5): Promise<Suggestion[]> {
    const { index, entries } = await this.current();
    const matches = index.search({
      text: ticketQueryParts(ticket),
      ticketType: ticket.ticketType,
      limit,
    });
    return matches.map((m, n) => {
      const entry = entries.get(m.id)!;
      const reasons: SuggestionReasons = {
        matchedTerms: m.terms,
        ...(m.ticketType
          ? { ticketType: { type: m.ticketType, via: entry.typeVia! } }
          : {}),
      };
      return {
        article: entry.article,
        rank: n + 1,
        score: m.score,
        reasons,
        explanation: explainSuggestion(reasons),
      };
    });
  }
}
