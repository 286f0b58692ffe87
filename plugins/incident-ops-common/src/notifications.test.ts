import {
  DEFAULT_NOTIFICATION_RULES,
  mergeNotificationRules,
  rolesByChannel,
} from './notifications';

const rules = DEFAULT_NOTIFICATION_RULES;
const asObject = (m: Map<string, string[]>) =>
  Object.fromEntries([...m].map(([c, r]) => [c, [...r].sort()]));

describe('who is told what (defaults from the operational model)', () => {
  it('tells the team lead of every escalation, and the receiving tier in the app', () => {
    for (const priority of ['P2', 'P3', 'P4'] as const) {
      expect(
        asObject(
          rolesByChannel(rules, {
            event: 'escalation',
            priority,
            toTier: 'L2',
          }),
        ),
      ).toEqual({ backstage: ['l2', 'team-lead'], email: ['team-lead'] });
    }
  });

  it('brings in the evangelist, architects and vendor liaison when L3 engages', () => {
    expect(
      asObject(
        rolesByChannel(rules, {
          event: 'escalation',
          priority: 'P2',
          toTier: 'L3',
        }),
      ),
    ).toEqual({
      backstage: [
        'architect',
        'entity-channel',
        'evangelist',
        'l3',
        'team-lead',
        'vendor-liaison',
      ],
      email: [
        'architect',
        'entity-channel',
        'evangelist',
        'team-lead',
        'vendor-liaison',
      ],
      slack: ['architect', 'entity-channel', 'evangelist', 'vendor-liaison'],
    });
  });

  it('alerts area leads and the vendor manager by SMS and email on a P1', () => {
    const alert = asObject(
      rolesByChannel(rules, { event: 'management-alert', priority: 'P1' }),
    );
    expect(alert.sms).toEqual(['area-lead', 'vendor-manager']);
    expect(alert.email).toEqual(['area-lead', 'vendor-manager']);
  });

  it('tells requestors of status changes, and P1 stakeholders on Teams too', () => {
    expect(
      asObject(
        rolesByChannel(rules, { event: 'status-change', priority: 'P3' }),
      ),
    ).toEqual({ backstage: ['requestor'], email: ['requestor'] });
    const p1 = asObject(
      rolesByChannel(rules, { event: 'status-change', priority: 'P1' }),
    );
    expect(p1.teams).toEqual([
      'area-lead',
      'entity-channel',
      'evangelist',
      'team-lead',
    ]);
    expect(p1.email).toEqual([
      'area-lead',
      'entity-channel',
      'evangelist',
      'requestor',
      'team-lead',
    ]);
    // Backstage notifications are always on, so P1 stakeholders hear even without Teams/email
    expect(p1.backstage).toEqual(p1.email);
  });

  it('tells P1 stakeholders of a priority or assignment change brought by sync', () => {
    const change = asObject(
      rolesByChannel(rules, { event: 'incident-change', priority: 'P1' }),
    );
    const stakeholders = [
      'area-lead',
      'entity-channel',
      'evangelist',
      'team-lead',
    ];
    expect(change).toEqual({
      teams: stakeholders,
      email: stakeholders,
      backstage: stakeholders,
    });
    expect(
      rolesByChannel(rules, { event: 'incident-change', priority: 'P2' }).size,
    ).toBe(0);
  });

  it('reaches people through Backstage notifications in every default rule', () => {
    expect(
      DEFAULT_NOTIFICATION_RULES.filter(r => !r.channels.includes('backstage')),
    ).toEqual([]);
  });

  it('sends a missed hour to the assignee and the status to requestors', () => {
    expect(
      asObject(
        rolesByChannel(rules, { event: 'update-missed', priority: 'P2' }),
      ),
    ).toEqual({ backstage: ['assignee'], email: ['assignee'] });
    expect(
      asObject(
        rolesByChannel(rules, { event: 'status-report', priority: 'P2' }),
      ),
    ).toEqual({ backstage: ['requestor'], email: ['requestor'] });
  });

  it('lets config replace a default by id, add rules, or drop the defaults', () => {
    const merged = mergeNotificationRules([
      {
        id: 'team-lead-on-escalation',
        on: 'escalation',
        roles: ['team-lead'],
        channels: ['slack'],
      },
      {
        id: 'kube-admins-on-l2',
        on: 'escalation',
        toTiers: ['L2'],
        roles: ['kube-admin'],
        channels: ['email'],
      },
    ]);
    expect(
      asObject(
        rolesByChannel(merged, {
          event: 'escalation',
          priority: 'P3',
          toTier: 'L2',
        }),
      ),
    ).toEqual({
      slack: ['team-lead'],
      email: ['kube-admin'],
      // the default for the receiving tier stays
      backstage: ['l2'],
    });
    expect(mergeNotificationRules([], false)).toEqual([]);
  });
});
