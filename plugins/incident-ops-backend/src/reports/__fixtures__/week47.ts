import type { Knex } from 'knex';
import {
  insertArticles,
  insertDecisions,
  insertIncidents,
  insertKnowledgeUse,
  insertPostMortems,
  insertSurveys,
  insertVendorCases,
} from './history';

/**
 * Week 47 of 2026 runs from Monday 16 November 00:00 UTC to Monday 23 November 00:00 UTC.
 * The history, by incident (number 1…11):
 *   1 A  P1 L3 cluster-outage   opened 16th 10:00, responded +10 min, resolved +300 min
 *   2 B  P2 L2 namespace-access opened 17th 09:00, responded +45,     resolved +360
 *   3 C  P3 L1 egress           opened 18th 08:00, responded +60,     resolved +240
 *   4 D  P3 L1 egress           opened 18th 10:00, responded +40,     resolved +60
 *   5 E  P4 L1 gitlab-ci-access opened 19th 12:00, responded +90,     resolved +1440
 *   6 F  P3 L2 node-provisioning opened 20th 09:00, responded +15,    still open
 *   7 G  P3 L1 egress           all in week 46 (10th–11th): outside
 *   8 H  P2 L2 namespace-access removed at the source: never counted
 *   9 I  P4 L1 gitlab-ci-access opened 22nd 20:00, responded +30, resolved 23rd 00:00 (the
 *        week's end, exclusive: not resolved in it)
 *  10 J  P4 no tier, other      opened 15th 22:00 (week 46), responded 16th 00:00 (+120,
 *        the week's start, inclusive), resolved +240
 *  11 K  P3 L2 egress           opened 19th 10:00, no response yet
 *  12 L  P1 L3 cluster-outage   resolved 15th 06:00 (week 46): post-mortem due 16th 06:00
 *  13 M  P1 L3 cluster-outage   resolved 15th 02:00 (week 46): post-mortem due 16th 02:00
 */
export async function seedWeek(db: Knex) {
  const d = (day: number, hm: string) =>
    `2026-11-${String(day).padStart(2, '0')}T${hm}:00.000Z`;
  await insertIncidents(db, [
    {
      n: 1,
      priority: 'P1',
      tier: 'L3',
      type: 'cluster-outage',
      opened: d(16, '10:00'),
      responded: d(16, '10:10'),
      resolved: d(16, '15:00'),
    },
    {
      n: 2,
      priority: 'P2',
      tier: 'L2',
      type: 'namespace-access',
      ci: 'abrc1l:livelink-prod',
      opened: d(17, '09:00'),
      responded: d(17, '09:45'),
      resolved: d(17, '15:00'),
    },
    {
      n: 3,
      priority: 'P3',
      tier: 'L1',
      type: 'egress',
      opened: d(18, '08:00'),
      responded: d(18, '09:00'),
      resolved: d(18, '12:00'),
    },
    {
      n: 4,
      priority: 'P3',
      tier: 'L1',
      type: 'egress',
      opened: d(18, '10:00'),
      responded: d(18, '10:40'),
      resolved: d(18, '11:00'),
    },
    {
      n: 5,
      priority: 'P4',
      tier: 'L1',
      type: 'gitlab-ci-access',
      opened: d(19, '12:00'),
      responded: d(19, '13:30'),
      resolved: d(20, '12:00'),
    },
    {
      n: 6,
      priority: 'P3',
      tier: 'L2',
      type: 'node-provisioning',
      opened: d(20, '09:00'),
      responded: d(20, '09:15'),
    },
    {
      n: 7,
      priority: 'P3',
      tier: 'L1',
      type: 'egress',
      opened: d(10, '09:00'),
      responded: d(10, '09:30'),
      resolved: d(11, '09:00'),
    },
    {
      n: 8,
      priority: 'P2',
      tier: 'L2',
      type: 'namespace-access',
      ci: 'abrc1l:livelink-prod',
      opened: d(17, '08:00'),
      responded: d(17, '08:05'),
      resolved: d(18, '08:00'),
      removed: true,
    },
    {
      n: 9,
      priority: 'P4',
      tier: 'L1',
      type: 'gitlab-ci-access',
      opened: d(22, '20:00'),
      responded: d(22, '20:30'),
      resolved: d(23, '00:00'),
    },
    {
      n: 10,
      priority: 'P4',
      type: 'other',
      opened: d(15, '22:00'),
      responded: d(16, '00:00'),
      resolved: d(16, '02:00'),
    },
    {
      n: 11,
      priority: 'P3',
      tier: 'L2',
      type: 'egress',
      opened: d(19, '10:00'),
    },
  ]);
  await insertDecisions(db, [
    {
      n: 1,
      at: d(16, '10:01'),
      rule: 'p1-straight-to-l3',
      from: 'L1',
      to: 'L3',
    },
    {
      n: 1,
      at: d(16, '10:01'),
      rule: 'p1-management-alert',
      action: 'alert-management',
    },
    { n: 1, at: d(16, '14:00'), rule: 'sla-resolve' },
    {
      n: 2,
      at: d(17, '09:01'),
      rule: 'l1-to-l2-priority',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 2,
      at: d(17, '09:02'),
      rule: 'recurring-p2',
      action: 'flag-recurring',
    },
    { n: 2, at: d(17, '09:30'), rule: 'sla-respond' },
    {
      n: 6,
      at: d(20, '09:31'),
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 6,
      at: d(23, '00:00'),
      rule: 'any-tier-sla-breach',
      from: 'L2',
      to: 'L3',
    },
    {
      n: 11,
      at: d(19, '11:00'),
      rule: 'manual-stakeholder-request',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 7,
      at: d(10, '09:31'),
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
    },
    { n: 7, at: d(10, '20:00'), rule: 'sla-resolve' },
    {
      n: 8,
      at: d(17, '08:01'),
      rule: 'l1-to-l2-priority',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 8,
      at: d(17, '08:02'),
      rule: 'recurring-p2',
      action: 'flag-recurring',
    },
    { n: 8, at: d(17, '16:00'), rule: 'sla-resolve' },
  ]);
  await insertSurveys(db, [
    {
      n: 1,
      rating: 1,
      comment: 'Nobody told us it was fixed',
      at: d(17, '10:00'),
    },
    { n: 3, rating: 2, comment: 'Took two tries', at: d(19, '10:00') },
    { n: 4, rating: 5, at: d(19, '11:00') },
    { n: 7, rating: 4, at: d(12, '10:00') },
  ]);
  await insertIncidents(db, [
    {
      n: 12,
      priority: 'P1',
      tier: 'L3',
      type: 'cluster-outage',
      opened: d(14, '08:00'),
      resolved: d(15, '06:00'),
    },
    {
      n: 13,
      priority: 'P1',
      tier: 'L3',
      type: 'cluster-outage',
      opened: d(15, '01:00'),
      resolved: d(15, '02:00'),
    },
  ]);

  // KB: suggestions on C (KB1, KB2), D (KB1), E (KB2) in the week, on G in week 46; C and D
  // found KB1 helpful, C and E did not find KB2 helpful, E neither the repository article;
  // E ran out of suggestions (twice recorded), G in week 46.
  await insertArticles(db, [
    { number: 'KB0010001', title: 'Request egress for a namespace' },
    { number: 'KB0010002', title: 'GitLab runner access' },
  ]);
  await insertKnowledgeUse(db, {
    shown: [
      { n: 3, article: 'KB0010001', at: d(18, '08:01') },
      { n: 3, article: 'KB0010002', at: d(18, '08:01') },
      { n: 4, article: 'KB0010001', at: d(18, '10:01') },
      { n: 5, article: 'KB0010002', at: d(19, '12:01') },
      { n: 7, article: 'KB0010001', at: d(10, '09:01') },
    ],
    feedback: [
      { n: 3, article: 'KB0010001', helpful: true, at: d(18, '08:30') },
      { n: 3, article: 'KB0010002', helpful: false, at: d(18, '08:20') },
      { n: 4, article: 'KB0010001', helpful: true, at: d(18, '10:30') },
      { n: 5, article: 'KB0010002', helpful: false, at: d(19, '12:30') },
      {
        n: 5,
        article: 'egress-nfs',
        source: 'repository',
        helpful: false,
        at: d(19, '12:31'),
      },
      { n: 7, article: 'KB0010001', helpful: false, at: d(10, '09:10') },
    ],
    exhausted: [
      { n: 5, at: d(19, '12:31') },
      { n: 5, at: d(19, '12:32') },
      { n: 7, at: d(10, '09:11') },
    ],
  });

  // Vendor cases (the report is made on the 23rd at 08:00): answered in time, answered
  // late, unanswered past its SLA, unanswered within it; one in week 46.
  await insertVendorCases(db, [
    {
      n: 1,
      vendor: 'tanzu',
      caseId: 'T-1',
      opened: d(16, '10:30'),
      slaMinutes: 60,
      responded: d(16, '11:00'),
    },
    {
      n: 1,
      vendor: 'aws',
      caseId: 'A-1',
      opened: d(16, '11:00'),
      slaMinutes: 60,
      responded: d(16, '13:00'),
    },
    {
      n: 6,
      vendor: 'tanzu',
      caseId: 'T-2',
      opened: d(20, '10:00'),
      slaMinutes: 240,
    },
    {
      n: 11,
      vendor: 'tanzu',
      caseId: 'T-3',
      opened: d(22, '23:00'),
      slaMinutes: 600,
    },
    {
      n: 7,
      vendor: 'aws',
      caseId: 'A-0',
      opened: d(10, '10:00'),
      slaMinutes: 60,
    },
  ]);

  // Post-mortems due in the week (24 h after a P1's resolution): A's on time, L's late,
  // M's missing (overdue).
  await insertPostMortems(db, [
    { n: 1, at: d(17, '12:00') },
    { n: 12, at: d(16, '09:00') },
  ]);
}
