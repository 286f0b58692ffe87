import { ImprovementFigures, recommendImprovements } from './recommendations';

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
});
