import {
  incidentOpsIncidentCommunicatePermission,
  incidentOpsIncidentCreatePermission,
  incidentOpsIncidentEscalatePermission,
  incidentOpsIncidentReadPermission,
  incidentOpsIncidentTransitionPermission,
  incidentOpsKbFeedbackPermission,
  incidentOpsLessonsWritePermission,
  incidentOpsPlaybookOverridePermission,
  incidentOpsPlaybookRunPermission,
  incidentOpsReportsReadPermission,
  incidentOpsSurveyRecordPermission,
  incidentOpsSyncAdminPermission,
  incidentOpsSyncRunPermission,
  incidentOpsVendorEngagementManagePermission,
} from '@acme/plugin-incident-ops-common';
import {
  type IncidentOpsIncidentResource,
  incidentOpsIncidentRules,
} from '@acme/plugin-incident-ops-node';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  type Permission,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  claimsOf,
  incidentOn,
  seededEntities,
  tierGroup,
} from './__testUtils__/seededCatalog';
import { IncidentOpsPermissionPolicy } from './IncidentOpsPermissionPolicy';
import { readIncidentOpsPolicyOptions } from './options';

// The dev app's settings (app-config.yaml).
const policy = new IncidentOpsPermissionPolicy(
  readIncidentOpsPolicyOptions(
    new ConfigReader({
      incidentOps: {
        permissionPolicy: {
          adminGroups: ['group:default/incident-ops-admins'],
          reportGroups: [
            'team-leads',
            'it-leadership',
            'area-leads-digital-channels',
            'area-leads-data-and-ai',
          ],
          surveyRecorders: ['atlas-l1-support'],
        },
      },
    }),
  ),
  async () => ['L1', 'L2', 'L3'].map(t => tierGroup(t as any).toLowerCase()),
);

const decide = (permission: Permission, userName?: string) =>
  policy.handle(
    { permission },
    userName
      ? {
          credentials: mockCredentials.user(`user:default/${userName}`),
          info: {
            userEntityRef: `user:default/${userName}`,
            ownershipEntityRefs: claimsOf(userName),
          },
        }
      : undefined,
  );

/** Evaluates a decision for one incident, the way the backend applies conditions. */
function allows(
  decision: PolicyDecision,
  incident: IncidentOpsIncidentResource,
): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  expect(decision.pluginId).toBe('incident-ops');
  expect(decision.resourceType).toBe('incident-ops-incident');
  const rules = Object.values(incidentOpsIncidentRules);
  const apply = (c: PermissionCriteria<PermissionCondition>): boolean => {
    if ('anyOf' in c) return c.anyOf.some(apply);
    if ('allOf' in c) return c.allOf.every(apply);
    if ('not' in c) return !apply(c.not);
    const rule = rules.find(r => r.name === c.rule)!;
    return rule.apply(incident, c.params as any);
  };
  return apply(decision.conditions);
}

const WORK = [
  incidentOpsIncidentTransitionPermission,
  incidentOpsIncidentEscalatePermission,
  incidentOpsPlaybookRunPermission,
  incidentOpsKbFeedbackPermission,
  incidentOpsIncidentCommunicatePermission,
  incidentOpsVendorEngagementManagePermission,
];

describe('IncidentOpsPermissionPolicy against the seeded catalog', () => {
  it('the seeded catalog has the users and groups the cases name', () => {
    expect(claimsOf('guest')).toContain('group:default/atlas-l2-platform');
    expect(claimsOf('priya.sharma')).toEqual([
      'user:default/priya.sharma',
      'group:default/atlas-l1-support',
    ]);
    expect(
      seededEntities.filter(e => e.kind === 'Group').length,
    ).toBeGreaterThan(10);
  });

  it('lets any signed-in user read and report incidents, and nobody without a user', async () => {
    for (const user of ['jonas.weber', 'priya.sharma', 'robert.hayes']) {
      for (const p of [
        incidentOpsIncidentReadPermission,
        incidentOpsIncidentCreatePermission,
      ]) {
        expect((await decide(p, user)).result).toBe(AuthorizeResult.ALLOW);
      }
    }
    expect((await decide(incidentOpsIncidentReadPermission)).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it.each(WORK.map(p => [p.name, p]))(
    '%s: the tier group and the tiers above work a ticket, the tier below does not',
    async (_name, permission) => {
      const l1Ticket = incidentOn('mecc', 'L1');
      const l2Ticket = incidentOn('mecc', 'L2');
      const l3Ticket = incidentOn('mecc', 'L3');
      // L1 engineer
      const priya = await decide(permission, 'priya.sharma');
      expect(allows(priya, l1Ticket)).toBe(true);
      expect(allows(priya, l2Ticket)).toBe(false);
      // the guest is in L2
      const guest = await decide(permission, 'guest');
      expect(allows(guest, l1Ticket)).toBe(true);
      expect(allows(guest, l2Ticket)).toBe(true);
      expect(allows(guest, l3Ticket)).toBe(false);
      // L3 evangelist
      const raj = await decide(permission, 'raj.iyer');
      expect(allows(raj, l1Ticket)).toBe(true);
      expect(allows(raj, l3Ticket)).toBe(true);
      // a developer who asked for it does not work it
      const rahul = await decide(permission, 'rahul.mehta');
      expect(allows(rahul, l1Ticket)).toBe(false);
      // management reads reports but does not work tickets
      const robert = await decide(permission, 'robert.hayes');
      expect(allows(robert, l1Ticket)).toBe(false);
    },
  );

  it("lets the matrix's team lead and kube-admin of the cluster work its tickets at any tier", async () => {
    const l3OnAbrc1l = incidentOn('abrc1l', 'L3');
    const l3OnMecc = incidentOn('mecc', 'L3');
    for (const user of ['sarah.mitchell', 'ahmed.hassan', 'elena.petrova']) {
      const decision = await decide(
        incidentOpsIncidentEscalatePermission,
        user,
      );
      expect(allows(decision, l3OnAbrc1l)).toBe(true);
    }
    // sarah.mitchell leads abrc1l, not mecc
    const sarah = await decide(
      incidentOpsIncidentEscalatePermission,
      'sarah.mitchell',
    );
    expect(
      l3OnMecc.roles.some(r => r.holder === 'user:default/sarah.mitchell'),
    ).toBe(false);
    expect(allows(sarah, l3OnMecc)).toBe(false);
  });

  it('does not let the support-engineer role (the L1 group on abrc1l) work L2 tickets', async () => {
    const l2OnAbrc1l = incidentOn('abrc1l', 'L2');
    expect(
      l2OnAbrc1l.roles.some(
        r =>
          r.role === 'support-engineer' &&
          r.holder === 'group:default/atlas-l1-support',
      ),
    ).toBe(true);
    const priya = await decide(
      incidentOpsIncidentTransitionPermission,
      'priya.sharma',
    );
    expect(allows(priya, l2OnAbrc1l)).toBe(false);
  });

  it("lets the cluster's vendor liaison manage vendor engagements, and nothing else", async () => {
    const ticket = incidentOn('abrc1l', 'L3');
    const vendor = await decide(
      incidentOpsVendorEngagementManagePermission,
      'carlos.rivera',
    );
    expect(allows(vendor, ticket)).toBe(true);
    const transition = await decide(
      incidentOpsIncidentTransitionPermission,
      'carlos.rivera',
    );
    expect(allows(transition, ticket)).toBe(false);
  });

  it("lets the cluster's team lead and kube-admin override a playbook, not its tier group (admins may)", async () => {
    const ticket = incidentOn('abrc1l', 'L2');
    for (const [user, allowed] of [
      ['sarah.mitchell', true],
      ['ahmed.hassan', true],
      ['marcus.chen', false],
      ['elena.petrova', false],
      ['kenji.watanabe', false],
    ] as const) {
      const decision = await decide(
        incidentOpsPlaybookOverridePermission,
        user,
      );
      expect([user, allows(decision, ticket)]).toEqual([user, allowed]);
    }
  });

  it('leaves surveys on behalf, the sync, reports and lessons to their groups', async () => {
    const cases: Array<[Permission, string, AuthorizeResult]> = [
      [
        incidentOpsSurveyRecordPermission,
        'priya.sharma',
        AuthorizeResult.ALLOW,
      ],
      [incidentOpsSurveyRecordPermission, 'marcus.chen', AuthorizeResult.DENY],
      [incidentOpsSurveyRecordPermission, 'rahul.mehta', AuthorizeResult.DENY],
      [incidentOpsSyncRunPermission, 'marcus.chen', AuthorizeResult.DENY],
      [incidentOpsSyncAdminPermission, 'sarah.mitchell', AuthorizeResult.DENY],
      [
        incidentOpsReportsReadPermission,
        'sarah.mitchell',
        AuthorizeResult.ALLOW,
      ],
      [incidentOpsReportsReadPermission, 'jane.doe', AuthorizeResult.ALLOW],
      [incidentOpsReportsReadPermission, 'robert.hayes', AuthorizeResult.ALLOW],
      [incidentOpsReportsReadPermission, 'priya.sharma', AuthorizeResult.DENY],
      [
        incidentOpsLessonsWritePermission,
        'priya.sharma',
        AuthorizeResult.ALLOW,
      ],
      [incidentOpsLessonsWritePermission, 'sofia.rossi', AuthorizeResult.ALLOW],
      [incidentOpsLessonsWritePermission, 'jonas.weber', AuthorizeResult.DENY],
    ];
    for (const [permission, user, result] of cases) {
      const decision = await decide(permission, user);
      expect([permission.name, user, decision.result]).toEqual([
        permission.name,
        user,
        result,
      ]);
    }
  });

  it('gives the members of the admin group the sync, its admin pages, reports and surveys', async () => {
    const admins = seededEntities.filter(
      e =>
        e.kind === 'User' &&
        (e.spec?.memberOf as string[]).includes(
          'group:default/incident-ops-admins',
        ),
    );
    expect(admins.map(a => a.metadata.name)).toContain('guest');
    for (const permission of [
      incidentOpsSyncRunPermission,
      incidentOpsSyncAdminPermission,
      incidentOpsReportsReadPermission,
      incidentOpsSurveyRecordPermission,
      incidentOpsLessonsWritePermission,
    ]) {
      expect((await decide(permission, 'guest')).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
    const override = await decide(
      incidentOpsPlaybookOverridePermission,
      'guest',
    );
    expect(override.result).toBe(AuthorizeResult.ALLOW);
  });

  it("answers other plugins' permissions as configured (allow by default)", async () => {
    const other = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
    });
    expect((await decide(other, 'jonas.weber')).result).toBe(
      AuthorizeResult.ALLOW,
    );
    const strict = new IncidentOpsPermissionPolicy(
      readIncidentOpsPolicyOptions(
        new ConfigReader({
          incidentOps: { permissionPolicy: { otherPermissions: 'deny' } },
        }),
      ),
      async () => [],
    );
    expect((await strict.handle({ permission: other })).result).toBe(
      AuthorizeResult.DENY,
    );
  });
});

describe('readIncidentOpsPolicyOptions', () => {
  it('has safe defaults: no admins, override by team lead and kube-admin', () => {
    expect(readIncidentOpsPolicyOptions(new ConfigReader({}))).toEqual({
      adminGroups: [],
      reportGroups: [],
      surveyRecorders: [],
      workRoles: ['evangelist', 'team-lead', 'kube-admin'],
      vendorRoles: ['vendor-liaison'],
      overrideRoles: ['team-lead', 'kube-admin'],
      otherPermissions: 'allow',
    });
  });

  it('names the key of a role that is not one', () => {
    expect(() =>
      readIncidentOpsPolicyOptions(
        new ConfigReader({
          incidentOps: { permissionPolicy: { overrideRoles: ['manager'] } },
        }),
      ),
    ).toThrow(/incidentOps\.permissionPolicy\.overrideRoles: 'manager'/);
  });
});
