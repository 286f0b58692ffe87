import { TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { playbookBackend } from './__testUtils__/playbooks';

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

describe('playbook runs API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const startBackend = playbookBackend(databases);

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
});
