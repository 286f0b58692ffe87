import {
  ClassificationRule,
  Tier,
  classifyTicket,
} from '@acme/plugin-incident-ops-common';
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
}): IncidentProviderConnection {
  const { store, source, tierOf, rules } = options;
  return {
    async applyIncidents(incidents) {
      const syncedAt = new Date().toISOString();
      const result = await store.upsertIncidents(
        incidents.map(i => {
          const { type, rule } = classifyTicket(i, rules);
          return {
            ...i,
            source,
            tier: tierOf(i.assignmentGroup),
            ticketType: type,
            ticketTypeRule: rule,
            syncedAt,
          };
        }),
      );
      if (result.stored > 0) options.onIncidentsChanged?.();
      return result;
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
    reconcile: presentIds => store.reconcile(source, presentIds, new Date()),
    getCursor: async () => (await store.getProviderState(source))?.cursor,
    setCursor: cursor => store.setCursor(source, cursor),
    reportSync: report => store.reportSync(source, report),
  };
}
