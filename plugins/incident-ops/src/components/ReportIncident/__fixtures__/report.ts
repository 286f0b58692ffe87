import type { Entity } from '@backstage/catalog-model';
import type {
  IncidentDraftPreview,
  IncidentReport,
} from '../../../api/IncidentOpsApi';

export const namespace: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'livelink-prod',
    title: 'livelink-prod (abrc1l)',
    annotations: {
      'incident-ops.acme.com/servicenow-cmdb-ci': 'abrc1l:livelink-prod',
    },
  },
  spec: { type: 'kubernetes-namespace' },
};

export const cluster: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'abrc1l',
    annotations: { 'incident-ops.acme.com/servicenow-cmdb-ci': 'abrc1l' },
  },
  spec: { type: 'kubernetes-cluster' },
};

/** The backend's preview of an NFS egress draft at P2. */
export const egressPreview: IncidentDraftPreview = {
  priority: 'P2',
  tier: 'L2',
  assignmentGroup: 'Atlas-L2-Platform',
  cadence: {
    kind: 'hourly',
    everyMinutes: 60,
    audience: ['requestor'],
    summary: 'An update every 60 minutes until resolved',
  },
  ticketType: { id: 'egress', label: 'Egress', rule: 'egress-keywords' },
  configurationItem: 'abrc1l:livelink-prod',
  articles: [
    {
      articleId: 'egress-nfs-mounts',
      title: 'NFS mounts from pods - egress to filers on TCP 2049 and 111',
      source: 'repository',
      rank: 1,
      score: 12.5,
      reasons: { matchedTerms: [{ term: 'nfs', fields: ['title', 'tags'] }] },
      explanation: 'Matches "nfs" in its title and tags; an egress article.',
    },
    {
      articleId: 'KB0010001',
      title: 'How to Request Egress Access for livelink-* Namespaces',
      source: 'servicenow',
      rank: 2,
      score: 7,
      reasons: { matchedTerms: [{ term: 'egress', fields: ['title'] }] },
      explanation: 'Matches "egress" in its title.',
    },
  ],
  playbook: { id: 'egress-access', title: 'Egress Access' },
};

export const queuedReport = (clientKey: string): IncidentReport => ({
  clientKey,
  provisionalNumber: 'IOPS0000001',
  status: 'queued',
  priority: 'P2',
  tier: 'L2',
  assignmentGroup: 'Atlas-L2-Platform',
  ticketType: 'egress',
  shortDescription: 'NFS mount to nas-prd-02 times out',
  entityRef: 'resource:default/livelink-prod',
  configurationItem: 'abrc1l:livelink-prod',
  attempts: 0,
  createdAt: '2026-12-07T04:00:00Z',
  updatedAt: '2026-12-07T04:00:00Z',
});
