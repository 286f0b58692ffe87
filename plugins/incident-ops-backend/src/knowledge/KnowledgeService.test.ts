import type { KnowledgeArticle } from '@acme/plugin-incident-ops-common';
import { KnowledgeService, explainSuggestion } from './KnowledgeService';

const article = (
  number: string,
  title: string,
  version = 1,
): KnowledgeArticle => ({
  source: 'servicenow',
  id: number,
  number,
  title,
  text: title,
  workflowState: 'published',
  sourceUpdatedAt: '2026-11-26T10:00:00.000Z',
  sourceVersion: version,
  syncedAt: `2026-11-26T10:00:0${version}.000Z`,
});

function source(initial: KnowledgeArticle[]) {
  let articles = initial;
  let stamp = 1;
  return {
    listed: 0,
    set(next: KnowledgeArticle[]) {
      articles = next;
      stamp++;
    },
    articlesStamp: async () => String(stamp),
    async listSuggestable() {
      this.listed++;
      return articles;
    },
  };
}

const logger = { info() {}, warn() {} } as any;
const numbers = async (service: KnowledgeService, text: string) =>
  (await service.suggest({ shortDescription: text })).map(
    s => s.article.number,
  );

describe('KnowledgeService', () => {
  it('takes in articles written here at once, and those written elsewhere in the background', async () => {
    const store = source([article('KB1', 'Egress rules')]);
    const service = new KnowledgeService({ store, logger, refreshMs: 60_000 });
    expect(await numbers(service, 'egress')).toEqual(['KB1']);

    // written elsewhere: not looked for until refreshMs has passed
    store.set([article('KB1', 'Egress rules'), article('KB2', 'Egress proxy')]);
    expect(await numbers(service, 'proxy')).toEqual([]);
    // written by this replica's sync: the next suggestion waits for it
    service.invalidate();
    expect(await numbers(service, 'proxy')).toEqual(['KB2']);

    const eager = new KnowledgeService({ store, logger, refreshMs: 0 });
    expect(await numbers(eager, 'proxy')).toEqual(['KB2']);
    store.set([article('KB3', 'Egress proxy allow list')]);
    // answered from the index it has while the new one is built
    expect(await numbers(eager, 'allow list')).toEqual([]);
    await eager.refresh();
    expect(await numbers(eager, 'allow list')).toEqual(['KB3']);
  });

  it('reads the articles again only when the stamp changed', async () => {
    const store = source([article('KB1', 'Egress rules')]);
    const service = new KnowledgeService({ store, logger });
    await service.refresh();
    await service.refresh();
    expect(store.listed).toBe(1);
    store.set([article('KB1', 'Egress rules changed', 2)]);
    await service.refresh();
    expect(store.listed).toBe(2);
    expect(await numbers(service, 'changed')).toEqual(['KB1']);
  });

  it('explains a suggestion in a sentence, without the parts of a compound', () => {
    expect(
      explainSuggestion({
        matchedTerms: [
          { term: 'livelink-prod', fields: ['text'] },
          { term: 'egress', typed: 'egrss', fields: ['title', 'text'] },
          { term: 'livelink', fields: ['title'] },
          { term: 'prod', fields: ['text'] },
        ],
        ticketType: { type: 'egress', via: 'classification' },
      }),
    ).toBe(
      'Matches livelink-prod, egress (as "egrss") in the title; written for egress tickets (its title classifies as one)',
    );
  });
});
