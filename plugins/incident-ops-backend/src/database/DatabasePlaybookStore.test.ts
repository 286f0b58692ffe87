import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { Playbook, PlaybookStep } from '@acme/plugin-incident-ops-common';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabasePlaybookStore } from './DatabasePlaybookStore';
import { makeIncident } from '../__fixtures__/incidents';
import { migratedDatabase } from '../__testUtils__/database';

jest.setTimeout(60_000);

const t0 = new Date('2026-11-26T10:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const step = (
  id: string,
  kind: PlaybookStep['kind'],
  extra: Partial<PlaybookStep> = {},
): PlaybookStep => ({
  id,
  kind,
  title: `Step ${id}`,
  checks: [],
  templates: [],
  optional: false,
  needs: [],
  ...extra,
});

/** collect (needs fqdn), review (optional), apply, verify (needs port). */
const playbook: Playbook = {
  id: 'egress-access',
  title: 'Egress access',
  summary: 'Open egress to a destination',
  fields: {
    fqdn: { label: 'Destination', pattern: '^[a-z0-9.-]+$' },
    port: { label: 'Port' },
  },
  steps: [
    step('collect', 'task', { needs: ['fqdn'] }),
    step('review', 'check', { optional: true }),
    step('apply', 'task'),
    step('verify', 'verification', { needs: ['port'] }),
  ],
};

describe('DatabasePlaybookStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const { knex, database } = await migratedDatabase(databases, databaseId);
    const incidents = await DatabaseIncidentStore.create({ database });
    await incidents.upsertIncidents([
      makeIncident({ number: 'INC1', ticketType: 'egress' }),
      makeIncident({ id: '2'.repeat(32), number: 'INC2', status: 'closed' }),
    ]);
    const store = await DatabasePlaybookStore.create({ database });
    /** The incident's timeline entries the store wrote. */
    const events = async (number = 'INC1') =>
      (
        await knex('incident_events')
          .where({ number })
          .where('type', 'like', 'playbook-%')
          .orderBy('id')
      ).map(e => ({
        type: e.type,
        actor: e.actor,
        note: e.note,
        details: JSON.parse(e.details),
      }));
    return { knex, store, events };
  }

  const start = (store: DatabasePlaybookStore, replace = false, minutes = 0) =>
    store.startRun({
      number: 'INC1',
      playbook,
      values: { fqdn: 'api.example.com' },
      replace,
      actor: 'user:default/ana',
      now: later(minutes),
    });

  const record = (
    store: DatabasePlaybookStore,
    stepId: string,
    status: Parameters<DatabasePlaybookStore['recordStep']>[0]['status'],
    extra: Partial<Parameters<DatabasePlaybookStore['recordStep']>[0]> = {},
  ) =>
    store.recordStep({
      number: 'INC1',
      stepId,
      status,
      values: {},
      extracted: () => ({}),
      actor: 'user:default/bo',
      now: t0,
      ...extra,
    });

  it.each(databases.eachSupportedId())(
    'starts one run at a time; replacing abandons the current one, %p',
    async databaseId => {
      const { knex, store, events } = await createStore(databaseId);
      expect(await store.currentRun('INC1')).toBeUndefined();
      const first = await start(store);
      expect(first).toEqual({
        id: expect.any(Number),
        number: 'INC1',
        playbook,
        ticketType: 'egress',
        status: 'active',
        values: { fqdn: 'api.example.com' },
        startedBy: 'user:default/ana',
        startedAt: t0.toISOString(),
        updatedAt: t0.toISOString(),
        completedAt: undefined,
      });
      expect(await store.currentRun('INC1')).toEqual(first);

      await expect(start(store, false, 5)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          'INC1 already has a active run of egress-access',
        ),
      });
      expect(await knex('playbook_runs')).toHaveLength(1);

      const second = await start(store, true, 10);
      expect(second.id).not.toBe(first.id);
      expect(await store.currentRun('INC1')).toEqual(second);
      const old = await knex('playbook_runs').where({ id: first.id }).first();
      expect(old.status).toBe('abandoned');
      expect(new Date(old.abandoned_at).toISOString()).toBe(
        later(10).toISOString(),
      );
      expect(await events()).toEqual([
        {
          type: 'playbook-started',
          actor: 'user:default/ana',
          note: 'user:default/ana started the Egress access playbook',
          details: {
            runId: first.id,
            playbookId: 'egress-access',
            values: { fqdn: 'api.example.com' },
          },
        },
        {
          type: 'playbook-abandoned',
          actor: 'user:default/ana',
          note: 'user:default/ana abandoned the Egress access playbook run',
          details: { runId: first.id, playbookId: 'egress-access' },
        },
        expect.objectContaining({
          type: 'playbook-started',
          details: expect.objectContaining({ runId: second.id }),
        }),
      ]);

      await expect(
        store.startRun({
          number: 'INC2',
          playbook,
          values: {},
          replace: true,
          actor: 'user:default/ana',
          now: t0,
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: 'INC2 is closed: reopen it before starting a playbook',
      });
      await expect(
        store.startRun({
          number: 'INC404',
          playbook,
          values: {},
          replace: false,
          actor: 'user:default/ana',
          now: t0,
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(await store.currentRun('INC2')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a step outcome it cannot take, writing nothing, %p',
    async databaseId => {
      const { knex, store, events } = await createStore(databaseId);
      await expect(record(store, 'collect', 'done')).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('INC1 has no playbook run'),
      });
      const run = await start(store);
      const refusals: Array<
        [Parameters<typeof record>[1], Parameters<typeof record>[2], object]
      > = [
        ['nope', 'done', { name: 'NotFoundError' }],
        [
          'collect',
          'verified',
          {
            name: 'InputError',
            message:
              'Step collect is a task step: its status is one of done, skipped, failed, not verified',
          },
        ],
        [
          'collect',
          'skipped',
          {
            name: 'InputError',
            message: 'A skipped step needs a note saying why',
          },
        ],
        [
          'apply',
          'done',
          {
            name: 'ConflictError',
            message:
              'Step apply cannot be recorded yet: first complete collect (pending)',
          },
        ],
      ];
      for (const [stepId, status, error] of refusals) {
        await expect(record(store, stepId, status)).rejects.toMatchObject(
          error,
        );
      }
      await expect(
        record(store, 'collect', 'done', {
          values: { fqdn: 'Not A Host', color: 'red' },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/values.fqdn.*; values.color/),
      });
      // a blank note is no note
      await expect(
        record(store, 'collect', 'failed', { note: '  ' }),
      ).rejects.toMatchObject({ name: 'InputError' });

      await record(store, 'collect', 'done');
      await record(store, 'apply', 'done');
      // verify needs a port: neither given nor read off the incident
      await expect(record(store, 'verify', 'verified')).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'Step verify needs a value for port before it is verified: give it in values',
      });
      // a failure needs no values
      await record(store, 'verify', 'failed', { note: 'Still blocked' });
      expect(Object.keys(await store.results(run.id))).toEqual([
        'collect',
        'apply',
        'verify',
      ]);
      expect(
        await knex('playbook_step_results').where({ run_id: run.id }),
      ).toHaveLength(3);
      expect((await events()).map(e => e.type)).toEqual([
        'playbook-started',
        'playbook-step',
        'playbook-step',
        'playbook-step',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'completes a run once every required step is done and verified, %p',
    async databaseId => {
      const { store, events } = await createStore(databaseId);
      const run = await start(store);
      // two outcomes at the same moment are still kept in order
      await record(store, 'collect', 'done', {
        values: { fqdn: 'db.example.com' },
      });
      await record(store, 'apply', 'done');
      const verified = await record(store, 'verify', 'verified', {
        extracted: () => ({ port: '443' }),
        now: later(5),
      });
      expect(verified).toMatchObject({
        status: 'completed',
        values: { fqdn: 'db.example.com' },
        updatedAt: later(5).toISOString(),
        completedAt: later(5).toISOString(),
      });
      const results = await store.results(run.id);
      expect(results).toEqual({
        collect: [
          {
            status: 'done',
            actor: 'user:default/bo',
            at: t0.toISOString(),
            values: { fqdn: 'db.example.com' },
          },
        ],
        apply: [
          {
            status: 'done',
            actor: 'user:default/bo',
            at: new Date(t0.getTime() + 1).toISOString(),
          },
        ],
        verify: [
          {
            status: 'verified',
            actor: 'user:default/bo',
            at: later(5).toISOString(),
          },
        ],
      });

      // apply fails after the verification: verify must be verified again
      const undone = await record(store, 'apply', 'failed', {
        note: 'Rolled back',
        now: later(10),
      });
      expect(undone.status).toBe('active');
      expect(undone.completedAt).toBeUndefined();
      expect((await events()).at(-1)).toEqual({
        type: 'playbook-step',
        actor: 'user:default/bo',
        note: 'user:default/bo marked Egress access step "Step apply" failed: Rolled back (verify to be verified again)',
        details: {
          runId: run.id,
          playbookId: 'egress-access',
          stepId: 'apply',
          status: 'failed',
          unverified: ['verify'],
        },
      });
      // redone: still not verified since the failure
      await record(store, 'apply', 'done', { now: later(11) });
      expect((await store.currentRun('INC1'))?.status).toBe('active');
      const again = await record(store, 'verify', 'verified', {
        values: { port: '8443' },
        now: later(12),
      });
      expect(again).toMatchObject({
        status: 'completed',
        values: { fqdn: 'db.example.com', port: '8443' },
        completedAt: later(12).toISOString(),
      });
      // a later optional check keeps the first completion time
      const checked = await record(store, 'review', 'done', { now: later(20) });
      expect(checked.completedAt).toBe(later(12).toISOString());
    },
  );

  it.each(databases.eachSupportedId())(
    'records a resolution without verification on the timeline, %p',
    async databaseId => {
      const { store, events } = await createStore(databaseId);
      const run = await start(store);
      await store.recordOverride({
        number: 'INC1',
        playbook,
        run,
        steps: ['verify'],
        reason: 'Customer confirmed',
        actor: 'user:default/bo',
        now: t0,
      });
      await store.recordOverride({
        number: 'INC1',
        playbook,
        steps: ['verify'],
        reason: 'Urgent',
        actor: 'user:default/bo',
        now: t0,
      });
      const overrides = (await events()).filter(
        e => e.type === 'playbook-override',
      );
      expect(overrides).toEqual([
        {
          type: 'playbook-override',
          actor: 'user:default/bo',
          note: 'user:default/bo resolved it with Egress access step(s) verify not verified: Customer confirmed',
          details: {
            runId: run.id,
            playbookId: 'egress-access',
            unverified: ['verify'],
            reason: 'Customer confirmed',
          },
        },
        {
          type: 'playbook-override',
          actor: 'user:default/bo',
          note: 'user:default/bo resolved it without running the Egress access playbook (step(s) verify not verified): Urgent',
          details: {
            notRun: true,
            playbookId: 'egress-access',
            unverified: ['verify'],
            reason: 'Urgent',
          },
        },
      ]);
      await expect(
        store.recordOverride({
          number: 'INC404',
          playbook,
          steps: [],
          reason: 'x',
          actor: 'user:default/bo',
          now: t0,
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    },
  );
});
