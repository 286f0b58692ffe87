import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  Playbook,
  PlaybookStepResult,
  PlaybookStepStatus,
  allowedStepStatuses,
  currentStatuses,
  isRunComplete,
  stepBlockers,
  unverifiedSteps,
  validatePlaybookValues,
} from '@acme/plugin-incident-ops-common';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import { isPostgres, isoOf } from './rows';

/** A playbook run as stored. */
export interface PlaybookRun {
  id: number;
  number: string;
  playbook: Playbook;
  ticketType?: string;
  status: 'active' | 'completed' | 'abandoned';
  /** Values the engineer supplied. */
  values: Record<string, string>;
  startedBy: string;
  startedAt: string;
  updatedAt: string;
  completedAt?: string;
}

function runFromRow(r: Record<string, any>): PlaybookRun {
  return {
    id: Number(r.id),
    number: r.number,
    playbook: JSON.parse(r.definition),
    ticketType: r.ticket_type ?? undefined,
    status: r.status,
    values: JSON.parse(r.field_values),
    startedBy: r.started_by,
    startedAt: isoOf(r.started_at)!,
    updatedAt: isoOf(r.updated_at)!,
    completedAt: isoOf(r.completed_at),
  };
}

/** When a run was completed: kept from the first time, cleared when it is not any more. */
function completedAt(complete: boolean, run: PlaybookRun, now: Date) {
  if (!complete) return null;
  return run.completedAt ? new Date(run.completedAt) : now;
}

/** The incident row a change is made under, locked on PostgreSQL. */
async function lockIncident(tx: Knex.Transaction, number: string) {
  const query = tx('incidents').where({ number }).whereNull('removed_at');
  if (isPostgres(tx)) query.forUpdate();
  const row = await query.first();
  if (!row) throw new NotFoundError(`No incident ${number}`);
  return row;
}

/** What `startRun` is given. */
export interface StartRunOptions {
  number: string;
  playbook: Playbook;
  values: Record<string, string>;
  replace: boolean;
  actor: string;
  now: Date;
}

/** What `recordStep` is given. */
export interface RecordStepOptions {
  number: string;
  stepId: string;
  status: PlaybookStepStatus;
  note?: string;
  values: Record<string, unknown>;
  /** What the incident gives each field, to tell which needed values are there. */
  extracted: (playbook: Playbook) => Record<string, string | undefined>;
  actor: string;
  now: Date;
}

/** What `recordOverride` is given. */
export interface RecordOverrideOptions {
  number: string;
  playbook: Playbook;
  run?: PlaybookRun;
  steps: string[];
  reason: string;
  actor: string;
  now: Date;
}

/** Playbook runs on incidents, their step results and overrides. */
export interface PlaybookStore {
  /** The incident's current run: the latest one not abandoned. */
  currentRun(number: string, db?: Knex): Promise<PlaybookRun | undefined>;
  /** Each step's outcomes, oldest first. */
  results(
    runId: number,
    db?: Knex,
  ): Promise<Record<string, PlaybookStepResult[]>>;
  /**
   * Starts a run of `playbook` on an incident. With a run under way, this is a conflict
   * unless `replace` is set, which abandons it first.
   */
  startRun(options: StartRunOptions): Promise<PlaybookRun>;
  /**
   * Records a step's outcome on the incident's current run. Throws, changing nothing:
   * NotFoundError (no incident, no such step), ConflictError (no run; a required earlier
   * step not complete; a needed value missing) or InputError (an outcome this kind of step
   * cannot have, no note for skipped/failed, bad values).
   */
  recordStep(options: RecordStepOptions): Promise<PlaybookRun>;
  /**
   * Records that an incident was resolved with verification steps not verified: on its run,
   * or without a run of its ticket type's playbook (`run` absent).
   */
  recordOverride(options: RecordOverrideOptions): Promise<void>;
}

/**
 * Playbook runs and their step outcomes. Each change is one transaction that also writes
 * the incident event (so it shows in the timeline) under a lock on the incident row.
 */
export class DatabasePlaybookStore implements PlaybookStore {
  static async create(options: { database: DatabaseService }) {
    return new DatabasePlaybookStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  /** The incident's current run: the latest one not abandoned. */
  async currentRun(
    number: string,
    db: Knex = this.db,
  ): Promise<PlaybookRun | undefined> {
    const row = await db('playbook_runs')
      .where({ number })
      .whereNot('status', 'abandoned')
      .orderBy('id', 'desc')
      .first();
    return row ? runFromRow(row) : undefined;
  }

  /** Each step's outcomes, oldest first. */
  async results(
    runId: number,
    db: Knex = this.db,
  ): Promise<Record<string, PlaybookStepResult[]>> {
    const rows = await db('playbook_step_results')
      .where({ run_id: runId })
      .orderBy('id');
    const out: Record<string, PlaybookStepResult[]> = {};
    for (const r of rows) {
      const result: PlaybookStepResult = {
        status: r.status,
        actor: r.actor,
        at: isoOf(r.created_at)!,
      };
      if (r.note !== null && r.note !== undefined) result.note = r.note;
      if (r.field_values) result.values = JSON.parse(r.field_values);
      (out[r.step_id] ??= []).push(result);
    }
    return out;
  }

  private async event(
    tx: Knex,
    incident: Record<string, any>,
    event: {
      type: string;
      actor: string;
      note: string;
      details: Record<string, unknown>;
      now: Date;
    },
  ) {
    await tx('incident_events').insert({
      source: incident.source,
      source_id: incident.source_id,
      number: incident.number,
      type: event.type,
      actor: event.actor,
      note: event.note,
      details: JSON.stringify(event.details),
      created_at: event.now,
    });
  }

  /**
   * Starts a run of `playbook` on an incident. With a run under way, this is a conflict
   * unless `replace` is set, which abandons it first.
   */
  async startRun(options: StartRunOptions): Promise<PlaybookRun> {
    const { number, playbook, values, actor, now } = options;
    return this.db.transaction(async tx => {
      const incident = await lockIncident(tx, number);
      if (incident.status === 'closed') {
        throw new ConflictError(
          `${number} is closed: reopen it before starting a playbook`,
        );
      }
      const current = await this.currentRun(number, tx);
      if (current && !options.replace) {
        throw new ConflictError(
          `${number} already has a ${current.status} run of ${current.playbook.id} (started by ${current.startedBy} at ${current.startedAt}); set replace to abandon it and start again`,
        );
      }
      if (current) {
        await tx('playbook_runs')
          .where({ id: current.id })
          .update({ status: 'abandoned', abandoned_at: now, updated_at: now });
        await this.event(tx, incident, {
          type: 'playbook-abandoned',
          actor,
          note: `${actor} abandoned the ${current.playbook.title} playbook run`,
          details: { runId: current.id, playbookId: current.playbook.id },
          now,
        });
      }
      const [inserted] = await tx('playbook_runs')
        .insert({
          source: incident.source,
          source_id: incident.source_id,
          number,
          playbook_id: playbook.id,
          playbook_title: playbook.title,
          definition: JSON.stringify(playbook),
          ticket_type: incident.ticket_type ?? null,
          status: 'active',
          field_values: JSON.stringify(values),
          started_by: actor,
          started_at: now,
          updated_at: now,
        })
        .returning('id');
      const runId = Number(
        typeof inserted === 'object' ? inserted.id : inserted,
      );
      await this.event(tx, incident, {
        type: 'playbook-started',
        actor,
        note: `${actor} started the ${playbook.title} playbook`,
        details: { runId, playbookId: playbook.id, values },
        now,
      });
      return runFromRow(await tx('playbook_runs').where({ id: runId }).first());
    });
  }

  /**
   * Records a step's outcome on the incident's current run. Throws, changing nothing:
   * NotFoundError (no incident, no such step), ConflictError (no run; a required earlier
   * step not complete; a needed value missing) or InputError (an outcome this kind of step
   * cannot have, no note for skipped/failed, bad values).
   */
  async recordStep(options: RecordStepOptions): Promise<PlaybookRun> {
    const { number, stepId, status, actor, now } = options;
    const note = options.note?.trim() || undefined;
    return this.db.transaction(async tx => {
      const incident = await lockIncident(tx, number);
      const run = await this.currentRun(number, tx);
      if (!run) {
        throw new ConflictError(
          `${number} has no playbook run: start one with POST /incidents/${number}/playbook`,
        );
      }
      const { playbook } = run;
      const step = playbook.steps.find(s => s.id === stepId);
      if (!step) {
        throw new NotFoundError(
          `Playbook ${
            playbook.id
          } has no step '${stepId}' (steps: ${playbook.steps
            .map(s => s.id)
            .join(', ')})`,
        );
      }
      const allowed = allowedStepStatuses(step.kind);
      if (!allowed.includes(status)) {
        throw new InputError(
          `Step ${step.id} is a ${
            step.kind
          } step: its status is one of ${allowed.join(', ')}, not ${status}`,
        );
      }
      if ((status === 'skipped' || status === 'failed') && !note) {
        throw new InputError(`A ${status} step needs a note saying why`);
      }
      const checked = validatePlaybookValues(playbook, options.values);
      if (checked.problems.length > 0) {
        throw new InputError(checked.problems.join('; '));
      }
      const results = await this.results(run.id, tx);
      const current = currentStatuses(results);
      const blockers = stepBlockers(playbook, step.id, current);
      if (blockers.length > 0) {
        throw new ConflictError(
          `Step ${step.id} cannot be recorded yet: first complete ${blockers
            .map(b => `${b.id} (${current[b.id] ?? 'pending'})`)
            .join(', ')}`,
        );
      }
      const values = { ...run.values, ...checked.values };
      if (status === 'done' || status === 'verified') {
        const known = { ...options.extracted(playbook), ...values };
        const missing = step.needs.filter(n => known[n] === undefined);
        if (missing.length > 0) {
          throw new ConflictError(
            `Step ${step.id} needs a value for ${missing.join(
              ', ',
            )} before it is ${status}: give it in values`,
          );
        }
      }

      // a run's outcomes in strictly increasing time, whatever the clocks (replicas), so that
      // "failed after it was verified" is well defined
      const latest = Math.max(
        0,
        ...Object.values(results).flatMap(list =>
          list.map(r => Date.parse(r.at)),
        ),
      );
      const at = now.getTime() > latest ? now : new Date(latest + 1);
      await tx('playbook_step_results').insert({
        run_id: run.id,
        playbook_id: playbook.id,
        step_id: step.id,
        step_kind: step.kind,
        status,
        note: note ?? null,
        field_values: Object.keys(checked.values).length
          ? JSON.stringify(checked.values)
          : null,
        actor,
        created_at: at,
      });
      const unverifiedBefore = unverifiedSteps(playbook, results).map(
        s => s.id,
      );
      (results[step.id] ??= []).push({ status, actor, at: at.toISOString() });
      current[step.id] = status;
      const unverified = unverifiedSteps(playbook, results).map(s => s.id);
      // verification steps this outcome undoes (a step before them failed after them)
      const undone = unverified.filter(
        id => id !== step.id && !unverifiedBefore.includes(id),
      );
      const complete =
        isRunComplete(playbook, current) && unverified.length === 0;
      await tx('playbook_runs')
        .where({ id: run.id })
        .update({
          field_values: JSON.stringify(values),
          updated_at: now,
          status: complete ? 'completed' : 'active',
          completed_at: completedAt(complete, run, now),
        });
      await this.event(tx, incident, {
        type: 'playbook-step',
        actor,
        note: `${actor} marked ${playbook.title} step "${
          step.title
        }" ${status}${note ? `: ${note}` : ''}${
          undone.length ? ` (${undone.join(', ')} to be verified again)` : ''
        }`,
        details: {
          runId: run.id,
          playbookId: playbook.id,
          stepId: step.id,
          status,
          ...(Object.keys(checked.values).length
            ? { values: checked.values }
            : {}),
          ...(undone.length ? { unverified: undone } : {}),
        },
        now,
      });
      return runFromRow(
        await tx('playbook_runs').where({ id: run.id }).first(),
      );
    });
  }

  /**
   * Records that an incident was resolved with verification steps not verified: on its run,
   * or without a run of its ticket type's playbook (`run` absent).
   */
  async recordOverride(options: RecordOverrideOptions) {
    const { number, playbook, run, steps, reason, actor, now } = options;
    const incident = await this.db('incidents').where({ number }).first();
    if (!incident) throw new NotFoundError(`No incident ${number}`);
    await this.event(this.db, incident, {
      type: 'playbook-override',
      actor,
      note: run
        ? `${actor} resolved it with ${playbook.title} step(s) ${steps.join(
            ', ',
          )} not verified: ${reason}`
        : `${actor} resolved it without running the ${
            playbook.title
          } playbook (step(s) ${steps.join(', ')} not verified): ${reason}`,
      details: {
        ...(run ? { runId: run.id } : { notRun: true }),
        playbookId: playbook.id,
        unverified: steps,
        reason,
      },
      now,
    });
  }
}
