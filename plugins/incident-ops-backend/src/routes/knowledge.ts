import {
  TicketType,
  incidentOpsKbFeedbackPermission,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import { InputError, NotFoundError } from '@backstage/errors';
import type { Suggestion } from '../knowledge/KnowledgeService';
import { suggestionViews } from '../knowledge/arrivalSuggestions';
import type { IncidentOpsRouter, RouteContext } from './context';

function toItem(s: Suggestion) {
  return {
    articleId: s.article.number,
    title: s.article.title,
    source: s.article.source,
    ...(s.article.url ? { url: s.article.url } : {}),
    ...(s.article.playbook ? { playbook: s.article.playbook } : {}),
    rank: s.rank,
    score: s.score,
    reasons: s.reasons,
    explanation: s.explanation,
  };
}

/**
 * Knowledge suggestions for incidents and texts, articles by id, and the feedback that
 * makes an incident KB-exhausted (an escalation trigger).
 */
export function registerKnowledgeRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const {
    knowledge,
    store,
    workflow,
    escalations,
    tasks,
    authorize,
    authorizeRead,
    actorOf,
    audited,
  } = ctx;
  if (!knowledge) return;

  /** What the suite suggests for an incident now, and the ticket type it went by. */
  const suggestFor = async (number: string, limit = 5) => {
    const incident = await store.getIncidentByNumber(number);
    if (!incident || incident.removedAt) {
      throw new NotFoundError(`No incident ${number}`);
    }
    const ticketType =
      incident.ticketType ?? knowledge.service.classify(incident);
    const suggestions = await knowledge.service.suggest(
      {
        shortDescription: incident.shortDescription,
        description: incident.description,
        ticketType,
      },
      limit,
    );
    const key = { source: incident.source, sourceId: incident.id, number };
    return { incident, ticketType, suggestions, key };
  };

  // A read: it records nothing (the UI says what it showed with POST …/kb-views).
  router.get('/kb/suggestions', async (req, res) => {
    const { incident: number, text, type, limit = 5 } = req.query;
    await authorizeRead(req, number);
    if (number && (text || type)) {
      throw new InputError(
        'Give either incident, or text (and type), not both',
      );
    }
    if (!number) {
      if (!text?.trim()) {
        throw new InputError(
          'Give incident=<number>, or text=<ticket text> (and type=<ticket type>)',
        );
      }
      const ticketType =
        (type as TicketType | undefined) ??
        knowledge.service.classify({ shortDescription: text });
      const suggestions = await knowledge.service.suggest(
        { shortDescription: text, ticketType },
        limit,
      );
      res.json({
        ticketType,
        ticketTypeFrom: type ? 'query' : 'classification',
        items: suggestions.map(toItem),
      });
      return;
    }
    const { incident, ticketType, suggestions, key } = await suggestFor(
      number,
      limit,
    );
    const feedback = new Map(
      (await knowledge.store.latestFeedback(key)).map(f => [
        `${f.article.source}:${f.article.id}`,
        f,
      ]),
    );
    res.json({
      incident: number,
      ticketType,
      ticketTypeFrom: incident.ticketType ? 'incident' : 'classification',
      kb: await knowledge.store.state(key),
      items: suggestions.map(s => {
        const f = feedback.get(`${s.article.source}:${s.article.number}`);
        return {
          ...toItem(s),
          ...(f
            ? {
                feedback: {
                  helpful: f.helpful,
                  ...(f.note ? { note: f.note } : {}),
                  actor: f.actor,
                  at: f.at,
                },
              }
            : {}),
        };
      }),
    });
  });

  // The suggestions the UI showed a user on a ticket: recorded once per user and ticket,
  // as feedback, KB exhaustion and the reports count them.
  router.post('/incidents/:number/kb-views', async (req, res) => {
    const { number } = req.params;
    const actor = actorOf(await authorizeRead(req, number));
    const { ticketType, suggestions, key } = await suggestFor(number);
    const recorded = await knowledge.store.recordViewsOnce(
      key,
      suggestionViews(suggestions, ticketType),
      actor,
      new Date(),
    );
    res.status(recorded ? 201 : 200).json({ recorded });
  });

  router.get('/kb/articles/:id', async (req, res) => {
    await authorizeRead(req);
    const article = await knowledge.store.getArticle(req.params.id);
    if (!article) {
      throw new NotFoundError(`No knowledge article ${req.params.id}`);
    }
    const [feedback, surveys] = await Promise.all([
      knowledge.store.articleFeedback({
        source: article.source,
        id: article.number,
      }),
      // what requestors said on the tickets it was marked on
      ctx.reports?.surveys.figures({
        kind: 'kb-article',
        source: article.source,
        id: article.number,
      }),
    ]);
    res.json({ ...article, feedback, ...(surveys ? { surveys } : {}) });
  });

  router.post('/incidents/:number/kb-feedback', async (req, res) => {
    const { number } = req.params;
    const actor = actorOf(
      await authorize(
        req,
        incidentOpsKbFeedbackPermission,
        `give feedback on the knowledge suggested for ${number}`,
        number,
      ),
    );
    const { articleId, helpful, note } = req.body;
    const { outcome, at } = await audited(
      req,
      'kb-feedback',
      { number, articleId, helpful },
      async () => {
        const incident = await escalations.getDueIncident(number);
        if (!incident) throw new NotFoundError(`No incident ${number}`);
        const article = await knowledge.store.getArticle(articleId);
        if (!article) {
          throw new NotFoundError(`No knowledge article ${articleId}`);
        }
        const now = new Date();
        const key = {
          source: incident.source,
          sourceId: incident.sourceId,
          number,
        };
        const result = await knowledge.store.recordFeedback({
          incident: key,
          article: { source: article.source, id: article.number },
          helpful,
          note: note?.trim() || undefined,
          actor,
          now,
        });
        if (result.becameExhausted) {
          // The escalation engine reads this event as the kbExhausted trigger
          // (rule l1-to-l2-kb-exhausted); it looks at the incident now.
          await workflow.recordEvent({
            ...key,
            type: 'kb-exhausted',
            note: `KB exhausted: all ${result.shown} suggested articles were marked not helpful (last by ${actor})`,
            details: { articles: result.articles, by: actor },
            now,
          });
          if (isOpenStatus(incident.status)) {
            await escalations.setEscalationDueAt([{ incident, at: now }]);
          }
        }
        return {
          result: { outcome: result, at: now },
          meta: {
            feedbackId: result.id,
            exhausted: result.exhausted,
            becameExhausted: result.becameExhausted,
          },
        };
      },
    );
    if (outcome.becameExhausted) {
      // the escalation engine looks at a KB-exhausted incident now
      tasks?.runSoon('escalation');
    }
    res.status(201).json({
      feedback: {
        id: outcome.id,
        articleId,
        helpful,
        ...(note?.trim() ? { note: note.trim() } : {}),
        actor,
        at: at.toISOString(),
      },
      kb: {
        shown: outcome.shown,
        notHelpful: outcome.notHelpful,
        exhausted: outcome.exhausted,
      },
    });
  });
}
