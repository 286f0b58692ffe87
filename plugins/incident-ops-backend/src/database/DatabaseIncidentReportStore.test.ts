import { TestDatabases } from '@backstage/backend-test-utils';
import type { Incident } from '@acme/plugin-incident-ops-common';
import { migratedDatabase } from '../__testUtils__/database';
import {
  DatabaseIncidentReportStore,
  type NewReport,
  REPORTED_SOURCE,
} from './DatabaseIncidentReportStore';

const now = new Date('2026-12-07T09:00:00Z');

const newReport = (clientKey: string, reportedBy: string): NewReport => ({
  clientKey,
  source: 'servicenow',
  fingerprint: 'f',
  request: {
    key: clientKey,
    shortDescription: 'NFS times out',
    impact: '2',
    urgency: '2',
    requestedBy: { name: 'Jonas Weber', entityRef: reportedBy },
  },
  priority: 'P3',
  tier: 'L1',
  shortDescription: 'NFS times out',
  entityRef: 'resource:default/livelink-prod',
  reportedBy,
});

const provisional =
  (clientKey: string) =>
  (number: string): Incident => ({
    source: REPORTED_SOURCE,
    id: clientKey,
    number,
    shortDescription: 'NFS times out',
    priority: 'P3',
    status: 'unassigned',
    sourceState: '1',
    tier: 'L1',
    openedAt: now.toISOString(),
    sourceUpdatedAt: now.toISOString(),
    sourceVersion: -1,
    syncedAt: now.toISOString(),
  });

describe('DatabaseIncidentReportStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'stores a key once, with its provisional incident; filing is fenced by the claim, %p',
    async databaseId => {
      const { knex, database } = await migratedDatabase(databases, databaseId);
      const store = await DatabaseIncidentReportStore.create({ database });
      const a = 'aaaaaaaa-0000-4000-8000-000000000001';
      const b = 'bbbbbbbb-0000-4000-8000-000000000002';
      const first = await store.recordReport(
        newReport(a, 'user:default/jonas'),
        provisional(a),
        now,
      );
      expect(first.created).toBe(true);
      expect(first.report).toMatchObject({
        clientKey: a,
        status: 'pending',
        provisionalNumber: 'RPT0000001',
        createdAt: now,
      });
      const again = await store.recordReport(
        newReport(a, 'user:default/jonas'),
        provisional(a),
        now,
      );
      expect(again).toMatchObject({
        created: false,
        report: { id: first.report.id },
      });
      await store.recordReport(
        newReport(b, 'user:default/priya'),
        provisional(b),
        now,
      );
      expect(
        (await knex('incidents').where({ source: REPORTED_SOURCE })).map(
          r => r.number,
        ),
      ).toEqual(['RPT0000001', 'RPT0000002']);

      // two workers: the claim that lost its lease changes nothing
      const [claimed] = await store.claimDue(now, 1, 30_000);
      expect(claimed.report.clientKey).toBe(a);
      const later = new Date(now.getTime() + 60_000);
      const [taken] = await store.claimDue(later, 1, 30_000);
      expect(taken).toMatchObject({ id: claimed.id, attempts: 2 });
      expect(
        await store.markFiled(
          claimed,
          { number: 'INC1', sourceId: 's1' },
          later,
        ),
      ).toBe(false);
      expect(
        await store.markFiled(
          taken,
          { number: 'INC0010101', sourceId: 's1' },
          later,
        ),
      ).toBe(true);
      expect(await store.getReport(a)).toMatchObject({
        status: 'done',
        number: 'INC0010101',
        sourceId: 's1',
      });
      // the provisional row of the filed one is gone
      expect(
        (await knex('incidents').where({ source: REPORTED_SOURCE })).map(
          r => r.number,
        ),
      ).toEqual(['RPT0000002']);

      expect(await store.reportersOf('INC0010101')).toEqual([
        'user:default/jonas',
      ]);
      expect(await store.reportersOf('RPT0000002')).toEqual([
        'user:default/priya',
      ]);
      expect(await store.reportersOf('INC9')).toEqual([]);
      expect(
        (
          await store.reportedBy(['user:default/jonas', 'user:default/priya'])
        ).sort(),
      ).toEqual(['INC0010101', 'RPT0000002']);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts deflections by article in a range, %p',
    async databaseId => {
      const { database } = await migratedDatabase(databases, databaseId);
      const store = await DatabaseIncidentReportStore.create({ database });
      const deflect = (id: string, at: string) =>
        store.recordDeflection({
          article: { source: 'servicenow', id },
          text: 'egress',
          actor: 'user:default/jonas',
          now: new Date(at),
        });
      await deflect('KB0010001', '2026-12-07T09:00:00Z');
      await deflect('KB0010001', '2026-12-07T10:00:00Z');
      await deflect('KB0010002', '2026-12-07T11:00:00Z');
      await deflect('KB0010002', '2026-12-08T11:00:00Z');
      expect(
        await store.deflectionsByArticle(
          new Date('2026-12-07T00:00:00Z'),
          new Date('2026-12-08T00:00:00Z'),
        ),
      ).toEqual([
        { source: 'servicenow', id: 'KB0010001', count: 2 },
        { source: 'servicenow', id: 'KB0010002', count: 1 },
      ]);
    },
  );
});
