import type { KnowledgeArticle } from '@acme/plugin-incident-ops-common';
import { isoOf, opt } from './rows';

type Row = Record<string, any>;

const json = (value: unknown) =>
  value === undefined ? null : JSON.stringify(value);
const parsed = (value: unknown) =>
  typeof value === 'string' && value ? JSON.parse(value) : undefined;

/** A `kb_articles` row of an article. */
export function knowledgeArticleToRow(a: KnowledgeArticle): Row {
  const attributes = {
    replaces: a.replaces?.length ? a.replaces : undefined,
    playbook: a.playbook,
    owner: a.owner,
    tiers: a.tiers?.length ? a.tiers : undefined,
  };
  return {
    source: a.source,
    source_id: a.id,
    number: a.number,
    title: a.title,
    text: a.text,
    format: a.format ?? null,
    ticket_types: a.ticketTypes?.length ? json(a.ticketTypes) : null,
    tags: a.tags?.length ? json(a.tags) : null,
    attributes: Object.values(attributes).some(v => v !== undefined)
      ? json(attributes)
      : null,
    category: a.category ?? null,
    knowledge_base: a.knowledgeBase ?? null,
    workflow_state: a.workflowState,
    valid_to: a.validTo ?? null,
    view_count: a.viewCount ?? null,
    url: a.url ?? null,
    source_updated_at: new Date(a.sourceUpdatedAt),
    source_version: a.sourceVersion,
    synced_at: new Date(a.syncedAt),
  };
}

/** The article of a `kb_articles` row; fields that are not set are left out. */
export function knowledgeArticleFromRow(r: Row): KnowledgeArticle {
  const attributes = parsed(r.attributes) ?? {};
  const article: KnowledgeArticle = {
    source: r.source,
    id: r.source_id,
    number: r.number,
    title: r.title,
    text: r.text,
    format: opt(r.format),
    ticketTypes: parsed(r.ticket_types),
    tags: parsed(r.tags),
    replaces: attributes.replaces,
    playbook: attributes.playbook,
    owner: attributes.owner,
    tiers: attributes.tiers,
    category: opt(r.category),
    knowledgeBase: opt(r.knowledge_base),
    workflowState: r.workflow_state,
    validTo: opt(r.valid_to),
    viewCount: r.view_count === null ? undefined : Number(r.view_count),
    url: opt(r.url),
    sourceUpdatedAt: isoOf(r.source_updated_at)!,
    sourceVersion: Number(r.source_version),
    syncedAt: isoOf(r.synced_at)!,
  };
  for (const key of Object.keys(article) as Array<keyof KnowledgeArticle>) {
    if (article[key] === undefined) delete article[key];
  }
  return article;
}
