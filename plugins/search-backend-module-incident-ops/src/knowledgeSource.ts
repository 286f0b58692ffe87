import type { KnowledgeArticle } from '@acme/plugin-incident-ops-common';
import type { IndexableDocument } from '@backstage/plugin-search-common';
import type { IncidentOpsSearchSource } from './IncidentOpsCollatorFactory';

/** A knowledge article in the search index. @public */
export interface KnowledgeSearchDocument extends IndexableDocument {
  /** What feedback and suggestions call it: the number or repository id. */
  articleId: string;
  source: string;
  ticketTypes: string[];
  tags: string[];
}

/** Markdown as text for search snippets: markup characters go, words stay. */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/^```.*$/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^\s*\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?)?\s*\n/gm, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/[`*]/g, '')
    .replace(/\|/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Where a search hit leads: the source's own page, else the article's page in the app. */
export function articleLocation(article: KnowledgeArticle): string {
  return (
    article.url ?? `/incident-ops/kb/${encodeURIComponent(article.number)}`
  );
}

const PAGE = 500;

/** An article's text for the index: its first `# Title` line goes, the title is indexed apart. */
function articleText(a: KnowledgeArticle): string {
  if (a.format !== 'markdown') return a.text;
  return markdownToText(a.text.replace(/^\s*#\s+[^\n]*\n+/, ''));
}

/**
 * Published knowledge articles of every source, as `incident-ops-kb` documents. As in the
 * suggestions, an article past its `validTo` date is left out, and so is an article that
 * another published (and valid) article replaces: search shows the article that is kept up
 * to date, not both.
 * @public
 */
export const knowledgeSearchSource: IncidentOpsSearchSource = {
  type: 'incident-ops-kb',
  async *read(get) {
    const articles: KnowledgeArticle[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page: { items: KnowledgeArticle[]; total: number } = await get(
        `/kb/articles?limit=${PAGE}&offset=${offset}`,
      );
      articles.push(...page.items);
      if (page.items.length === 0 || offset + PAGE >= page.total) break;
    }
    const today = new Date().toISOString().slice(0, 10);
    const valid = articles.filter(a => !a.validTo || a.validTo >= today);
    const replaced = new Set(valid.flatMap(a => a.replaces ?? []));
    for (const a of valid) {
      if (replaced.has(a.number)) continue;
      const document: KnowledgeSearchDocument = {
        title: a.title,
        text: articleText(a),
        location: articleLocation(a),
        articleId: a.number,
        source: a.source,
        ticketTypes: a.ticketTypes ?? [],
        tags: a.tags ?? [],
      };
      yield document;
    }
  },
};
