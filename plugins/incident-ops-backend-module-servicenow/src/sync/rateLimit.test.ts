import { mockServices } from '@backstage/backend-test-utils';
import { createSimulator } from '@acme/servicenow-simulator';
import type {
  IncidentProviderConnection,
  IncidentSyncReport,
} from '@acme/plugin-incident-ops-node';
import {
  ServiceNowClient,
  ServiceNowRateLimitError,
} from '../client/ServiceNowClient';
import { ServiceNowIncidentProvider } from './ServiceNowIncidentProvider';

describe('a sync run rate limited past the cap', () => {
  it('ends cleanly with its cursor saved, and the next run resumes there', async () => {
    const clock = new Date('2026-11-25T12:00:00Z');
    const sim = createSimulator({ now: () => clock, seedAnchor: clock });
    const running = await sim.listen(0);
    try {
      const stored = new Map<string, number>();
      let cursor: string | undefined;
      const reports: IncidentSyncReport[] = [];
      const connection: IncidentProviderConnection = {
        applyIncidents: async batch => {
          for (const i of batch) stored.set(i.id, (stored.get(i.id) ?? 0) + 1);
          return { stored: batch.length, unchanged: 0 };
        },
        applyKnowledgeArticles: async batch => ({
          stored: batch.length,
          unchanged: 0,
        }),
        quarantine: async () => {},
        reconcile: async () => ({ removed: 0, restored: 0 }),
        getCursor: async () => cursor,
        setCursor: async c => {
          cursor = c;
        },
        reportSync: async r => {
          reports.push(r);
        },
      };
      const sleeps: number[] = [];
      const logger = mockServices.logger.mock();
      const provider = new ServiceNowIncidentProvider({
        config: {
          baseUrl: running.url,
          auth: { type: 'basic', username: 'admin', password: 'admin' },
          pageSize: 5,
          schedule: { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
          reconcileSchedule: {
            frequency: { hours: 1 },
            timeout: { minutes: 1 },
          },
          runBudgetMs: 60_000,
          reconcile: { maxRemovalShare: 0.2 },
        },
        client: new ServiceNowClient({
          baseUrl: running.url,
          auth: { type: 'basic', username: 'admin', password: 'admin' },
          logger,
          now: () => clock,
          sleep: async ms => {
            sleeps.push(ms);
          },
        }),
        logger,
        now: () => clock,
      });
      await provider.connect(connection);

      // the third page is refused for 10 minutes: more than the client may wait
      sim.faults.rateLimitEvery = 3;
      sim.faults.retryAfterSeconds = 600;
      const error = await provider.sync().catch(e => e);
      expect(error).toBeInstanceOf(ServiceNowRateLimitError);
      expect(error.retryAfter).toEqual(new Date(clock.getTime() + 600_000));
      expect(sleeps).toEqual([]);
      expect(reports).toHaveLength(1);
      expect(reports[0].error).toMatch(
        /^ServiceNowRateLimitError: GET \/api\/now\/table\/incident was rate limited for 600 s/,
      );
      expect(stored.size).toBe(10);
      expect(JSON.parse(cursor!).incident.lastId).toBe(
        [...stored.keys()].sort().at(-1),
      );

      // later, the limit lifted: the run resumes after the last page it stored
      sim.faults.rateLimitEvery = 0;
      await provider.sync();
      expect(stored.size).toBe(sim.store.count('incident'));
      expect([...stored.values()].every(n => n === 1)).toBe(true);
    } finally {
      await running.close();
    }
  });
});
