import {
  TICKET_TYPES,
  type TicketType,
  incidentOpsIncidentReadPermission,
} from '@acme/plugin-incident-ops-common';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { suggestionItem } from '../reporting/presentation';
import type { ActionDeps } from './deps';

/** GET /kb/suggestions?text= as an action: a read that records nothing. */
export function registerSuggestKnowledge(
  registry: ActionsRegistryService,
  deps: ActionDeps,
) {
  const { knowledge } = deps;
  registry.register({
    name: 'suggest-knowledge',
    title: 'Suggest knowledge articles for a text',
    description:
      'The knowledge base articles that best match a ticket text (a problem description), best first, each with why it matched and the playbook it links to. The ticket type (e.g. egress, node-provisioning) is classified from the text unless given. Records nothing.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          text: z.string().min(1).describe('The ticket text'),
          ticketType: z
            .enum(TICKET_TYPES as [TicketType, ...TicketType[]])
            .optional()
            .describe('The ticket type; classified from the text if absent'),
          limit: z.number().int().min(1).max(20).default(5),
        }),
      output: z =>
        z.object({
          ticketType: z.string(),
          ticketTypeFrom: z.enum(['input', 'classification']),
          items: z.array(
            z.object({
              articleId: z.string(),
              title: z.string(),
              source: z.string(),
              url: z.string().optional(),
              playbook: z.string().optional(),
              rank: z.number(),
              score: z.number(),
              reasons: z.object({
                matchedTerms: z.array(
                  z.object({
                    term: z.string(),
                    typed: z.string().optional(),
                    fields: z.array(z.string()),
                  }),
                ),
                ticketType: z
                  .object({
                    type: z.string(),
                    via: z.enum(['article', 'classification']),
                  })
                  .optional(),
              }),
              explanation: z.string(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      await deps.access.authorize(
        credentials,
        incidentOpsIncidentReadPermission,
        'read incidents',
      );
      const text = input.text.trim();
      if (!text) throw new InputError('text must not be empty');
      const ticketType =
        input.ticketType ??
        knowledge.service.classify({ shortDescription: text });
      const suggestions = await knowledge.service.suggest(
        { shortDescription: text, ticketType },
        input.limit,
      );
      return {
        output: {
          ticketType,
          ticketTypeFrom: input.ticketType
            ? ('input' as const)
            : ('classification' as const),
          items: suggestions.map(suggestionItem),
        },
      };
    },
  });
}
