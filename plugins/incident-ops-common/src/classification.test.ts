import {
  ClassificationRule,
  DEFAULT_CLASSIFICATION_RULES,
  classifyTicket,
  validateClassificationRules,
} from './classification';

const t = (shortDescription: string, extra: object = {}) => ({
  shortDescription,
  ...extra,
});

describe('classifyTicket with the default rules', () => {
  it.each([
    [
      'Karpenter GPU node failure on mecc',
      'cluster-outage',
      'text-cluster-outage',
      '',
    ],
    [
      'rtg cluster down - API server unreachable',
      'cluster-outage',
      'text-cluster-outage',
      '',
    ],
    [
      'Image blocked by security policy (kyverno) in livelink-prod',
      'security',
      'text-security',
      '',
    ],
    [
      'GitLab CI access request: runners to registry.gitlab.acme.com:5050',
      'gitlab-ci-access',
      'text-gitlab-ci',
      '',
    ],
    [
      'FluxCD reconciliation stuck: HelmRelease livelink-portal',
      'gitops',
      'text-gitops',
      '',
    ],
    [
      'Need 4 new m5.2xlarge nodes - AWS quota check',
      'node-provisioning',
      'text-node-provisioning',
      '',
    ],
    ['Add egress NFS access for livelink-prod', 'egress', 'text-egress', ''],
    [
      'Whitelist Snowflake hosts for snowflake-connect',
      'egress',
      'text-egress',
      '',
    ],
    [
      'Namespace RBAC: view role on livelink-prod for rahul.mehta',
      'namespace-access',
      'text-namespace-access',
      '',
    ],
    [
      'DB connectivity failure from livelink-prod',
      'connectivity',
      'text-connectivity-failure',
      '',
    ],
    [
      'DB connectivity failure from livelink-prod',
      'connectivity',
      'text-connectivity-failure',
      'firewall drops the connection to lldb-prd:5432',
    ],
    [
      'Pod visibility loss in Lens',
      'connectivity',
      'text-connectivity-failure',
      '',
    ],
    ['Egress: cannot reach api.github.com:443', 'egress', 'text-egress', ''],
    ['Question about the quarterly maintenance window', 'other', 'default', ''],
  ])('%s -> %s (%s)', (text, type, rule, description) => {
    expect(classifyTicket(t(text, { description }))).toEqual({ type, rule });
  });

  it('falls back to category and subcategory when the text says nothing', () => {
    expect(
      classifyTicket(
        t('Request', { category: 'Network', subcategory: 'Egress' }),
      ),
    ).toEqual({ type: 'egress', rule: 'subcategory-egress' });
    expect(classifyTicket(t('Please help', { category: 'network' }))).toEqual({
      type: 'connectivity',
      rule: 'category-network',
    });
  });

  it('reads the description too', () => {
    expect(
      classifyTicket(
        t('Request for livelink-uat', {
          description: 'pls add the flux kustomization for the new app',
        }),
      ).type,
    ).toBe('gitops');
  });

  it('ships valid default rules', () => {
    expect(validateClassificationRules(DEFAULT_CLASSIFICATION_RULES)).toEqual(
      [],
    );
  });
});

describe('configured rules', () => {
  const rules: ClassificationRule[] = [
    { id: 'snowflake', type: 'connectivity', pattern: 'snowflake' },
    ...DEFAULT_CLASSIFICATION_RULES,
  ];

  it('come first', () => {
    expect(classifyTicket(t('Whitelist Snowflake hosts'), rules)).toEqual({
      type: 'connectivity',
      rule: 'snowflake',
    });
  });

  it('need every condition they name', () => {
    const r: ClassificationRule[] = [
      { id: 'both', type: 'security', category: 'network', pattern: 'tls' },
    ];
    expect(
      classifyTicket(t('tls handshake', { category: 'network' }), r).rule,
    ).toBe('both');
    expect(
      classifyTicket(t('tls handshake', { category: 'software' }), r).rule,
    ).toBe('default');
    expect(
      classifyTicket(t('handshake', { category: 'network' }), r).rule,
    ).toBe('default');
  });

  it('are validated, each problem naming the rule', () => {
    expect(
      validateClassificationRules([
        { id: 'a', type: 'egress', pattern: '(' },
        { id: 'a', type: 'plumbing' as any, category: 'x' },
        { id: 'c', type: 'other' },
      ]),
    ).toEqual([
      expect.stringMatching(/^rule 0 \(a\): pattern is invalid/),
      'rule 1 (a): id is used twice',
      expect.stringMatching(
        /^rule 1 \(a\): type 'plumbing' is not one of egress/,
      ),
      'rule 2 (c) has no condition',
    ]);
  });
});
