import type { KnowledgeArticle } from '@acme/plugin-incident-ops-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'fs';
import { parse } from 'yaml';
import { KnowledgeService } from '../KnowledgeService';
import { loadKnowledgeDirectory } from '../loadKnowledgeDirectory';

/** A labelled ticket: its text and the article that answers it. */
export interface LabelledTicket {
  short: string;
  description?: string;
  answer: string;
}

/** The repository's knowledge folder. */
export const KNOWLEDGE_DIR = resolvePackagePath(
  '@acme/plugin-incident-ops-backend',
  '../../knowledge',
);

function readTickets(file: string): LabelledTicket[] {
  return parse(
    fs.readFileSync(
      resolvePackagePath(
        '@acme/plugin-incident-ops-backend',
        `src/knowledge/__fixtures__/${file}`,
      ),
      'utf8',
    ),
  ) as LabelledTicket[];
}

/** The labelled tickets written with the articles (the regression floor's set). */
export function loadLabelled(): LabelledTicket[] {
  return readTickets('labelled.yaml');
}

/**
 * The held-out tickets (labelled-heldout.yaml): written later, apart from the articles, and
 * measured only; the ranker is not tuned on them.
 */
export function loadHeldOut(): LabelledTicket[] {
  return readTickets('labelled-heldout.yaml');
}

/** The repository's articles as stored (version 1, published). */
export async function repositoryArticles(): Promise<KnowledgeArticle[]> {
  const now = new Date().toISOString();
  return (await loadKnowledgeDirectory(KNOWLEDGE_DIR)).map(
    ({ file: _f, ...a }) => ({
      ...a,
      source: 'repository',
      sourceUpdatedAt: now,
      sourceVersion: 1,
      syncedAt: now,
    }),
  );
}

/** A suggestion service over fixed articles, without a database. */
export function serviceOver(articles: KnowledgeArticle[]) {
  return new KnowledgeService({
    store: {
      articlesStamp: async () => String(articles.length),
      listSuggestable: async () => articles,
    },
    logger: { info() {}, warn() {} } as any,
  });
}

/**
 * Top-1 and top-3 hit rates of the suggestions on the labelled tickets, each classified by
 * the default rules as synced tickets are; the misses with what came first.
 */
export async function hitRates(
  service: KnowledgeService,
  tickets: LabelledTicket[],
) {
  let top1 = 0;
  let top3 = 0;
  const misses: string[] = [];
  for (const t of tickets) {
    const ticket = { shortDescription: t.short, description: t.description };
    const suggestions = await service.suggest(
      { ...ticket, ticketType: service.classify(ticket) },
      5,
    );
    const rank = suggestions.findIndex(s => s.article.number === t.answer);
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
    if (rank !== 0) {
      misses.push(
        `${t.short} → ${t.answer} at ${rank < 0 ? '-' : rank + 1}; first: ${
          suggestions[0]?.article.number ?? 'none'
        }`,
      );
    }
  }
  return {
    top1: top1 / tickets.length,
    top3: top3 / tickets.length,
    n: tickets.length,
    misses,
  };
}
