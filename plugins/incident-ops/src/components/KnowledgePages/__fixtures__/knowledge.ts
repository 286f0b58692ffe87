import { ResponseError } from '@backstage/errors';
import type {
  KnowledgeArticleView,
  PlaybookDefinition,
  PlaybookList,
} from '../../../api/IncidentOpsApi';

/** A repository article, as GET /kb/articles/{id} serves it. */
export const repositoryArticle: KnowledgeArticleView = {
  source: 'repository',
  id: 'egress-access-livelink',
  number: 'egress-access-livelink',
  title: 'How to Request Egress Access for livelink-* Namespaces',
  format: 'markdown',
  text: [
    '# How to Request Egress Access for livelink-\\* Namespaces',
    '',
    '## Summary',
    '',
    'Workloads in `livelink-prod` run behind a **default-deny** egress policy.',
    '',
    '## Steps',
    '',
    '1. **Validate the namespace.**',
    '',
    '   ```sh',
    '   kubectl --context abrc1l get namespace livelink-prod --show-labels',
    '   ```',
    '',
    '| Port | Service |',
    '| ---- | ------- |',
    '| 2049 | NFS     |',
  ].join('\n'),
  ticketTypes: ['egress'],
  tags: ['egress', 'firewall', 'networkpolicy'],
  tiers: ['L1'],
  playbook: 'egress-access',
  owner: 'group:default/atlas-l1-support',
  replaces: ['KB0010001'],
  workflowState: 'published',
  sourceUpdatedAt: '2026-11-20T09:30:00.000Z',
  sourceVersion: 2,
  syncedAt: '2026-11-20T09:30:00.000Z',
  feedback: { suggestedOn: 3, helpful: 2, notHelpful: 1 },
};

/** A ServiceNow article: plain text, with its page in ServiceNow, no longer published. */
export const serviceNowArticle: KnowledgeArticleView = {
  source: 'servicenow',
  id: '0a1b2c3d',
  number: 'KB0010001',
  title: 'Egress whitelisting for Atlas namespaces',
  format: 'text',
  text: 'Raise a firewall request.\nThen add the NetworkPolicy.',
  tags: ['egress'],
  category: 'Networking',
  knowledgeBase: 'IT',
  workflowState: 'retired',
  viewCount: 41,
  url: 'https://acme.service-now.com/kb_view.do?sysparm_article=KB0010001',
  sourceUpdatedAt: '2025-03-02T12:00:00.000Z',
  sourceVersion: 5,
  syncedAt: '2026-11-25T08:00:00.000Z',
};

/** The Egress Access playbook, cut down to what the page shows. */
export const egressPlaybook: PlaybookDefinition = {
  id: 'egress-access',
  title: 'Egress Access',
  summary:
    'Open egress from a namespace behind the default-deny egress policy.',
  file: 'egress-access.yaml',
  ticketTypes: ['egress'],
  fields: {
    cluster: { label: 'Cluster', from: 'cluster', example: 'abrc1l' },
    namespace: {
      label: 'Source namespace',
      from: 'namespace',
      example: 'livelink-prod',
    },
    fqdn: { label: 'Destination host (FQDN)', from: 'fqdn' },
    port: { label: 'Destination port', from: 'port' },
    protocol: { label: 'Protocol', default: 'TCP' },
    firewallRuleId: {
      label: 'Firewall rule id',
      description: 'The id the network team gives the rule.',
    },
  },
  steps: [
    {
      id: 'validate-namespace',
      kind: 'check',
      title: 'Validate the namespace and the request',
      instructions: 'Confirm that {{namespace}} exists on {{cluster}}.',
      checks: [
        '`kubectl --context {{cluster}} get namespace {{namespace}}` finds the namespace',
      ],
      templates: [],
      optional: false,
      needs: ['cluster', 'namespace'],
    },
    {
      id: 'firewall-rule',
      kind: 'task',
      title: 'Fill the firewall rule and the NetworkPolicy',
      instructions: 'Paste the firewall rule into the firewall request.',
      checks: [],
      templates: [
        {
          id: 'firewall-rule',
          title: 'Firewall rule request',
          format: 'text',
          text: 'Rule name: k8s-{{cluster}}-{{namespace}}-{{fqdn | slug}}-{{port}}\nService: {{protocol}}/{{port}}\n',
        },
      ],
      optional: false,
      needs: ['firewallRuleId'],
    },
    {
      id: 'test-verification',
      kind: 'verification',
      title: 'Verify the connection from the namespace',
      instructions: 'Open the connection from a throwaway pod.',
      checks: ['nc reports the connection to {{fqdn}}:{{port}} succeeded'],
      templates: [],
      optional: false,
      needs: ['fqdn', 'port'],
    },
  ],
};

/** GET /playbooks. */
export const playbookList: PlaybookList = {
  items: [
    {
      id: 'egress-access',
      title: 'Egress Access',
      summary: 'Open egress from a namespace.',
      file: 'egress-access.yaml',
    },
    {
      id: 'fluxcd-gitops',
      title: 'FluxCD / GitOps',
      summary: 'Get a stuck Flux reconciliation going again.',
      file: 'fluxcd-gitops.yaml',
    },
    {
      id: 'cert-rotation',
      title: 'Certificate rotation',
      summary: 'Rotate a certificate by hand.',
    },
  ],
  mapping: { egress: 'egress-access', gitops: 'fluxcd-gitops' },
};

/** The error the client throws for an HTTP error response. */
export async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: status === 404 ? 'NotFoundError' : 'Error',
          message,
        },
        request: { method: 'GET', url: '/api/incident-ops' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 404 ? 'Not Found' : 'Internal Server Error',
        headers: { 'Content-Type': 'application/json' },
      },
    ) as any,
  );
}
