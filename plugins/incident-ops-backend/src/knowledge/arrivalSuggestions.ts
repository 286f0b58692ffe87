import { Incident, isOpenStatus } from '@acme/plugin-incident-ops-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentWriteBack } from '@acme/plugin-incident-ops-node';
import type { Suggestion } from './KnowledgeService';
import type {
  KnowledgeStore,
  SuggestionView,
} from '../database/DatabaseKnowledgeStore';
import type { KnowledgeService } from './KnowledgeService';

/** Who shows the suggestions made when a ticket arrives. */
export const ARRIVAL_ACTOR = 'incident-ops';

/** The write-back key of an incident's suggestions on arrival: one per incident. */
export const arrivalKey = (incident: { source: string; id: string }) =>
  `kb-suggestions:${incident.source}:${incident.id}`;

/** Suggestions as the records of what was shown (feedback, KB exhaustion and reports read them). */
export function suggestionViews(
  suggestions: Suggestion[],
  ticketType: string | undefined,
): SuggestionView[] {
  return suggestions.map(s => ({
    article: { source: s.article.source, id: s.article.number },
    rank: s.rank,
    score: s.score,
    ticketType,
    reasons: s.reasons,
  }));
}

/** The work note that tells the engineer in ServiceNow which articles were suggested, and why. */
export function arrivalWorkNote(
  number: string,
  suggestions: Suggestion[],
): string {
  return [
    `Incident Ops suggests these knowledge articles for ${number}:`,
    ...suggestions.map(
      s =>
        `${s.rank}. ${s.article.title} (${s.article.number}): ${s.explanation}`,
    ),
    'Mark each one helpful or not on the incident in Incident Ops.',
  ].join('\n');
}

/**
 * Suggestions when a ticket arrives: for each open incident sync brought for the first time,
 * the ranked articles are recorded as shown (as when someone opens the incident) and one work
 * note listing them is queued for the source. The write-back's key is the incident's, so it is
 * queued once however often it is asked for; the views are recorded only with the write-back
 * queued now.
 */
export class ArrivalSuggestions {
  constructor(
    private readonly options: {
      knowledge: { store: KnowledgeStore; service: KnowledgeService };
      writeBacks: {
        queueWriteBacksOnce(
          changes: Array<{ source: string; change: IncidentWriteBack }>,
          now: Date,
        ): Promise<Set<string>>;
      };
      logger: LoggerService;
      /** Called when work notes were queued (the outbox can deliver them now). */
      onQueued?: () => void;
      /** Articles per incident; default 5, as on demand. */
      limit?: number;
    },
  ) {}

  /** Returns how many incidents got suggestions. */
  async suggest(incidents: Incident[], now = new Date()): Promise<number> {
    const { knowledge, writeBacks, logger } = this.options;
    const items = [];
    const seen = new Set<string>();
    for (const incident of incidents) {
      if (!isOpenStatus(incident.status)) continue;
      if (seen.has(arrivalKey(incident))) continue;
      seen.add(arrivalKey(incident));
      const ticketType =
        incident.ticketType ?? knowledge.service.classify(incident);
      const suggestions = await knowledge.service.suggest(
        {
          shortDescription: incident.shortDescription,
          description: incident.description,
          ticketType,
        },
        this.options.limit ?? 5,
      );
      if (suggestions.length > 0) {
        items.push({ incident, ticketType, suggestions });
      }
    }
    if (items.length === 0) return 0;
    const queued = await writeBacks.queueWriteBacksOnce(
      items.map(({ incident, suggestions }) => ({
        source: incident.source,
        change: {
          key: arrivalKey(incident),
          id: incident.id,
          number: incident.number,
          expectedVersion: incident.sourceVersion,
          workNote: arrivalWorkNote(incident.number, suggestions),
        },
      })),
      now,
    );
    const mine = items.filter(i => queued.has(arrivalKey(i.incident)));
    if (mine.length === 0) return 0;
    await knowledge.store.recordViewsOf(
      mine.map(({ incident, ticketType, suggestions }) => ({
        incident: {
          source: incident.source,
          sourceId: incident.id,
          number: incident.number,
        },
        views: suggestionViews(suggestions, ticketType),
      })),
      ARRIVAL_ACTOR,
      now,
    );
    logger.info(
      `Knowledge suggestions on arrival for ${mine.length} incidents (${mine
        .slice(0, 5)
        .map(i => i.incident.number)
        .join(', ')}${mine.length > 5 ? ', …' : ''})`,
    );
    this.options.onQueued?.();
    return mine.length;
  }
}
