import {
  ClassificationRule,
  Incident,
  Tier,
  classifyTicket,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'crypto';
import { hostname } from 'os';
import type { IncidentProviderConnection } from '@acme/plugin-incident-ops-node';
import type { IncidentStore } from '../database/IncidentStore';

/**
 * The connection handed to one provider: everything it pushes is stored under its name, with
 * the tier its assignment group maps to.
 */
export function createProviderConnection(options: {
  store: IncidentStore;
  source: string;
  tierOf: (group?: { id: string; name?: string }) => Tier | undefined;
  rules?: readonly ClassificationRule[];
  /** Called when knowledge articles were written (the suggestion index looks again). */
  onArticlesChanged?: () => void;
  /** Called when incidents changed (the escalation engine looks at them now). */
  onIncidentsChanged?: () => void;
  /**
   * Called, once they are stored, with the open incidents the store did not hold before
   * (knowledge suggestions on arrival). Its failure is logged; the sync goes on.
   */
  onNewOpenIncidents?: (incidents: Incident[]) => Promise<unknown>;
  /**
   * Called, once they are stored, with the correlation ids (report keys) the incidents
   * carry: the rows that stood for those reports are no longer needed.
   */
  onReportedIncidents?: (keys: string[]) => Promise<unknown>;
  logger?: LoggerService;
}): IncidentProviderConnection {
  const { store, source, tierOf, rules, onNewOpenIncidents, logger } = options;
  // this replica, as the holder of the provider's leases
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  return {
    async applyIncidents(incidents) {
      const syncedAt = new Date().toISOString();
      const rows = incidents.map(i => {
        const { type, rule } = classifyTicket(i, rules);
        return {
          ...i,
          source,
          tier: tierOf(i.assignmentGroup),
          ticketType: type,
          ticketTypeRule: rule,
          syncedAt,
        };
      });
      const result = await store.upsertIncidents(rows);
      if (result.stored > 0) options.onIncidentsChanged?.();
      const keys = rows.flatMap(r =>
        r.correlationId ? [r.correlationId] : [],
      );
      if (keys.length > 0) await options.onReportedIncidents?.(keys);
      // the open ones new to the store (the upsert says which it inserted)
      const inserted = new Set(result.inserted);
      const fresh = onNewOpenIncidents
        ? rows.filter(r => isOpenStatus(r.status) && inserted.has(r.id))
        : [];
      if (fresh.length > 0) {
        try {
          await onNewOpenIncidents!(fresh);
        } catch (e) {
          logger?.warn(
            `Knowledge suggestions on arrival failed for ${fresh.length} incidents (${fresh[0].number}…); they are still suggested on demand: ${e}`,
          );
        }
      }
      return {
        stored: result.stored,
        unchanged: result.unchanged,
        quarantined: result.quarantined,
      };
    },
    async applyKnowledgeArticles(articles) {
      const syncedAt = new Date().toISOString();
      const result = await store.upsertKnowledgeArticles(
        articles.map(a => ({ ...a, source, syncedAt })),
      );
      if (result.stored > 0) options.onArticlesChanged?.();
      return result;
    },
    quarantine: records => store.quarantine(source, records, new Date()),
    reconcile: (presentIds, reconcileOptions) =>
      store.reconcile(source, presentIds, new Date(), reconcileOptions),
    getCursor: async () => (await store.getProviderState(source))?.cursor,
    setCursor: cursor => store.setCursor(source, cursor),
    lease: (task, ms) => {
      const now = new Date();
      return store.takeLease(
        source,
        task,
        holder,
        now,
        new Date(now.getTime() + ms),
      );
    },
    releaseLease: task => store.releaseLease(source, task, holder),
    reportSync: report => store.reportSync(source, report),
  };
}
