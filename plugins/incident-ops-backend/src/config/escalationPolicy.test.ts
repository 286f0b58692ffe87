import { DEFAULT_ESCALATION_POLICY } from '@acme/plugin-incident-ops-common';
import { ConfigReader } from '@backstage/config';
import { readEscalationPolicy } from './escalationPolicy';

const read = (incidentOps: object) =>
  readEscalationPolicy(new ConfigReader({ incidentOps }));

describe('readEscalationPolicy', () => {
  it('defaults to the operational model', () => {
    expect(read({})).toEqual(DEFAULT_ESCALATION_POLICY);
    expect(read({}).l1ToL2.unresolved.P3).toBe(30 * 60_000);
    expect(read({}).l2ToL3.unresolved).toEqual({ P2: 60 * 60_000 });
  });

  it('takes thresholds per priority and tier, and SLA targets', () => {
    const policy = read({
      escalation: {
        l1ToL2: { unresolved: { P3: { minutes: 45 }, P4: 'PT2H' }, atOnce: [] },
        l2ToL3: { onArchitecturalImpact: false },
        p1: { alertManagement: false },
      },
      sla: { P2: { respond: { minutes: 20 } } },
    });
    expect(policy.l1ToL2).toEqual({
      unresolved: { P3: 45 * 60_000, P4: 2 * 3600_000 },
      atOnce: [],
      onKbExhausted: true,
    });
    expect(policy.l2ToL3.onArchitecturalImpact).toBe(false);
    expect(policy.p1).toEqual({ straightToL3: true, alertManagement: false });
    expect(
      read({
        escalation: {
          anyTier: { onSlaBreach: false },
          recurringP2: { count: 4, window: { days: 14 } },
        },
      }),
    ).toMatchObject({
      anyTier: { onSlaBreach: false },
      recurringP2: { count: 4, window: 14 * 24 * 3600_000 },
    });
    expect(policy.sla.P2).toEqual({
      respond: 20 * 60_000,
      resolve: DEFAULT_ESCALATION_POLICY.sla.P2.resolve,
    });
  });

  it.each([
    [
      { escalation: { l1ToL2: { unresolved: { P9: { minutes: 1 } } } } },
      "Invalid config at incidentOps.escalation.l1ToL2.unresolved: 'P9' is not one of P1, P2, P3, P4",
    ],
    [
      { escalation: { l2ToL3: { unresolved: { P2: { minutes: -5 } } } } },
      'Invalid config at incidentOps.escalation.l2ToL3.unresolved.P2: must be a positive duration',
    ],
    [
      { escalation: { l2ToL3: { unresolved: { P2: 'soon' } } } },
      /^Invalid config at incidentOps.escalation.l2ToL3.unresolved.P2: /,
    ],
    [
      { escalation: { l1ToL2: { atOnce: ['P2', 'urgent'] } } },
      "Invalid config at incidentOps.escalation.l1ToL2.atOnce: 'urgent' is not one of P1, P2, P3, P4",
    ],
    [
      { sla: { P1: { respond: { hours: 5 } } } },
      'Invalid config at incidentOps.sla.P1: respond must not be longer than resolve',
    ],
    [
      { escalation: { recurringP2: { count: 1 } } },
      'Invalid config at incidentOps.escalation.recurringP2.count: must be a whole number of at least 2',
    ],
    [
      { escalation: { recurringP2: { window: { days: 0 } } } },
      'Invalid config at incidentOps.escalation.recurringP2.window: must be a positive duration',
    ],
    [
      { sla: { P7: { respond: { hours: 1 } } } },
      "Invalid config at incidentOps.sla: 'P7' is not one of P1, P2, P3, P4",
    ],
  ])('names the bad key: %j', (config, message) => {
    expect(() => read(config)).toThrow(message);
  });
});
