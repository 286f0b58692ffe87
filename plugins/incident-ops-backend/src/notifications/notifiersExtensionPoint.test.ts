import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_SERVICENOW_USER } from '@acme/plugin-incident-ops-common';
import {
  incidentOpsNotifiersExtensionPoint,
  type IncidentNotification,
  type IncidentNotifier,
} from '@acme/plugin-incident-ops-node';
import request from 'supertest';
import { makeIncident } from '../__fixtures__/incidents';
import {
  asSent,
  startIncidentOpsBackend,
  tiers,
} from '../__testUtils__/testBackend';
import { missingChannelsWarning } from './setup';
import { TASKS } from '../tasks';

jest.setTimeout(60_000);

/** A backend module that adds notifiers through the extension point. */
const notifierModule = (moduleId: string, ...notifiers: IncidentNotifier[]) =>
  createBackendModule({
    pluginId: 'incident-ops',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { extension: incidentOpsNotifiersExtensionPoint },
        async init({ extension }) {
          extension.addNotifier(...notifiers);
        },
      });
    },
  });

/** A pager service: pages users by entity ref, records what it was given. */
function pager(sent: IncidentNotification[]): IncidentNotifier {
  return {
    channel: 'pager',
    batch: true,
    address: r => (r.entityRef?.startsWith('user:') ? r.entityRef : undefined),
    send: async n => {
      sent.push(n);
    },
  };
}

const tom: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name: 'tom.becker',
    annotations: { [ANNOTATION_SERVICENOW_USER]: 'c1'.padEnd(32, '0') },
  },
  spec: { profile: { displayName: 'Tom Becker', email: 'tom@acme.com' } },
};

describe('the notifiers extension point', () => {
  it('delivers an event whose rule names a channel a module added, once, through the outbox', async () => {
    const sent: IncidentNotification[] = [];
    // tasks run when the test runs them, nothing else runs (the escalation engine included)
    const tasks = new Map<string, () => Promise<unknown>>();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, async () => task.fn(new AbortController().signal));
      },
      triggerTask: async () => {},
    });
    const logger = mockServices.logger.mock();
    const { server, connection } = await startIncidentOpsBackend({
      entities: [tom],
      config: {
        incidentOps: {
          tiers,
          notifications: {
            useDefaultRules: false,
            rules: [
              {
                id: 'page-requestor',
                on: 'status-change',
                roles: ['requestor'],
                channels: ['pager'],
              },
            ],
          },
        },
      },
      features: [
        notifierModule('pager', pager(sent)),
        scheduler.factory,
        logger.factory,
      ],
    });
    // every channel the rules name is there: no warning
    expect(logger.warn).not.toHaveBeenCalledWith(
      expect.stringContaining('not set up'),
    );

    const ticket = (version: number, status: 'work-in-progress' | 'resolved') =>
      makeIncident({
        id: '9'.repeat(32),
        number: 'INC9001',
        priority: 'P3',
        status,
        sourceState: status === 'resolved' ? '6' : '2',
        caller: { id: 'c1'.padEnd(32, '0'), name: 'T. Becker' },
        openedAt: new Date(Date.now() - 60_000).toISOString(),
        sourceUpdatedAt: new Date(Date.now() - 60_000 + version).toISOString(),
        sourceVersion: version,
        ...(status === 'resolved'
          ? { resolvedAt: new Date().toISOString() }
          : {}),
      });
    await connection.applyIncidents(asSent([ticket(1, 'work-in-progress')]));
    // resolved in ServiceNow; the same version synced again
    await connection.applyIncidents(asSent([ticket(2, 'resolved')]));
    await connection.applyIncidents(asSent([ticket(2, 'resolved')]));

    // the outbox task routes the event, then delivers; later runs find nothing to do
    await tasks.get(TASKS.notifications.id)!();
    await tasks.get(TASKS.notifications.id)!();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: ['user:default/tom.becker'],
      recipients: [
        { entityRef: 'user:default/tom.becker', name: 'Tom Becker' },
      ],
      message: { event: 'status-change', title: 'INC9001 is now Resolved' },
    });
    const communications = await request(server).get(
      '/api/incident-ops/incidents/INC9001/communications',
    );
    expect(
      communications.body.notifications.filter(
        (n: any) => n.kind === 'delivery',
      ),
    ).toEqual([
      expect.objectContaining({
        channel: 'pager',
        status: 'done',
        attempts: 1,
        key: expect.stringMatching(/>pager$/),
      }),
    ]);
  });

  it('refuses a channel registered twice, with a clear error', async () => {
    await expect(
      startIncidentOpsBackend({
        features: [
          notifierModule('pager-a', pager([])),
          notifierModule('pager-b', pager([])),
        ],
      }),
    ).rejects.toThrow(
      "Notifier channel 'pager' is already registered. Each channel can only be added once.",
    );
    // a built-in one too
    await expect(
      startIncidentOpsBackend({
        features: [
          notifierModule('own-backstage', {
            ...pager([]),
            channel: 'backstage',
          }),
        ],
      }),
    ).rejects.toThrow("Notifier channel 'backstage' is already registered");
  });

  it('warns once at start-up about channels the rules use that are not set up', async () => {
    const logger = mockServices.logger.mock();
    await startIncidentOpsBackend({
      config: {
        incidentOps: {
          tiers,
          notifications: {
            email: { host: 'smtp.example.com', from: 'ops@example.com' },
          },
        },
      },
      features: [logger.factory],
    });
    const warnings = logger.warn.mock.calls
      .map(([m]) => String(m))
      .filter(m => m.includes('not set up'));
    expect(warnings).toEqual([
      'Notification rules use channels that are not set up: slack (3 rules), sms (2 rules), teams (4 rules). ' +
        'Those rules reach people only through their other channels (Backstage notifications are on). ' +
        'Set up incidentOps.notifications.<channel> (email, slack, teams, sms) or add the channel with a backend module; see docs/notifications.md.',
    ]);
  });

  it('names the rules left with no channel at all', () => {
    expect(
      missingChannelsWarning(
        [
          {
            id: 'a',
            on: 'escalation',
            roles: ['team-lead'],
            channels: ['teams'],
          },
          {
            id: 'b',
            on: 'escalation',
            roles: ['team-lead'],
            channels: ['teams', 'backstage'],
          },
        ],
        new Set(['backstage']),
      ),
    ).toContain('teams (2 rules)');
    expect(
      missingChannelsWarning(
        [
          {
            id: 'a',
            on: 'escalation',
            roles: ['team-lead'],
            channels: ['teams'],
          },
        ],
        new Set(['backstage']),
      ),
    ).toContain('; these rules reach nobody: a.');
    expect(
      missingChannelsWarning(
        [{ id: 'a', on: 'escalation', roles: ['l1'], channels: ['backstage'] }],
        new Set(['backstage']),
      ),
    ).toBeUndefined();
  });
});
