import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  EscalationDecision,
  EscalationPolicy,
  EscalationSubject,
  Tier,
  escalationClocks,
  evaluateEscalation,
  nextEscalationDueAt,
  slaClock,
} from '@acme/plugin-incident-ops-common';
import type {
  DueIncident,
  EscalationContext,
  EscalationStore,
  SlaOrder,
} from '../database/DatabaseEscalationStore';
import type { PolicyBook } from './PolicyBook';

/**
 * Runs the escalation policy over the incidents whose time has come (their due time is
 * indexed, so an idle tick reads nothing), records each decision once, and stores when each
 * incident is due next.
 */
export class EscalationEngine {
  constructor(
    private readonly options: {
      store: EscalationStore;
      /** The policies by id (one book per plugin, shared with the API's incident view). */
      policies: PolicyBook;
      /** The assignment group an escalation to a tier reassigns to. */
      groupOf: (tier: Tier) => string | undefined;
      logger: LoggerService;
      now?: () => Date;
      batchSize?: number;
    },
  ) {}

  async tick(): Promise<{ evaluated: number; decisions: number }> {
    const { store, groupOf, logger } = this.options;
    const book = this.options.policies;
    const now = (this.options.now ?? (() => new Date()))();
    await book.ensureSaved(now);
    let evaluated = 0;
    let decisions = 0;
    let after: { dueAt: Date; sourceId: string } | undefined;
    // A page's due times are written while the next page is read and evaluated (the rows
    // written lie behind the page cursor, and its decisions are kept by then); one write in
    // flight at a time.
    let writing: Promise<unknown> = Promise.resolve();
    const write: { failed?: unknown } = {};
    const written = async () => {
      await writing;
      if (write.failed) throw write.failed;
    };
    const batchSize = this.options.batchSize ?? 5000;
    // the next page is read while this one is evaluated: it starts where this one ends
    const read = (from?: typeof after) =>
      store.listDueForEscalation(now, batchSize, from);
    let reading = read();
    for (;;) {
      const due = await reading;
      if (due.length === 0) break;
      const last = due[due.length - 1];
      after = { dueAt: last.dueAt, sourceId: last.sourceId };
      const more = due.length === batchSize;
      if (more) {
        reading = read(after);
        // (an error is thrown where it is awaited)
        reading.catch(() => {});
      }
      const policies = await book.forIncidents(due);
      const [context, similar] = await Promise.all([
        store.escalationContext(due),
        store.similarP2s(
          due,
          Math.max(...policies.map(p => p.policy.recurringP2.window)),
        ),
      ]);
      const next: Parameters<EscalationStore['setEscalationDueAt']>[0] = [];
      const found: Array<{
        incident: DueIncident;
        decision: EscalationDecision;
        assignmentGroup?: string;
      }> = [];
      const evaluatedNow = due.map((incident, n) => {
        const { id, policy, current } = policies[n];
        const subject = toSubject(incident, context, similar);
        const made = evaluateEscalation(subject, policy, now).map(d =>
          current
            ? d
            : {
                ...d,
                explanation: `${d.explanation} (on policy ${id.slice(
                  0,
                  12,
                )}, in force when it entered ${
                  incident.tier ?? 'L1 triage'
                }; the current one is ${book.currentId.slice(0, 12)})`,
              },
        );
        for (const decision of made) {
          found.push({
            incident,
            decision,
            assignmentGroup: decision.to ? groupOf(decision.to) : undefined,
          });
        }
        return { incident, subject, made, id, policy };
      });
      for (const { incident, subject, made, id, policy } of evaluatedNow) {
        const taken = made.length
          ? [...subject.fired!, ...made.map(d => d.key)]
          : subject.fired!;
        // recorded here or by another replica a moment ago: either way it is escalated
        const escalatedTo = made.find(d => d.action === 'escalate')?.to;
        // Escalated now: it waits at its new tier for the receiving team, on the policy in
        // force now.
        if (escalatedTo) {
          const atNewTier: EscalationSubject = {
            ...subject,
            tier: escalatedTo,
            tierEnteredAt: now.toISOString(),
            status: 'escalated',
            fired: taken,
          };
          next.push({
            incident,
            at: nextEscalationDueAt(atNewTier, book.current, now),
            policy: { id: book.currentId, tierEnteredAt: now },
            sla: slaOrder(atNewTier, book.current, now),
          });
        } else {
          next.push({
            incident,
            at: nextEscalationDueAt(
              made.length ? { ...subject, fired: taken } : subject,
              policy,
              now,
            ),
            // the policy its stay runs on, kept when it is not yet
            policy:
              incident.tierEnteredAt &&
              (incident.policyId !== id ||
                incident.policyTierEnteredAt !== incident.tierEnteredAt)
                ? { id, tierEnteredAt: new Date(incident.tierEnteredAt) }
                : undefined,
            sla: slaOrder(subject, policy, now),
          });
        }
        evaluated++;
      }
      // one transaction for the page; each decision is recorded once across replicas
      const recorded = await store.recordDecisions(found, now);
      for (const [n, { incident, decision }] of found.entries()) {
        if (!recorded[n]) continue;
        decisions++;
        logger.info(
          `${incident.number}: ${decision.action} (${decision.rule}) ${decision.explanation}`,
        );
      }
      await written();
      writing = store.setEscalationDueAt(next).catch(e => {
        write.failed = e;
      });
      if (!more) break;
    }
    await written();
    return { evaluated, decisions };
  }
}

/**
 * Where the subject's SLA clock puts it in the queue's breaching-first order, from now until
 * the ticket changes: a running clock by the instant it reaches (or reached) its limit, a
 * paused one by its time used minus its limit (it stands still), a stopped one by neither.
 */
export function slaOrder(
  subject: EscalationSubject,
  policy: EscalationPolicy,
  now: Date,
): SlaOrder {
  const sla = slaClock(
    escalationClocks(subject, policy, now),
    subject.status,
    now,
  );
  const over =
    sla.state === 'breached' ? sla.overByMs ?? 0 : -(sla.leftMs ?? 0);
  if (sla.state === 'stopped') return {};
  if (subject.status === 'awaiting-customer') return { frozenOverMs: over };
  return { breachAt: new Date(now.getTime() - over) };
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
  context: EscalationContext,
  similar?: Map<string, Array<{ number: string; openedAt: string }>>,
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
    assignmentGroup: incident.assignmentGroup,
    openedAt: incident.openedAt,
    // first work: set by sync at the first version showing it taken or moved on, or by
    // the suite's own transition
    respondedAt: incident.respondedAt,
    history,
    signals: context.signals(incident),
    fired: context.fired(incident),
    similarP2s: similar?.get(`${incident.source}:${incident.sourceId}`),
  };
}
