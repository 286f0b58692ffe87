import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  EscalationDecision,
  EscalationPolicy,
  EscalationSubject,
  Tier,
  evaluateEscalation,
  nextEscalationDueAt,
} from '@acme/plugin-incident-ops-common';
import type {
  DatabaseWorkflowStore,
  DueIncident,
} from '../database/DatabaseWorkflowStore';

/**
 * Runs the escalation policy over the incidents whose time has come (their due time is
 * indexed, so an idle tick reads nothing), records each decision once, and stores when each
 * incident is due next.
 */
export class EscalationEngine {
  constructor(
    private readonly options: {
      store: DatabaseWorkflowStore;
      policy: EscalationPolicy;
      /** The assignment group an escalation to a tier reassigns to. */
      groupOf: (tier: Tier) => string | undefined;
      logger: LoggerService;
      now?: () => Date;
      batchSize?: number;
    },
  ) {}

  async tick(): Promise<{ evaluated: number; decisions: number }> {
    const { store, policy, groupOf, logger } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    let evaluated = 0;
    let decisions = 0;
    for (;;) {
      const due = await store.listDueForEscalation(
        now,
        this.options.batchSize ?? 1000,
      );
      if (due.length === 0) break;
      const context = await store.escalationContext(due);
      const next: Array<{ incident: DueIncident; at: Date | undefined }> = [];
      for (const incident of due) {
        const subject = toSubject(incident, context);
        const taken = [...subject.fired!];
        let escalatedTo: Tier | undefined;
        for (const decision of evaluateEscalation(subject, policy, now)) {
          // recorded here or by another replica a moment ago: either way it is escalated
          if (decision.action === 'escalate') escalatedTo = decision.to;
          const recorded = await store.recordDecision({
            incident,
            decision,
            assignmentGroup: decision.to ? groupOf(decision.to) : undefined,
            now,
          });
          taken.push(decision.key);
          if (recorded) {
            decisions++;
            logger.info(
              `${incident.number}: ${decision.action} (${decision.rule}) ${decision.explanation}`,
            );
          }
        }
        // Escalated now: it waits at its new tier for the receiving team.
        const after: EscalationSubject = escalatedTo
          ? {
              ...subject,
              tier: escalatedTo,
              tierEnteredAt: now.toISOString(),
              status: 'escalated',
              fired: taken,
            }
          : { ...subject, fired: taken };
        next.push({ incident, at: nextEscalationDueAt(after, policy, now) });
        evaluated++;
      }
      await store.setEscalationDueAt(next);
      if (due.length < (this.options.batchSize ?? 1000)) break;
    }
    return { evaluated, decisions };
  }
}

/** Triggers a person can escalate with (operational model, III.2 and IV). */
export const MANUAL_TRIGGERS = [
  'stakeholder-request',
  'architectural-impact',
  'complexity',
  'kb-exhausted',
] as const;

/**
 * A person's escalation: one tier up from where the ticket is (no tier counts as L1), with
 * the trigger and note as its explanation. Throws a ConflictError at L3 or when closed.
 */
export function manualEscalation(options: {
  incident: DueIncident;
  trigger: (typeof MANUAL_TRIGGERS)[number];
  note: string;
  actor: string;
  now: Date;
}): EscalationDecision {
  const { incident, trigger, note, actor, now } = options;
  if (incident.status === 'resolved' || incident.status === 'closed') {
    throw new ConflictError(
      `${incident.number} is ${incident.status}: reopen it before escalating`,
    );
  }
  const from: Tier = incident.tier ?? 'L1';
  if (from === 'L3') {
    throw new ConflictError(
      `${incident.number} is already at L3 (Evangelist): there is no tier above`,
    );
  }
  const to: Tier = from === 'L1' ? 'L2' : 'L3';
  const stay = `${from}@${incident.tierEnteredAt ?? incident.openedAt}`;
  return {
    action: 'escalate',
    rule: `manual-${trigger}`,
    from,
    to,
    explanation: `${actor} escalated it (${trigger}): ${note}`,
    clocks: {
      open: now.getTime() - Date.parse(incident.openedAt),
      paused: 0,
    },
    key: `manual-${trigger}:${stay}:${now.getTime()}`,
  };
}

/** The evaluator's view of a stored incident. */
export function toSubject(
  incident: DueIncident,
  context: Awaited<ReturnType<DatabaseWorkflowStore['escalationContext']>>,
): EscalationSubject {
  const history = [...context.history(incident)];
  // Status changes made in ServiceNow are known only as the current status since the last
  // update; the suite's own transitions are known exactly.
  const last = history[history.length - 1]?.status;
  if (last !== incident.status) {
    history.push({ at: incident.sourceUpdatedAt, status: incident.status });
  }
  return {
    priority: incident.priority,
    status: incident.status,
    tier: incident.tier,
    tierEnteredAt: incident.tierEnteredAt,
    openedAt: incident.openedAt,
    // First response is not synced yet: anything assigned or past unassigned counts as
    // answered, from when it was opened.
    respondedAt:
      incident.assigned || incident.status !== 'unassigned'
        ? incident.openedAt
        : undefined,
    history,
    fired: context.fired(incident),
  };
}
