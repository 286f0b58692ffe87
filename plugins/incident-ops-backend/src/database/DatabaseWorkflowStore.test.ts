import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createStores } from '.';
import { makeIncident } from '../__fixtures__/incidents';

jest.setTimeout(60_000);

describe('DatabaseWorkflowStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const at = (minutes: number) =>
    new Date(Date.parse('2026-11-25T12:00:00Z') + minutes * 60_000);

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const stores = await createStores({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await stores.incidents.upsertIncidents([
      makeIncident({
        number: 'INC1000',
        status: 'work-in-progress',
        tier: 'L1',
        sourceVersion: 7,
      }),
    ]);
    return { knex, ...stores };
  }

  it.each(databases.eachSupportedId())(
    'moves an incident in one transaction: event, write-back, notification and due time, %p',
    async databaseId => {
      const { knex, workflow, writeBacks, incidents } = await setup(databaseId);
      const { event, writeBackKey } = await workflow.transition({
        number: 'INC1000',
        to: 'awaiting-customer',
        note: 'Asked for the namespace name',
        actor: 'user:default/guest',
        now: at(0),
      });
      expect(event).toMatchObject({
        type: 'transition',
        from: 'work-in-progress',
        to: 'awaiting-customer',
        createdAt: at(0).toISOString(),
      });
      expect(writeBackKey).toBe(
        `transition:servicenow:${'a'.repeat(32)}:${event.id}`,
      );
      expect((await incidents.getIncidentByNumber('INC1000'))!.status).toBe(
        'awaiting-customer',
      );
      expect(await writeBacks.outboxDepth()).toEqual({ pending: 1 });
      const [state] = await knex('incident_escalation_state').where({
        source_id: 'a'.repeat(32),
      });
      // an open status is looked at again at once
      expect(new Date(state.due_at).getTime()).toBe(at(0).getTime());
      const notifications = await knex('incident_notifications').where({
        kind: 'event',
      });
      expect(
        notifications
          .filter(n => n.dedupe_key.startsWith('notify:transition:'))
          .map(n => n.event),
      ).toEqual(['status-change']);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a move the workflow does not allow, changing nothing, %p',
    async databaseId => {
      const { workflow, writeBacks } = await setup(databaseId);
      const move = (to: 'unassigned' | 'resolved', note?: string) =>
        workflow.transition({
          number: 'INC1000',
          to,
          note,
          actor: 'user:default/guest',
          now: at(0),
        });
      await expect(move('unassigned')).rejects.toThrow(ConflictError);
      await expect(move('resolved')).rejects.toThrow(InputError);
      await expect(
        workflow.transition({
          number: 'INC9999',
          to: 'resolved',
          note: 'x',
          actor: 'user:default/guest',
          now: at(0),
        }),
      ).rejects.toThrow(NotFoundError);
      expect(await workflow.listEvents('INC1000')).toEqual([]);
      expect(await writeBacks.outboxDepth()).toEqual({});
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps events in order and builds the timeline from events and decisions, %p',
    async databaseId => {
      const { workflow, escalations } = await setup(databaseId);
      await workflow.recordEvent({
        source: 'servicenow',
        sourceId: 'a'.repeat(32),
        number: 'INC1000',
        type: 'kb-exhausted',
        note: 'Every suggestion was marked not helpful',
        details: { articles: 3 },
        now: at(2),
      });
      await workflow.transition({
        number: 'INC1000',
        to: 'resolved',
        note: 'Quota raised',
        actor: 'user:default/guest',
        now: at(5),
      });
      const due = (await escalations.getDueIncident('INC1000'))!;
      await escalations.recordDecisions(
        [
          {
            incident: due,
            decision: {
              action: 'alert-management',
              rule: 'p1-alert',
              explanation: 'P1 opened: management alerted',
              clocks: { open: 60_000, paused: 0 },
              key: 'alert:p1',
            },
          },
        ],
        at(1),
      );
      const events = await workflow.listEvents('INC1000');
      expect(events.map(e => [e.type, e.actor, e.details])).toEqual([
        ['kb-exhausted', 'incident-ops', { articles: 3 }],
        ['transition', 'user:default/guest', undefined],
      ]);
      expect(await workflow.timeline('INC1000')).toEqual([
        {
          at: at(1).toISOString(),
          type: 'alert-management',
          summary: 'P1 opened: management alerted',
          details: { rule: 'p1-alert', clocks: { open: 60_000, paused: 0 } },
        },
        expect.objectContaining({
          at: at(2).toISOString(),
          type: 'kb-exhausted',
          summary: 'Every suggestion was marked not helpful',
        }),
        expect.objectContaining({
          at: at(5).toISOString(),
          type: 'transition',
          summary:
            'user:default/guest moved it from work-in-progress to resolved: Quota raised',
        }),
      ]);
    },
  );
});
