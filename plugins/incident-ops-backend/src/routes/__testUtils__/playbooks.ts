import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { makeIncident } from '../../__fixtures__/incidents';
import {
  asSent,
  startIncidentOpsBackend,
} from '../../__testUtils__/testBackend';
import { shippedCatalog } from '../../contacts/__fixtures__/catalog';

// an egress ticket on livelink-prod that does not say which pods need it
const partnerEgress = (id: string, number: string, forWhom: string) =>
  makeIncident({
    id: id.repeat(32),
    number,
    priority: 'P3',
    shortDescription: `Egress from livelink-prod to api.partner-bank.com:443${forWhom}`,
    description:
      'Outbound HTTPS to api.partner-bank.com (203.0.113.10), port 443. Change CHG0041200 approved.',
    category: 'network',
    subcategory: 'egress',
    configurationItem: { id: 'ci1', name: 'abrc1l:livelink-prod' },
    caller: { id: 'u9', name: 'Jonas Weber' },
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
  });

const incidents = [
  makeIncident({
    id: '1'.repeat(32),
    number: 'INC13076959',
    priority: 'P3',
    shortDescription: 'Add egress NFS access for livelink-prod',
    description:
      'Need egress from namespace livelink-prod to NFS filer nas-prd-03.acme.internal (10.20.4.31) TCP/UDP 2049 and 111 (portmapper) for the document-archive pods.\nChange CHG0041123 approved for Thu.',
    category: 'network',
    subcategory: 'egress',
    configurationItem: { id: 'ci1', name: 'abrc1l:livelink-prod' },
    caller: { id: 'u9', name: 'Jonas Weber' },
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
  }),
  makeIncident({
    id: '2'.repeat(32),
    number: 'INC13076961',
    priority: 'P3',
    shortDescription:
      'GitLab CI runner access: artifactory.acme.internal:443 from gitlab-runners',
    description:
      'dial tcp 10.42.17.8:443: i/o timeout (artifactory.acme.internal)\nJob: https://gitlab.acme.com/livelink/portal-api/-/jobs/884213',
    category: 'software',
    subcategory: 'gitlab',
    configurationItem: { id: 'ci2', name: 'abrc1l:gitlab-runners' },
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
  }),
  makeIncident({
    id: '3'.repeat(32),
    number: 'INC13076956',
    priority: 'P2',
    shortDescription: 'DB connectivity failure from livelink-prod',
    category: 'network',
    subcategory: 'connectivity',
    configurationItem: { id: 'ci1', name: 'abrc1l:livelink-prod' },
  }),
  makeIncident({
    id: '4'.repeat(32),
    number: 'INC13076946',
    priority: 'P3',
    shortDescription:
      'Node provisioning: monitoring node pool on rtg at 95% memory',
    description: 'Nodes in pool np-monitoring on rtg at 93-96% memory.',
    category: 'hardware',
    subcategory: 'node',
    configurationItem: { id: 'ci4', name: 'rtg' },
  }),
  makeIncident({
    id: '5'.repeat(32),
    number: 'INC13076932',
    priority: 'P3',
    status: 'closed',
    sourceState: '7',
    shortDescription: 'Add egress NFS access for livelink-uat',
    configurationItem: { id: 'ci5', name: 'abrc1l:livelink-uat' },
  }),
  partnerEgress('7', 'INC13076970', ''),
  partnerEgress('8', 'INC13076971', ' for livelink-api'),
];

/** Starts the backend for the playbook API's tests, with the tickets above. */
export function playbookBackend(databases: TestDatabases) {
  return async function startBackend(
    databaseId: TestDatabaseId,
    options?: { deny?: string[]; entities?: Entity[] },
  ) {
    const knex = await databases.init(databaseId);
    const { server, connection } = await startIncidentOpsBackend({
      knex,
      // the shipped catalog: abrc1l's egress range; livelink-prod runs two services
      entities: options?.entities ?? shippedCatalog(),
      deny: options?.deny,
      provider: { writeBack: async () => ({ outcome: 'written' }) },
      // the playbook API: write-backs go out when a write triggers them; the escalation engine
      // does not run here (its own tests cover it), so it cannot move these tickets meanwhile
      outboxOnDemand: true,
    });
    await connection.applyIncidents(asSent(incidents));
    const api = (path: string) => `/api/incident-ops${path}`;
    return {
      server,
      knex,
      get: (path: string) => request(server).get(api(path)),
      post: (path: string, body?: object) =>
        request(server)
          .post(api(path))
          .send(body ?? {}),
    };
  };
}
