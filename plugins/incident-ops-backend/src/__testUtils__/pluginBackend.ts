import { IncidentProvider } from '@acme/plugin-incident-ops-node';
import { Entity } from '@backstage/catalog-model';
import { makeIncident } from '../__fixtures__/incidents';
import { asSent, startIncidentOpsBackend, tiers } from './testBackend';

const CI = 'incident-ops.acme.com/servicenow-cmdb-ci';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'abrc1l', annotations: { [CI]: 'abrc1l' } },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/kube-admins' },
    relations: [
      { type: 'dependencyOf', targetRef: 'resource:default/livelink-prod' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'livelink-prod',
      annotations: { [CI]: 'abrc1l:livelink-prod' },
    },
    spec: { type: 'kubernetes-namespace', owner: 'group:default/kube-admins' },
    relations: [
      { type: 'dependsOn', targetRef: 'resource:default/abrc1l' },
      { type: 'dependencyOf', targetRef: 'component:default/livelink-api' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'livelink-api' },
    spec: { type: 'service', owner: 'group:default/team-leads' },
    relations: [
      { type: 'dependsOn', targetRef: 'resource:default/livelink-prod' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'docs-site' },
    spec: { type: 'website', owner: 'group:default/team-leads' },
  },
];

const incidents = [
  makeIncident({
    id: '1'.repeat(32),
    number: 'INC13070001',
    priority: 'P2',
    configurationItem: { id: 'ci1', name: 'abrc1l' },
    assignmentGroup: { id: 'g2', name: 'Atlas-L2-Platform' },
  }),
  makeIncident({
    id: '2'.repeat(32),
    number: 'INC13070002',
    priority: 'P1',
    shortDescription: 'DB connectivity failure from livelink-prod',
    category: 'network',
    subcategory: 'connectivity',
    configurationItem: { id: 'ci2', name: 'abrc1l:livelink-prod' },
    assignmentGroup: { id: 'g1', name: 'atlas-l1-support' },
  }),
  makeIncident({
    id: '3'.repeat(32),
    number: 'INC13070003',
    priority: 'P4',
    status: 'closed',
    sourceState: '7',
    configurationItem: { id: 'ci2', name: 'abrc1l:livelink-prod' },
    assignmentGroup: { id: 'g9', name: 'Service Desk' },
  }),
  makeIncident({
    id: '4'.repeat(32),
    number: 'INC13070004',
    configurationItem: { id: 'ci9', name: 'mecc' },
  }),
  // no CI of ours, but the text names the namespace
  makeIncident({
    id: '5'.repeat(32),
    number: 'INC13070005',
    priority: 'P3',
    shortDescription: 'Egress to NFS for Livelink-Prod pods',
    configurationItem: undefined,
  }),
  // on another cluster: a mention does not move it here
  makeIncident({
    id: '7'.repeat(32),
    number: 'INC13070007',
    priority: 'P3',
    shortDescription: 'Flux on rtg stuck like livelink-prod was',
    configurationItem: { id: 'ci9', name: 'rtg' },
  }),
  // filed on the cluster, naming the namespace: placed in the namespace
  makeIncident({
    id: '8'.repeat(32),
    number: 'INC13070008',
    priority: 'P4',
    shortDescription: 'Quota raise for livelink-prod',
    configurationItem: { id: 'ci1', name: 'abrc1l' },
  }),
  // a longer name that only contains it: not a mention
  makeIncident({
    id: '6'.repeat(32),
    number: 'INC13070006',
    priority: 'P3',
    shortDescription: 'quota for livelink-prod2',
    configurationItem: undefined,
  }),
];

/** Starts the backend for the plugin's API tests, with the catalog and tickets above. */
export async function startBackend(options?: {
  classification?: object;
  deny?: true;
  triggerSync?: () => Promise<void>;
  writeBack?: IncidentProvider['writeBack'];
}) {
  const { server, connection } = await startIncidentOpsBackend({
    entities,
    config: {
      incidentOps: {
        classification: options?.classification,
        tiers,
      },
    },
    deny: options?.deny,
    provider: {
      triggerSync: options?.triggerSync,
      writeBack: options?.writeBack,
    },
    // the API and its write-backs: the outbox runs when a write triggers it; the escalation
    // engine and the other tasks do not run here (they have their own tests)
    outboxOnDemand: true,
  });
  await connection.applyIncidents(asSent(incidents));
  return { server, connection };
}
