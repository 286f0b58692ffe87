import {
  ImprovementFigures,
  RoleGapFigure,
  recommendImprovements,
} from './recommendations';

const none: ImprovementFigures = {
  thresholds: [],
  ticketTypes: [],
  surveys: [],
};
const kinds = (figures: Partial<ImprovementFigures>) =>
  recommendImprovements({ ...none, ...figures }).map(
    r => `${r.kind} ${r.subject}`,
  );

describe('recommendImprovements', () => {
  it('asks for a KB article when none was there to suggest, or none helped', () => {
    const kb = (suggested: number, helpful: number, notHelpful: number) =>
      kinds({
        kbByTicketType: [
          { ticketType: 'gitops', tickets: 12, suggested, helpful, notHelpful },
        ],
      });
    expect(kb(0, 0, 0)).toEqual(['write-kb-article gitops']);
    expect(kb(5, 0, 3)).toEqual(['write-kb-article gitops']);
    // shown, but nobody said whether they helped: no evidence either way
    expect(kb(5, 0, 0)).toEqual([]);
    expect(kb(5, 1, 3)).toEqual([]);
  });

  it('judges nothing on fewer tickets than the minimum', () => {
    expect(
      kinds({
        thresholds: [
          {
            rule: 'sla-resolve',
            priority: 'P1',
            limitMs: 4 * 3_600_000,
            tickets: 9,
            reached: 9,
          },
        ],
        ticketTypes: [{ ticketType: 'egress', atL1: 9, escalatedFromL1: 9 }],
      }),
    ).toEqual([]);
  });

  it('names one step per playbook: the one skipped or failed most', () => {
    expect(
      kinds({
        playbookSteps: [
          {
            playbook: 'Egress Access',
            step: 'Validate',
            runs: 20,
            skipped: 1,
            failed: 0,
          },
          {
            playbook: 'Egress Access',
            step: 'Firewall',
            runs: 20,
            skipped: 6,
            failed: 2,
          },
          {
            playbook: 'Egress Access',
            step: 'Verify',
            runs: 20,
            skipped: 0,
            failed: 5,
          },
          {
            playbook: 'Node Provisioning',
            step: 'Quota',
            runs: 20,
            skipped: 0,
            failed: 3,
          },
        ],
      }),
    ).toEqual(['fix-playbook-step Egress Access/Firewall']);
  });

  it('treats "most" as more than half and "always" as 90%', () => {
    const threshold = (reached: number) =>
      kinds({
        thresholds: [
          {
            rule: 'l1-to-l2-unresolved',
            priority: 'P3',
            limitMs: 1_800_000,
            tickets: 20,
            reached,
          },
        ],
      });
    expect(threshold(10)).toEqual([]);
    expect(threshold(11)).toEqual([
      'threshold-breached-by-most l1-to-l2-unresolved/P3',
    ]);
    expect(threshold(0)).toEqual([
      'threshold-never-reached l1-to-l2-unresolved/P3',
    ]);
    const route = (escalated: number) =>
      kinds({
        ticketTypes: [
          {
            ticketType: 'node-provisioning',
            atL1: 20,
            escalatedFromL1: escalated,
          },
        ],
      });
    expect(route(17)).toEqual([]);
    expect(route(18)).toEqual(['route-to-l2 node-provisioning']);
  });

  it('says how many incidents recurred when the list is cut', () => {
    const [r] = recommendImprovements({
      ...none,
      recurringIssues: [
        {
          issue: 'egress on mecc:egress-gateway',
          incidents: ['INC1', 'INC2', 'INC3', 'INC4', 'INC5', 'INC6'],
          total: 40,
          hasLessonsLearned: false,
        },
      ],
    });
    expect(r.detail).toMatch(
      /^40 incidents \(INC1, INC2, INC3, INC4, INC5, …\)/,
    );
    expect(r.evidence).toMatchObject({ totalIncidents: 40 });
    // not cut: no total
    const [whole] = recommendImprovements({
      ...none,
      recurringIssues: [
        { issue: 'x', incidents: ['INC1', 'INC2'], hasLessonsLearned: false },
      ],
    });
    expect(whole.evidence).not.toHaveProperty('totalIncidents');
  });

  describe('roles (quarterly review)', () => {
    const gap = (
      entityRef: string,
      unheld: RoleGapFigure['unheld'],
      incidents: number,
      reachedL3 = 0,
      vendorCases = 0,
    ): RoleGapFigure => ({
      entityRef,
      unheld,
      incidents,
      reachedL3,
      vendorCases,
    });

    it('names each role nobody holds where tickets were, with the counts', () => {
      const recs = recommendImprovements({
        ...none,
        roleGaps: [
          gap(
            'resource:default/abrc1l',
            ['support-engineer', 'kube-admin'],
            12,
          ),
          gap('resource:default/livelink-prod', ['support-engineer'], 30),
        ],
      });
      expect(recs.map(r => `${r.kind} ${r.subject}`)).toEqual([
        'assign-role role/support-engineer',
        'assign-role role/kube-admin',
      ]);
      expect(recs[0]).toMatchObject({
        title:
          'Nobody is Support Engineer on 2 clusters and namespaces with tickets',
        evidence: {
          role: 'Support Engineer',
          annotation: 'incident-ops.acme.com/support-engineer',
          tickets: 42,
          entityCount: 2,
          entities: [
            'resource:default/livelink-prod (30)',
            'resource:default/abrc1l (12)',
          ],
        },
      });
      expect(recs[1].evidence).toMatchObject({
        tickets: 12,
        entities: ['resource:default/abrc1l (12)'],
      });
    });

    it('judges the Evangelist by tickets that reached L3 and the Vendor Liaison by vendor cases', () => {
      const roles = (g: RoleGapFigure) =>
        recommendImprovements({ ...none, roleGaps: [g] }).map(r => ({
          subject: r.subject,
          evidence: r.evidence,
        }));
      // tickets, but none reached L3 and no vendor case: nothing to say
      expect(
        roles(gap('resource:default/rtg', ['evangelist', 'vendor-liaison'], 9)),
      ).toEqual([]);
      expect(
        roles(
          gap(
            'resource:default/rtg',
            ['evangelist', 'vendor-liaison'],
            9,
            3,
            2,
          ),
        ),
      ).toEqual([
        {
          subject: 'role/evangelist',
          evidence: expect.objectContaining({
            ticketsAtL3: 3,
            entities: ['resource:default/rtg (3)'],
          }),
        },
        {
          subject: 'role/vendor-liaison',
          evidence: expect.objectContaining({
            vendorCases: 2,
            entities: ['resource:default/rtg (2)'],
          }),
        },
      ]);
    });

    it('stays silent when every role is held, or nothing happened where one is not', () => {
      expect(
        kinds({
          roleGaps: [
            gap('resource:default/abrc1l', [], 50, 10, 5),
            gap('resource:default/rtg', ['team-lead'], 0),
          ],
        }),
      ).toEqual([]);
      expect(kinds({ roleGaps: [] })).toEqual([]);
    });
  });
});
