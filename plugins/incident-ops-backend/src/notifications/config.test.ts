import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_COMMUNICATION_POLICY,
  DEFAULT_NOTIFICATION_RULES,
} from '@acme/plugin-incident-ops-common';
import {
  readCommunicationPolicy,
  readNotificationRules,
  readVendors,
} from './config';

const config = (incidentOps: object) => new ConfigReader({ incidentOps });

describe('notification config', () => {
  it('defaults to the operational model', () => {
    expect(readNotificationRules(config({}))).toEqual(
      DEFAULT_NOTIFICATION_RULES,
    );
    expect(readCommunicationPolicy(config({}))).toEqual(
      DEFAULT_COMMUNICATION_POLICY,
    );
    expect(readVendors(config({})).tanzu.responseSla.P1).toBe(30 * 60_000);
  });

  it('reads rules over the defaults and cadence durations', () => {
    const rules = readNotificationRules(
      config({
        notifications: {
          rules: [
            {
              id: 'l3-engaged',
              on: 'escalation',
              toTiers: ['L3'],
              roles: ['evangelist'],
              channels: ['teams'],
            },
          ],
        },
      }),
    );
    expect(rules).toHaveLength(DEFAULT_NOTIFICATION_RULES.length);
    expect(rules.find(r => r.id === 'l3-engaged')).toEqual({
      id: 'l3-engaged',
      on: 'escalation',
      toTiers: ['L3'],
      roles: ['evangelist'],
      channels: ['teams'],
    });
    const policy = readCommunicationPolicy(
      config({
        communication: {
          hourlyUpdates: { priorities: ['P1', 'P2'], every: { minutes: 30 } },
          dailySummary: { at: '07:30' },
        },
      }),
    );
    expect(policy.hourlyUpdates).toEqual({
      priorities: ['P1', 'P2'],
      every: 30 * 60_000,
    });
    expect(policy.dailySummary.at).toBe('07:30');
    const vendors = readVendors(
      config({ vendors: { aws: { responseSla: { P2: 'PT30M' } } } }),
    );
    expect(vendors.aws.responseSla).toMatchObject({
      P1: 15 * 60_000,
      P2: 30 * 60_000,
    });
  });

  it('refuses bad values, naming the key', () => {
    expect(() =>
      readNotificationRules(
        config({
          notifications: {
            rules: [
              {
                id: 'x',
                on: 'coffee',
                roles: ['team-lead'],
                channels: ['email'],
              },
            ],
          },
        }),
      ),
    ).toThrow(
      "Invalid config at incidentOps.notifications.rules[0].on: 'coffee' is not one of",
    );
    expect(() =>
      readNotificationRules(
        config({
          notifications: {
            rules: [
              {
                id: 'x',
                on: 'escalation',
                roles: ['boss'],
                channels: ['email'],
              },
            ],
          },
        }),
      ),
    ).toThrow(/rules\[0\]\.roles: 'boss'/);
    expect(() =>
      readCommunicationPolicy(
        config({ communication: { dailySummary: { at: '25:00' } } }),
      ),
    ).toThrow('Invalid config at incidentOps.communication.dailySummary.at');
    expect(() =>
      readCommunicationPolicy(
        config({ communication: { postMortem: { within: 'soon' } } }),
      ),
    ).toThrow(/incidentOps\.communication\.postMortem\.within/);
    expect(() =>
      readVendors(
        config({ vendors: { tanzu: { responseSla: { P9: 'PT1H' } } } }),
      ),
    ).toThrow(/incidentOps\.vendors\.tanzu\.responseSla: 'P9'/);
  });
});
