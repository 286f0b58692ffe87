import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { makeIncident } from '../__fixtures__/incidents';
import { asSent, startIncidentOpsBackend } from '../__testUtils__/testBackend';
import { shippedCatalog } from '../contacts/__fixtures__/catalog';

jest.setTimeout(60_000);

const CI = 'incident-ops.acme.com/servicenow-cmdb-ci';

const cluster = (name: string, egressCidr?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    annotations: {
      [CI]: name,
      ...(egressCidr
        ? { 'incident-ops.acme.com/egress-cidr': egressCidr }
        : {}),
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/kube-admins' },
});

const service = (
  name: string,
  namespace: string,
  appLabel?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    ...(appLabel
      ? { annotations: { 'incident-ops.acme.com/app-label': appLabel } }
      : {}),
  },
  spec: { type: 'service', owner: 'group:default/atlas-l2-platform' },
  relations: [
    { type: 'dependsOn', targetRef: `resource:default/${namespace}` },
  ],
});

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

describe('playbook runs API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function startBackend(
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
  }

  it.each(databases.eachSupportedId())(
    'serves the playbook of the ticket type, filled from the incident, before any run, %p',
    async databaseId => {
      const { get } = await startBackend(databaseId);
      const res = await get('/incidents/INC13076959/playbook');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        number: 'INC13076959',
        ticketType: 'egress',
        mappedPlaybookId: 'egress-access',
        playbook: { id: 'egress-access', title: 'Egress Access' },
        // not run: its verification is still to do
        unverified: ['test-verification'],
      });
      expect(res.body.run).toBeUndefined();
      const value = (name: string) =>
        res.body.fields.find((f: any) => f.name === name);
      expect(value('cluster')).toMatchObject({
        value: 'abrc1l',
        source: 'incident',
      });
      expect(value('namespace').value).toBe('livelink-prod');
      expect(value('fqdn').value).toBe('nas-prd-03.acme.internal');
      expect(value('port').value).toBe('2049');
      expect(value('destinationCidr').value).toBe('10.20.4.31/32');
      expect(value('changeRef').value).toBe('CHG0041123');
      expect(value('protocol')).toMatchObject({
        value: 'TCP',
        source: 'default',
      });
      // the ticket names its pods' app; the cluster's egress range is in the catalog
      expect(value('appLabel')).toMatchObject({
        value: 'document-archive',
        source: 'incident',
      });
      expect(value('egressCidr')).toMatchObject({
        value: '10.42.0.0/16',
        source: 'incident',
      });
      // only the rule id, given when the rule exists, is left
      expect(res.body.missing).toEqual(['firewallRuleId']);
      const [firewallRule, networkPolicy] = res.body.steps[1].templates;
      expect(firewallRule.missing).toEqual([]);
      expect(firewallRule.text).not.toContain('{{');
      expect(firewallRule.text).toContain(
        'Source:        10.42.0.0/16 (Tanzu Atlas cluster abrc1l, namespace livelink-prod, pods app=document-archive)',
      );
      expect(networkPolicy.text).not.toContain('{{');
      expect(
        res.body.steps.map((s: any) => [s.id, s.kind, s.status, s.blockedBy]),
      ).toEqual([
        ['validate-namespace', 'check', 'pending', []],
        ['firewall-rule', 'task', 'pending', ['validate-namespace']],
        [
          'test-verification',
          'verification',
          'pending',
          ['validate-namespace', 'firewall-rule'],
        ],
      ]);
      expect(res.body.steps[0].checks[0]).toBe(
        '`kubectl --context abrc1l get namespace livelink-prod --show-labels` finds the namespace',
      );
      expect(res.body.available).toHaveLength(5);

      // a bare CI that the catalog knows as a cluster gives the cluster
      const node = await get('/incidents/INC13076946/playbook');
      expect(node.body.playbook.id).toBe('node-provisioning');
      expect(
        node.body.fields
          .filter((f: any) => ['cluster', 'nodePool'].includes(f.name))
          .map((f: any) => f.value),
      ).toEqual(['rtg', 'np-monitoring']);

      // a ticket type without a playbook: none, and the list to pick from
      const none = await get('/incidents/INC13076956/playbook');
      expect(none.status).toBe(200);
      expect(none.body).toMatchObject({
        ticketType: 'connectivity',
        steps: [],
        missing: [],
      });
      expect(none.body.playbook).toBeUndefined();
      expect(none.body.available.map((a: any) => a.id)).toContain(
        'egress-access',
      );

      expect((await get('/incidents/INC999/playbook')).status).toBe(404);
      expect((await get('/incidents/not-a-number/playbook')).status).toBe(400);
      const list = await get('/playbooks');
      expect(list.body.mapping).toEqual({
        egress: 'egress-access',
        'gitlab-ci-access': 'gitlab-ci-access',
        'node-provisioning': 'node-provisioning',
        'namespace-access': 'namespace-access',
        gitops: 'fluxcd-gitops',
      });
      const egress = (await get('/playbooks/egress-access')).body;
      expect(egress.steps).toHaveLength(3);
      expect(egress.ticketTypes).toEqual(['egress']);
      expect((await get('/playbooks/nope')).status).toBe(404);
    },
  );

  it.each(databases.eachSupportedId())(
    'runs a playbook step by step, in order, and blocks resolving until verified, %p',
    async databaseId => {
      const { get, post } = await startBackend(databaseId);
      const step = (id: string, body: object) =>
        post(`/incidents/INC13076959/playbook/steps/${id}`, body);

      // a value the engineer gives overrides the ticket's and the catalog's
      const started = await post('/incidents/INC13076959/playbook', {
        values: { appLabel: 'archive-worker', egressCidr: '10.42.128.0/17' },
      });
      expect(started.status).toBe(201);
      expect(started.body.run).toMatchObject({
        status: 'active',
        startedBy: 'user:default/mock',
      });
      expect(started.body.missing).toEqual(['firewallRuleId']);
      const rule = started.body.steps[1].templates[0];
      expect(rule.missing).toEqual([]);
      expect(rule.text).toContain(
        'Source:        10.42.128.0/17 (Tanzu Atlas cluster abrc1l, namespace livelink-prod, pods app=archive-worker)',
      );
      expect(
        started.body.fields.find((f: any) => f.name === 'egressCidr'),
      ).toMatchObject({ value: '10.42.128.0/17', source: 'engineer' });

      // a second start is a conflict
      const again = await post('/incidents/INC13076959/playbook');
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(
        /already has a active run of egress-access .*set replace/,
      );

      // out of order: 409 naming what comes first, nothing recorded
      const early = await step('firewall-rule', { status: 'done' });
      expect(early.status).toBe(409);
      expect(early.body.error.message).toBe(
        'Step firewall-rule cannot be recorded yet: first complete validate-namespace (pending)',
      );
      const early2 = await step('test-verification', { status: 'verified' });
      expect(early2.status).toBe(409);
      expect(early2.body.error.message).toMatch(
        /first complete validate-namespace \(pending\), firewall-rule \(pending\)$/,
      );

      const checked = await step('validate-namespace', {
        status: 'done',
        note: 'ns exists, owner approved',
      });
      expect(checked.status).toBe(201);
      expect(checked.body.steps[0]).toMatchObject({
        status: 'done',
        actor: 'user:default/mock',
        note: 'ns exists, owner approved',
      });

      // a needed value missing: 409 naming it
      const noRule = await step('firewall-rule', { status: 'done' });
      expect(noRule.status).toBe(409);
      expect(noRule.body.error.message).toBe(
        'Step firewall-rule needs a value for firewallRuleId before it is done: give it in values',
      );
      const done = await step('firewall-rule', {
        status: 'done',
        values: { firewallRuleId: 'FW-22817' },
      });
      expect(done.status).toBe(201);
      expect(done.body.missing).toEqual([]);
      expect(done.body.steps[2].instructions).toContain(
        'Once the firewall rule FW-22817 is active',
      );
      expect(done.body.steps[2].templates[0].text).toContain(
        'kubectl --context abrc1l -n livelink-prod run egress-test-inc13076959',
      );

      // the verification fails first
      const failed = await step('test-verification', {
        status: 'failed',
        note: 'nc times out: firewall rule not active yet',
      });
      expect(failed.status).toBe(201);
      expect(failed.body.unverified).toEqual(['test-verification']);

      // resolving is blocked by the unverified step
      const resolve = (body: object) =>
        post('/incidents/INC13076959/transitions', {
          to: 'resolved',
          note: 'NFS egress opened',
          ...body,
        });
      const blocked = await resolve({});
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toBe(
        'INC13076959 cannot be resolved: Egress Access step(s) test-verification (failed) not verified. Verify them, or give an overrideReason to resolve anyway',
      );
      expect((await get('/incidents/INC13076959')).body.status).toBe(
        'work-in-progress',
      );

      const verified = await step('test-verification', {
        status: 'verified',
        note: 'nc succeeded from the test pod',
      });
      expect(verified.status).toBe(201);
      expect(verified.body.unverified).toEqual([]);
      expect(verified.body.run.status).toBe('completed');
      expect(verified.body.steps[2].history.map((h: any) => h.status)).toEqual([
        'failed',
        'verified',
      ]);

      expect((await resolve({})).status).toBe(201);
      // (the write-back, delivered by the outbox meanwhile, is left out)
      const events = (
        await get('/incidents/INC13076959/events')
      ).body.items.filter((e: any) => e.type !== 'write-back');
      expect(events.map((e: any) => [e.type, e.details?.stepId])).toEqual([
        ['playbook-started', undefined],
        ['playbook-step', 'validate-namespace'],
        ['playbook-step', 'firewall-rule'],
        ['playbook-step', 'test-verification'],
        ['playbook-step', 'test-verification'],
        ['transition', undefined],
      ]);
      expect(events[2]).toMatchObject({
        actor: 'user:default/mock',
        note: 'user:default/mock marked Egress Access step "Fill the firewall rule and the NetworkPolicy" done',
        details: { status: 'done', values: { firewallRuleId: 'FW-22817' } },
      });
      // and they are in the incident's timeline
      const timeline = (await get('/incidents/INC13076959')).body.timeline
        .events;
      expect(timeline.map((e: any) => e.type)).toContain('playbook-step');
    },
  );

  it.each(databases.eachSupportedId())(
    'resolves with an unverified step only with an override reason, which is recorded, %p',
    async databaseId => {
      const { get, post } = await startBackend(databaseId);
      const started = await post('/incidents/INC13076961/playbook', {
        values: { runnerTag: 'll-web' },
      });
      expect(started.status).toBe(201);
      expect(started.body.playbook.id).toBe('gitlab-ci-access');
      expect(
        started.body.fields.find((f: any) => f.name === 'gitlabProject'),
      ).toMatchObject({ value: 'livelink/portal-api', source: 'incident' });

      const res = await post('/incidents/INC13076961/transitions', {
        to: 'resolved',
        note: 'Requester switched to https',
        overrideReason: 'Request withdrawn: CI_JOB_TOKEN over https works',
      });
      expect(res.status).toBe(201);
      const events = (
        await get('/incidents/INC13076961/events')
      ).body.items.filter((e: any) => e.type !== 'write-back');
      expect(events.map((e: any) => e.type)).toEqual([
        'playbook-started',
        'transition',
        'playbook-override',
      ]);
      expect(events[2]).toMatchObject({
        actor: 'user:default/mock',
        note: 'user:default/mock resolved it with GitLab CI Access step(s) verification-job not verified: Request withdrawn: CI_JOB_TOKEN over https works',
        details: {
          unverified: ['verification-job'],
          reason: 'Request withdrawn: CI_JOB_TOKEN over https works',
        },
      });
      // a ticket whose type has no playbook resolves without a run
      expect(
        (
          await post('/incidents/INC13076956/transitions', {
            to: 'resolved',
            note: 'fixed',
          })
        ).status,
      ).toBe(201);
    },
  );

  it.each(databases.eachSupportedId())(
    'blocks resolving a ticket whose playbook was never run, unless overridden, %p',
    async databaseId => {
      const { get, post } = await startBackend(databaseId);
      const resolve = (body: object) =>
        post('/incidents/INC13076959/transitions', {
          to: 'resolved',
          note: 'NFS egress opened',
          ...body,
        });
      const blocked = await resolve({});
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toBe(
        'INC13076959 cannot be resolved: its ticket type egress runs the Egress Access playbook, which was not run (verification step(s) test-verification not verified). Run it and verify, or give an overrideReason to resolve anyway',
      );
      expect((await resolve({ overrideReason: '  ' })).status).toBe(409);
      expect((await get('/incidents/INC13076959')).body.status).toBe(
        'work-in-progress',
      );

      // once run, the run's playbook decides: here another one, replacing the first
      expect((await post('/incidents/INC13076959/playbook')).status).toBe(201);
      expect(
        (
          await post('/incidents/INC13076959/playbook', {
            playbookId: 'namespace-access',
            replace: true,
          })
        ).status,
      ).toBe(201);
      expect((await resolve({})).status).toBe(409);

      const overridden = await resolve({
        overrideReason: 'Opened by the network team under CHG0041123 directly',
      });
      expect(overridden.status).toBe(201);
      const events = (
        await get('/incidents/INC13076959/events')
      ).body.items.filter((e: any) => e.type !== 'write-back');
      expect(events[events.length - 1]).toMatchObject({
        type: 'playbook-override',
        note: 'user:default/mock resolved it with Namespace Access step(s) verify-access not verified: Opened by the network team under CHG0041123 directly',
      });

      // no run at all: the override says so
      const none = await post('/incidents/INC13076946/transitions', {
        to: 'resolved',
        note: 'Pool resized',
        overrideReason: 'Resized by the vendor during the call',
      });
      expect(none.status).toBe(201);
      const nodeEvents = (
        await get('/incidents/INC13076946/events')
      ).body.items.filter((e: any) => e.type !== 'write-back');
      expect(nodeEvents.map((e: any) => e.type)).toEqual([
        'transition',
        'playbook-override',
      ]);
      expect(nodeEvents[1]).toMatchObject({
        note: 'user:default/mock resolved it without running the Node Provisioning playbook (step(s) cluster-validation not verified): Resized by the vendor during the call',
        details: {
          notRun: true,
          playbookId: 'node-provisioning',
          unverified: ['cluster-validation'],
        },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'undoes a verification when a step before it fails afterwards, until verified again, %p',
    async databaseId => {
      const { get, post } = await startBackend(databaseId);
      const step = (id: string, body: object) =>
        post(`/incidents/INC13076959/playbook/steps/${id}`, body);
      expect((await post('/incidents/INC13076959/playbook')).status).toBe(201);
      await step('validate-namespace', { status: 'done' });
      await step('firewall-rule', {
        status: 'done',
        values: { firewallRuleId: 'FW-22817' },
      });
      const verified = await step('test-verification', { status: 'verified' });
      expect(verified.body.run.status).toBe('completed');
      expect(verified.body.unverified).toEqual([]);

      // the rule was rolled back: the verification no longer holds
      const failed = await step('firewall-rule', {
        status: 'failed',
        note: 'FW-22817 rolled back by the network team',
      });
      expect(failed.status).toBe(201);
      expect(failed.body.unverified).toEqual(['test-verification']);
      expect(failed.body.run.status).toBe('active');
      const resolve = () =>
        post('/incidents/INC13076959/transitions', {
          to: 'resolved',
          note: 'NFS egress opened',
        });
      const blocked = await resolve();
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toBe(
        'INC13076959 cannot be resolved: Egress Access step(s) test-verification (verified before a step it proves failed) not verified. Verify them, or give an overrideReason to resolve anyway',
      );

      // redoing the rule does not bring the old proof back: verify again
      const redone = await step('firewall-rule', {
        status: 'done',
        values: { firewallRuleId: 'FW-22901' },
      });
      expect(redone.body.unverified).toEqual(['test-verification']);
      expect(redone.body.run.status).toBe('active');
      expect((await resolve()).status).toBe(409);
      const again = await step('test-verification', { status: 'verified' });
      expect(again.body.unverified).toEqual([]);
      expect(again.body.run.status).toBe('completed');
      expect((await resolve()).status).toBe(201);

      const events = (
        await get('/incidents/INC13076959/events')
      ).body.items.filter((e: any) => e.type === 'playbook-step');
      expect(events[3]).toMatchObject({
        note: 'user:default/mock marked Egress Access step "Fill the firewall rule and the NetworkPolicy" failed: FW-22817 rolled back by the network team (test-verification to be verified again)',
        details: { stepId: 'firewall-rule', unverified: ['test-verification'] },
      });
      // outcomes in order, even within one millisecond
      const steps = (await get('/incidents/INC13076959/playbook')).body.steps;
      const at = steps.flatMap((s: any) => s.history.map((h: any) => h.at));
      expect(new Set(at).size).toBe(at.length);
    },
  );

  it.each(databases.eachSupportedId())(
    "fills the pods' app label from the catalog when the ticket does not name it, %p",
    async databaseId => {
      const field = (body: any, name: string) =>
        body.fields.find((f: any) => f.name === name);
      // livelink-prod runs two services: the ticket must say which, else it is missing
      const shipped = await startBackend(databaseId);
      const unnamed = (await shipped.get('/incidents/INC13076970/playbook'))
        .body;
      expect(field(unnamed, 'appLabel').value).toBeUndefined();
      expect(unnamed.missing).toEqual(['appLabel', 'firewallRuleId']);
      expect(unnamed.steps[1].templates[0].missing).toEqual(['appLabel']);
      expect(unnamed.steps[1].templates[0].text).toContain(
        'pods app={{appLabel}})',
      );
      const named = (await shipped.get('/incidents/INC13076971/playbook')).body;
      expect(field(named, 'appLabel')).toMatchObject({
        value: 'livelink-api',
        source: 'incident',
      });
      expect(named.missing).toEqual(['firewallRuleId']);

      // a namespace with a single service: its app label, ready to paste
      const single = await startBackend(databaseId, {
        entities: [
          cluster('abrc1l', '10.42.0.0/16'),
          service('livelink-api', 'livelink-prod', 'livelink-api-server'),
          service('livelink-api-uat', 'livelink-uat'),
        ],
      });
      const view = (await single.get('/incidents/INC13076970/playbook')).body;
      expect(field(view, 'appLabel')).toMatchObject({
        value: 'livelink-api-server',
        source: 'incident',
      });
      expect(view.missing).toEqual(['firewallRuleId']);
      const rule = view.steps[1].templates[0];
      expect(rule.missing).toEqual([]);
      expect(rule.text).toBe(
        `Rule name:     k8s-abrc1l-livelink-prod-api-partner-bank-com-443
Source:        10.42.0.0/16 (Tanzu Atlas cluster abrc1l, namespace livelink-prod, pods app=livelink-api-server)
Destination:   api.partner-bank.com (203.0.113.10/32)
Service:       TCP/443
Action:        allow
Ticket:        INC13076970 (requested by Jonas Weber)
Change:        CHG0041200
`,
      );
      // a cluster without an egress range in the catalog: the engineer gives it
      const bare = await startBackend(databaseId, {
        entities: [cluster('abrc1l')],
      });
      const noRange = (await bare.get('/incidents/INC13076970/playbook')).body;
      expect(noRange.missing).toEqual([
        'appLabel',
        'egressCidr',
        'firewallRuleId',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'answers 400, 404 and 409 for bad requests, changing nothing, %p',
    async databaseId => {
      const { get, post, knex } = await startBackend(databaseId);
      const url = '/incidents/INC13076959/playbook';

      // no run yet: recording a step is a conflict
      const noRun = await post(`${url}/steps/validate-namespace`, {
        status: 'done',
      });
      expect(noRun.status).toBe(409);
      expect(noRun.body.error.message).toMatch(/has no playbook run/);

      expect((await post(url, { playbookId: 'nope' })).status).toBe(400);
      const badValue = await post(url, { values: { port: 'https' } });
      expect(badValue.status).toBe(400);
      expect(badValue.body.error.message).toMatch(
        /^values.port: 'https' does not match/,
      );
      const unknownField = await post(url, { values: { colour: 'red' } });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error.message).toMatch(
        /^values.colour: not a field of playbook egress-access/,
      );
      expect((await post(url, { replace: 'yes' })).status).toBe(400);
      expect((await post('/incidents/INC999/playbook')).status).toBe(404);
      const closed = await post('/incidents/INC13076932/playbook');
      expect(closed.status).toBe(409);
      expect(closed.body.error.message).toMatch(/is closed/);
      const unmapped = await post('/incidents/INC13076956/playbook');
      expect(unmapped.status).toBe(400);
      expect(unmapped.body.error.message).toBe(
        'INC13076956 is of ticket type connectivity, which has no playbook: name one in playbookId',
      );
      expect(await knex('playbook_runs').count({ n: '*' })).toEqual([
        { n: databaseId === 'SQLITE_3' ? 0 : '0' },
      ]);

      expect((await post(url)).status).toBe(201);
      const stepUrl = `${url}/steps`;
      const unknownStep = await post(`${stepUrl}/deploy`, { status: 'done' });
      expect(unknownStep.status).toBe(404);
      expect(unknownStep.body.error.message).toBe(
        "Playbook egress-access has no step 'deploy' (steps: validate-namespace, firewall-rule, test-verification)",
      );
      expect(
        (await post(`${stepUrl}/validate-namespace`, { status: 'finished' }))
          .status,
      ).toBe(400);
      expect(
        (await post(`${stepUrl}/validate-namespace`, { note: 'x' })).status,
      ).toBe(400);
      const verifiedCheck = await post(`${stepUrl}/validate-namespace`, {
        status: 'verified',
      });
      expect(verifiedCheck.status).toBe(400);
      expect(verifiedCheck.body.error.message).toBe(
        'Step validate-namespace is a check step: its status is one of done, skipped, failed, not verified',
      );
      const skipNoNote = await post(`${stepUrl}/validate-namespace`, {
        status: 'skipped',
      });
      expect(skipNoNote.status).toBe(400);
      expect(skipNoNote.body.error.message).toBe(
        'A skipped step needs a note saying why',
      );
      const badStepValue = await post(`${stepUrl}/validate-namespace`, {
        status: 'done',
        values: { firewallRuleId: '22817' },
      });
      expect(badStepValue.status).toBe(400);
      expect(
        (await post('/incidents/INC999/playbook/steps/x', { status: 'done' }))
          .status,
      ).toBe(404);

      const view = await get(url);
      expect(view.body.steps.map((s: any) => s.status)).toEqual([
        'pending',
        'pending',
        'pending',
      ]);
      expect(view.body.steps[0].history).toEqual([]);
      expect(
        (await get('/incidents/INC13076959/events')).body.items.map(
          (e: any) => e.type,
        ),
      ).toEqual(['playbook-started']);

      // replace abandons the run and starts again, with another playbook
      const replaced = await post(url, {
        playbookId: 'namespace-access',
        replace: true,
      });
      expect(replaced.status).toBe(201);
      expect(replaced.body.playbook.id).toBe('namespace-access');
      expect(await knex('playbook_runs').orderBy('id').pluck('status')).toEqual(
        ['abandoned', 'active'],
      );
      expect(
        (await get('/incidents/INC13076959/events')).body.items.map(
          (e: any) => e.type,
        ),
      ).toEqual(['playbook-started', 'playbook-abandoned', 'playbook-started']);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses to run playbooks without the permission, %p',
    async databaseId => {
      const { get, post, knex } = await startBackend(databaseId, {
        deny: ['incident-ops.playbook.run'],
      });
      expect((await get('/incidents/INC13076959/playbook')).status).toBe(200);
      const start = await post('/incidents/INC13076959/playbook');
      expect(start.status).toBe(403);
      expect(start.body.error.name).toBe('NotAllowedError');
      const step = await post(
        '/incidents/INC13076959/playbook/steps/validate-namespace',
        { status: 'done' },
      );
      expect(step.status).toBe(403);
      expect(await knex('playbook_runs').pluck('id')).toEqual([]);
      expect(await knex('incident_events').pluck('id')).toEqual([]);
    },
  );
});
