import {
  ANNOTATION_SERVICENOW_CMDB_CI,
  ENTITY_TYPE_CLUSTER,
  ExtractedIncidentFields,
  Incident,
  Playbook,
  PlaybookFieldValue,
  PlaybookStepStatus,
  PlaybookStepView,
  buildStepViews,
  currentStatuses,
  extractIncidentFields,
  resolvePlaybookValues,
  unverifiedSteps,
  validatePlaybookValues,
} from '@acme/plugin-incident-ops-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  DatabasePlaybookStore,
  PlaybookRun,
} from '../database/DatabasePlaybookStore';
import type { IncidentStore } from '../database/IncidentStore';
import type { PlaybookLibrary } from './playbookLibrary';

/** An incident's playbook, filled from it, with its run's state: `GET /incidents/{n}/playbook`. */
export interface PlaybookView {
  number: string;
  ticketType?: string;
  /** The playbook its ticket type maps to (Appendix A / config), if any. */
  mappedPlaybookId?: string;
  /** The run's playbook, else the mapped one; absent when there is neither. */
  playbook?: { id: string; title: string; summary: string };
  run?: {
    id: number;
    status: PlaybookRun['status'];
    startedBy: string;
    startedAt: string;
    updatedAt: string;
    completedAt?: string;
  };
  fields: PlaybookFieldValue[];
  /** Fields the steps use that have no value: supply them when starting or completing. */
  missing: string[];
  steps: PlaybookStepView[];
  /** Verification steps not verified: resolving needs an override reason while any are. */
  unverified: string[];
  /** Every playbook, to start another one than the mapped one. */
  available: Array<{ id: string; title: string }>;
}

/** Playbook runs on incidents: what the routes and the resolve rule use. */
export class PlaybookService {
  constructor(
    private readonly options: {
      library: PlaybookLibrary;
      store: DatabasePlaybookStore;
      incidents: IncidentStore;
      catalog: CatalogService;
    },
  ) {}

  get library() {
    return this.options.library;
  }

  private async incident(number: string): Promise<Incident> {
    const incident = await this.options.incidents.getIncidentByNumber(number);
    if (!incident) throw new NotFoundError(`No incident ${number}`);
    return incident;
  }

  /** What the incident says; a CMDB CI without `:` is a cluster when the catalog says so. */
  private async extract(
    incident: Incident,
    credentials: BackstageCredentials,
  ): Promise<ExtractedIncidentFields> {
    const ci = incident.configurationItem?.name;
    let clusterCi = false;
    if (ci && !ci.includes(':')) {
      const { items } = await this.options.catalog.getEntities(
        {
          filter: {
            kind: 'Resource',
            'spec.type': ENTITY_TYPE_CLUSTER,
            [`metadata.annotations.${ANNOTATION_SERVICENOW_CMDB_CI}`]: ci,
          },
          fields: ['metadata.name'],
          limit: 1,
        },
        { credentials },
      );
      clusterCi = items.length > 0;
    }
    return extractIncidentFields(incident, { isCluster: () => clusterCi });
  }

  private buildView(
    incident: Incident,
    extracted: ExtractedIncidentFields,
    run: PlaybookRun | undefined,
    results: Awaited<ReturnType<DatabasePlaybookStore['results']>>,
  ): PlaybookView {
    const { library } = this.options;
    const mapped = library.forTicketType(incident.ticketType);
    const playbook: Playbook | undefined = run?.playbook ?? mapped?.playbook;
    const view: PlaybookView = {
      number: incident.number,
      fields: [],
      missing: [],
      steps: [],
      unverified: [],
      available: library
        .list()
        .map(l => ({ id: l.playbook.id, title: l.playbook.title })),
    };
    if (incident.ticketType) view.ticketType = incident.ticketType;
    if (mapped) view.mappedPlaybookId = mapped.playbook.id;
    if (!playbook) return view;
    view.playbook = {
      id: playbook.id,
      title: playbook.title,
      summary: playbook.summary,
    };
    if (run) {
      view.run = {
        id: run.id,
        status: run.status,
        startedBy: run.startedBy,
        startedAt: run.startedAt,
        updatedAt: run.updatedAt,
      };
      if (run.completedAt) view.run.completedAt = run.completedAt;
    }
    view.fields = resolvePlaybookValues(playbook, extracted, run?.values ?? {});
    view.steps = buildStepViews(playbook, view.fields, results);
    view.missing = [...new Set(view.steps.flatMap(s => s.missing))];
    view.unverified = run
      ? unverifiedSteps(playbook, currentStatuses(results)).map(s => s.id)
      : [];
    return view;
  }

  async view(
    number: string,
    credentials: BackstageCredentials,
  ): Promise<PlaybookView> {
    const incident = await this.incident(number);
    const run = await this.options.store.currentRun(number);
    const results = run ? await this.options.store.results(run.id) : {};
    return this.buildView(
      incident,
      await this.extract(incident, credentials),
      run,
      results,
    );
  }

  /** Starts the mapped playbook, or `playbookId`, with the engineer's values. */
  async start(
    number: string,
    request: {
      playbookId?: string;
      values?: Record<string, unknown>;
      replace?: boolean;
    },
    actor: string,
    credentials: BackstageCredentials,
  ): Promise<PlaybookView> {
    const { library, store } = this.options;
    const incident = await this.incident(number);
    let loaded = library.forTicketType(incident.ticketType);
    if (request.playbookId) {
      loaded = library.get(request.playbookId);
      if (!loaded) {
        throw new InputError(
          `No playbook '${request.playbookId}' (playbooks: ${library
            .list()
            .map(l => l.playbook.id)
            .join(', ')})`,
        );
      }
    }
    if (!loaded) {
      throw new InputError(
        `${number} is of ticket type ${
          incident.ticketType ?? 'unknown'
        }, which has no playbook: name one in playbookId`,
      );
    }
    const { values, problems } = validatePlaybookValues(
      loaded.playbook,
      request.values ?? {},
    );
    if (problems.length > 0) throw new InputError(problems.join('; '));
    await store.startRun({
      number,
      playbook: loaded.playbook,
      values,
      replace: request.replace ?? false,
      actor,
      now: new Date(),
    });
    return this.view(number, credentials);
  }

  /** Records a step's outcome on the incident's current run. */
  async recordStep(
    number: string,
    stepId: string,
    request: {
      status: PlaybookStepStatus;
      note?: string;
      values?: Record<string, unknown>;
    },
    actor: string,
    credentials: BackstageCredentials,
  ): Promise<PlaybookView> {
    const incident = await this.incident(number);
    const extracted = await this.extract(incident, credentials);
    await this.options.store.recordStep({
      number,
      stepId,
      status: request.status,
      note: request.note,
      values: request.values ?? {},
      extracted: playbook =>
        Object.fromEntries(
          resolvePlaybookValues(playbook, extracted, {}).map(f => [
            f.name,
            f.value,
          ]),
        ),
      actor,
      now: new Date(),
    });
    return this.view(number, credentials);
  }

  /**
   * The resolve rule: while the incident's run has a verification step that is not
   * verified, resolving is a conflict naming the steps, unless an override reason is given.
   * Returns what was overridden (to record once the transition is made), or undefined.
   */
  async checkResolvable(
    number: string,
    overrideReason: string | undefined,
  ): Promise<{ run: PlaybookRun; steps: string[] } | undefined> {
    const run = await this.options.store.currentRun(number);
    if (!run) return undefined;
    const current = currentStatuses(await this.options.store.results(run.id));
    const steps = unverifiedSteps(run.playbook, current).map(s => s.id);
    if (steps.length === 0) return undefined;
    if (!overrideReason?.trim()) {
      throw new ConflictError(
        `${number} cannot be resolved: ${run.playbook.title} step(s) ${steps
          .map(s => `${s} (${current[s] ?? 'pending'})`)
          .join(
            ', ',
          )} not verified. Verify them, or give an overrideReason to resolve anyway`,
      );
    }
    return { run, steps };
  }

  async recordOverride(
    number: string,
    overridden: { run: PlaybookRun; steps: string[] },
    reason: string,
    actor: string,
  ) {
    await this.options.store.recordOverride({
      number,
      ...overridden,
      reason: reason.trim(),
      actor,
      now: new Date(),
    });
  }
}
