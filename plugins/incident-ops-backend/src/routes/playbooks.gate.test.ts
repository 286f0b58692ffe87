import { TestDatabases } from '@backstage/backend-test-utils';
import { playbookBackend } from './__testUtils__/playbooks';

jest.setTimeout(60_000);

describe('playbook runs API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const startBackend = playbookBackend(databases);

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
