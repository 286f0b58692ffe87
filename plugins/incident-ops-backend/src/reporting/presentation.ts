import type {
  ClassificationRule,
  TicketType,
} from '@acme/plugin-incident-ops-common';
import type { Suggestion } from '../knowledge/KnowledgeService';

/** How the form names each ticket type. */
export const TICKET_TYPE_LABEL: Record<TicketType, string> = {
  egress: 'Egress',
  'gitlab-ci-access': 'GitLab CI access',
  'node-provisioning': 'Node provisioning',
  gitops: 'GitOps / FluxCD',
  'namespace-access': 'Namespace access',
  'cluster-outage': 'Cluster outage',
  security: 'Security',
  connectivity: 'Connectivity',
  other: 'Other',
};

/** ServiceNow's incident categories (base system choices) for each ticket type. */
const CATEGORY: Record<TicketType, string> = {
  egress: 'network',
  connectivity: 'network',
  'gitlab-ci-access': 'software',
  gitops: 'software',
  'namespace-access': 'software',
  'node-provisioning': 'hardware',
  'cluster-outage': 'hardware',
  security: 'security',
  other: 'inquiry',
};

/**
 * The category (and subcategory) a reported ticket of this type is filed under: those the
 * classification rules recognise the type by, so the synced record classifies as it was
 * reported; else the base category for the type.
 */
export function categoryFor(
  type: TicketType,
  rules: readonly ClassificationRule[],
): { category: string; subcategory?: string } {
  const byCategory = rules.find(r => r.type === type && r.category);
  const bySubcategory = rules.find(r => r.type === type && r.subcategory);
  return {
    category: byCategory?.category ?? CATEGORY[type],
    ...(bySubcategory?.subcategory
      ? { subcategory: bySubcategory.subcategory }
      : {}),
  };
}

/** A suggestion as `GET /kb/suggestions` lists it. */
export function suggestionItem(s: Suggestion) {
  return {
    articleId: s.article.number,
    title: s.article.title,
    source: s.article.source,
    ...(s.article.url ? { url: s.article.url } : {}),
    ...(s.article.playbook ? { playbook: s.article.playbook } : {}),
    rank: s.rank,
    score: s.score,
    reasons: s.reasons,
    explanation: s.explanation,
  };
}
