import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_ESCALATION_POLICY,
  OwnershipMatrix,
  parseReportPeriod,
  ReportPeriod,
} from '@acme/plugin-incident-ops-common';
import type { Knex } from 'knex';
import { migrate } from '../../database/migrate';
import { DatabaseReportStore } from '../../database/DatabaseReportStore';
import { ReportBuilder } from '../ReportBuilder';
import {
  HistoryIncident,
  insertDecisions,
  insertIncidents,
  insertKnowledgeUse,
  insertPlaybookRun,
  insertSurveys,
} from '../__fixtures__/history';

export const month = parseReportPeriod('monthly', '2026-11') as ReportPeriod;
export const quarter = parseReportPeriod(
  'quarterly',
  '2026-Q4',
) as ReportPeriod;
export const at = (day: number, hm = '09:00') =>
  `2026-11-${String(day).padStart(2, '0')}T${hm}:00.000Z`;
export const plus = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

const playbook = {
  id: 'egress-access',
  title: 'Egress Access',
  steps: [
    { id: 'validate', title: 'Namespace validation' },
    { id: 'firewall', title: 'Firewall rule template' },
    { id: 'verify', title: 'Test verification' },
  ],
};

/** A P3 egress ticket at L1 opened in November (day 2…28 by its number), resolved in 2 h. */
export const egress = (
  n: number,
  extra: Partial<HistoryIncident> = {},
): HistoryIncident => {
  const opened = extra.opened ?? at((n % 27) + 2);
  return {
    n,
    priority: 'P3',
    tier: 'L1',
    type: 'egress',
    ci: 'abrc1l:livelink-prod',
    opened,
    responded: plus(opened, 10),
    resolved: plus(opened, 120),
    ...extra,
  };
};

/**
 * A healthy month: every threshold is reached by some tickets but not most; egress tickets
 * mostly stay at L1; a KB article helped; the playbook's steps were all done; the surveys
 * are good; nothing recurred.
 */
async function seedHealthy(db: Knex) {
  await insertIncidents(
    db,
    Array.from({ length: 12 }, (_, i) => egress(i + 1)),
  );
  await insertDecisions(db, [
    {
      n: 1,
      at: at(2, '09:31'),
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
    },
    {
      n: 2,
      at: at(3, '09:31'),
      rule: 'l1-to-l2-unresolved',
      from: 'L1',
      to: 'L2',
    },
    { n: 3, at: at(4, '13:00'), rule: 'sla-respond' },
    { n: 4, at: at(5, '13:00'), rule: 'sla-respond' },
    { n: 5, at: at(9, '09:00'), rule: 'sla-resolve' },
    { n: 6, at: at(10, '09:00'), rule: 'sla-resolve' },
  ]);
  await insertKnowledgeUse(db, {
    shown: [{ n: 1, article: 'KB0010001', at: at(2, '09:01'), type: 'egress' }],
    feedback: [
      { n: 1, article: 'KB0010001', helpful: true, at: at(2, '09:05') },
    ],
  });
  for (let n = 1; n <= 10; n++) {
    await insertPlaybookRun(db, {
      n,
      playbook,
      at: at(n + 1, '10:00'),
      steps: [
        { id: 'validate', status: 'done' },
        { id: 'firewall', status: 'done' },
        { id: 'verify', status: 'verified' },
      ],
    });
  }
  await insertSurveys(db, [
    {
      n: 1,
      rating: 4,
      at: at(3),
      kbArticle: 'KB0010001',
      playbook: 'egress-access',
    },
    { n: 2, rating: 5, at: at(4), playbook: 'egress-access' },
    { n: 3, rating: 4, at: at(5), playbook: 'egress-access' },
  ]);
}

/** Builds reports for the recommendations' tests on one of `databases`, after a healthy month. */
export function recommendationsSetUp(databases: TestDatabases) {
  return async function setUp(
    databaseId: TestDatabaseId,
    options: { ownership?: () => Promise<OwnershipMatrix> } = {},
  ) {
    const knex = await databases.init(databaseId);
    await migrate({ getClient: async () => knex } as any);
    const builder = new ReportBuilder({
      store: new DatabaseReportStore(knex),
      policy: DEFAULT_ESCALATION_POLICY,
      ownership: options.ownership,
    });
    await seedHealthy(knex);
    const build = (period: ReportPeriod) =>
      builder.build(period, new Date('2026-12-01T08:00:00Z'));
    const recommend = async (period = month) =>
      (await build(period)).recommendations!;
    return { knex, recommend, build };
  };
}
