import type { IncidentStatus, Tier } from '@acme/plugin-incident-ops-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { REPORTED_SOURCE } from '../database/DatabaseIncidentReportStore';
import type { EscalationStore } from '../database/DatabaseEscalationStore';
import type { WorkflowStore } from '../database/DatabaseWorkflowStore';
import {
  MANUAL_TRIGGERS,
  manualEscalation,
} from '../escalation/EscalationEngine';
import type { PlaybookService } from '../playbooks/PlaybookService';

/**
 * What a person does to a ticket: moves it through the workflow (with the playbook gate on
 * resolving) and escalates it one tier up by hand. Each change is recorded with its event,
 * and its write-back is queued in the same transaction.
 */
export class IncidentWorkflow {
  constructor(
    private readonly options: {
      workflow: WorkflowStore;
      escalations: EscalationStore;
      /** The assignment group an escalation to a tier reassigns to. */
      groupOf: (tier: Tier) => string | undefined;
      /** The playbook gate; without it, resolving is never blocked. */
      playbooks?: PlaybookService;
    },
  ) {}

  /**
   * Moves an incident to `to`. Resolving is blocked (409) by a playbook run with a
   * verification step not verified, or by no run of the playbook its ticket type maps to,
   * unless an override reason is given, which is then recorded.
   */
  async transition(options: {
    number: string;
    to: IncidentStatus;
    note?: string;
    closeCode?: string;
    overrideReason?: string;
    actor: string;
    now?: Date;
  }) {
    const { number, to, overrideReason, actor } = options;
    const { workflow, playbooks } = this.options;
    notReportedOnly(await this.options.escalations.getDueIncident(number));
    const overridden =
      to === 'resolved'
        ? await playbooks?.checkResolvable(number, overrideReason)
        : undefined;
    const result = await workflow.transition({
      number,
      to,
      note: options.note,
      closeCode: options.closeCode,
      actor,
      now: options.now ?? new Date(),
    });
    if (overridden) {
      await playbooks!.recordOverride(
        number,
        overridden,
        overrideReason!,
        actor,
      );
    }
    return { ...result, overridden };
  }

  /**
   * Escalates an incident one tier up by hand, explained by its trigger and note; its tier
   * clocks start again at once. Throws NotFoundError, or ConflictError at L3 or when closed.
   */
  async escalate(options: {
    number: string;
    trigger: (typeof MANUAL_TRIGGERS)[number];
    note: string;
    actor: string;
    now?: Date;
  }) {
    const { escalations, groupOf } = this.options;
    const incident = await escalations.getDueIncident(options.number);
    if (!incident) throw new NotFoundError(`No incident ${options.number}`);
    notReportedOnly(incident);
    const now = options.now ?? new Date();
    const decision = manualEscalation({ ...options, incident, now });
    await escalations.recordDecision({
      incident,
      decision,
      assignmentGroup: groupOf(decision.to!),
      now,
    });
    // look at it again now: the new tier's clocks start
    await escalations.setEscalationDueAt([{ incident, at: now }]);
    return decision;
  }
}

/**
 * A ticket reported in the suite and not filed in its source yet (its provisional RPT
 * number) has nothing to write back to: it is worked once the source has it.
 */
function notReportedOnly(incident?: { source: string; number: string }) {
  if (incident?.source === REPORTED_SOURCE) {
    throw new ConflictError(
      `${incident.number} is not filed in ServiceNow yet; it can be worked once it has its number there`,
    );
  }
}
