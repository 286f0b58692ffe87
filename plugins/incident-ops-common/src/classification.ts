/** The kinds of ticket the platform team handles (operational model, section I.2 and V). @public */
export type TicketType =
  | 'egress'
  | 'gitlab-ci-access'
  | 'node-provisioning'
  | 'gitops'
  | 'namespace-access'
  | 'cluster-outage'
  | 'security'
  | 'connectivity'
  | 'other';

/** @public */
export const TICKET_TYPES: readonly TicketType[] = [
  'egress',
  'gitlab-ci-access',
  'node-provisioning',
  'gitops',
  'namespace-access',
  'cluster-outage',
  'security',
  'connectivity',
  'other',
];

/**
 * A classification rule: every condition it names must hold (category and subcategory
 * compare case-insensitively; `pattern` is a case-insensitive regular expression over the
 * short description and description). The first rule that holds decides.
 * @public
 */
export interface ClassificationRule {
  id: string;
  type: TicketType;
  category?: string;
  subcategory?: string;
  pattern?: string;
}

/** @public */
export interface Classification {
  type: TicketType;
  /** The id of the rule that matched, or `default` when none did. */
  rule: string;
}

/**
 * The default rules, most specific first. Outages and security come before the request
 * types, so "cluster down after egress change" is an outage.
 * @public
 */
export const DEFAULT_CLASSIFICATION_RULES: readonly ClassificationRule[] = [
  {
    id: 'text-cluster-outage',
    type: 'cluster-outage',
    pattern:
      '\\b(cluster (is )?(down|outage|unreachable|unavailable)|outage|api ?server (down|unreachable)|control plane (down|unavailable)|nodes? (not ?ready|notready)|gpu node failure|karpenter .*fail)',
  },
  {
    id: 'text-security',
    type: 'security',
    pattern:
      '\\b(security|cve-\\d|vulnerab|breach|blocked by (policy|security)|psp|pod security|opa|gatekeeper|kyverno|malware)',
  },
  { id: 'category-security', type: 'security', category: 'security' },
  {
    id: 'text-gitlab-ci',
    type: 'gitlab-ci-access',
    pattern: '\\b(gitlab|runner|ci/cd|ci access|pipeline)',
  },
  {
    id: 'subcategory-gitlab',
    type: 'gitlab-ci-access',
    subcategory: 'gitlab',
  },
  {
    id: 'text-gitops',
    type: 'gitops',
    pattern: '\\b(flux|fluxcd|gitops|helmrelease|kustomization|reconcil)',
  },
  { id: 'subcategory-gitops', type: 'gitops', subcategory: 'gitops' },
  {
    id: 'text-node-provisioning',
    type: 'node-provisioning',
    pattern:
      '\\b(karpenter|node ?pool|nodepool|provision\\w* (a |new )?nodes?|node provisioning|aws quota|instance type|gpu nodes?)',
  },
  { id: 'subcategory-node', type: 'node-provisioning', subcategory: 'node' },
  {
    id: 'text-connectivity-failure',
    type: 'connectivity',
    pattern:
      '\\b(connectivity (failure|issue|loss|problem|broken)|db connection (failure|error|refused|lost)|pod visibility loss)',
  },
  {
    id: 'text-egress',
    type: 'egress',
    pattern:
      '\\b(egress|whitelist|allow ?list|firewall|outbound|nfs access|proxy rule)',
  },
  { id: 'subcategory-egress', type: 'egress', subcategory: 'egress' },
  {
    id: 'text-namespace-access',
    type: 'namespace-access',
    pattern:
      '\\b(rbac|namespace access|access to (the )?namespace|rolebinding|edit rights|view role|kubectl access)',
  },
  {
    id: 'subcategory-namespace',
    type: 'namespace-access',
    subcategory: 'namespace',
  },
  {
    id: 'text-connectivity',
    type: 'connectivity',
    pattern:
      '\\b(connectivity|connection (refused|reset|timed? ?out)|cannot (reach|connect)|dns|timeout|db connection|pod visibility)',
  },
  { id: 'category-network', type: 'connectivity', category: 'network' },
];

const compiled = new WeakMap<ClassificationRule, RegExp>();

function regex(rule: ClassificationRule): RegExp {
  let r = compiled.get(rule);
  if (!r) {
    r = new RegExp(rule.pattern!, 'i');
    compiled.set(rule, r);
  }
  return r;
}

const same = (a: string | undefined, b: string) =>
  (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Checks rules from config: unique ids, known types, at least one condition, valid regular
 * expressions. Returns the problems, each naming the rule.
 * @public
 */
export function validateClassificationRules(
  rules: readonly ClassificationRule[],
): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  rules.forEach((rule, n) => {
    const name = `rule ${n} (${rule.id ?? 'no id'})`;
    if (!rule.id) problems.push(`${name} has no id`);
    else if (ids.has(rule.id)) problems.push(`${name}: id is used twice`);
    ids.add(rule.id);
    if (!(TICKET_TYPES as readonly string[]).includes(rule.type)) {
      problems.push(
        `${name}: type '${rule.type}' is not one of ${TICKET_TYPES.join(', ')}`,
      );
    }
    if (!rule.category && !rule.subcategory && !rule.pattern) {
      problems.push(`${name} has no condition`);
    }
    if (rule.pattern) {
      try {
        regex(rule);
      } catch (e) {
        problems.push(`${name}: pattern is invalid: ${(e as Error).message}`);
      }
    }
  });
  return problems;
}

/**
 * Classifies a ticket by the first rule that holds; `other` (rule `default`) when none does.
 * @public
 */
export function classifyTicket(
  ticket: {
    category?: string;
    subcategory?: string;
    shortDescription: string;
    description?: string;
  },
  rules: readonly ClassificationRule[] = DEFAULT_CLASSIFICATION_RULES,
): Classification {
  const text = `${ticket.shortDescription}\n${ticket.description ?? ''}`;
  for (const rule of rules) {
    if (rule.category && !same(ticket.category, rule.category)) continue;
    if (rule.subcategory && !same(ticket.subcategory, rule.subcategory))
      continue;
    if (rule.pattern && !regex(rule).test(text)) continue;
    return { type: rule.type, rule: rule.id };
  }
  return { type: 'other', rule: 'default' };
}
