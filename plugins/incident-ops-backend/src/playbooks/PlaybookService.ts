import {
  ANNOTATION_APP_LABEL,
  ANNOTATION_EGRESS_CIDR,
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
import type { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  PlaybookStore,
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
  /**
   * Verification steps not verified (of the mapped playbook, all of them, when it was not
   * run): resolving needs an override reason while any are.
   */
  unverified: string[];
  /** Every playbook, to start another one than the mapped one. */
  available: Array<{ id: string; title: string }>;
}

/**
 * What resolving with an override reason passed over: the playbook's unverified verification
 * steps, on its run, or with no run when the ticket type's playbook was not started.
 */
export interface Overridden {
  playbook: Playbook;
  run?: PlaybookRun;
  steps: string[];
}

/** Playbook runs on incidents: what the routes and the resolve rule use. */
export class PlaybookService {
  constructor(
    private readonly options: {
      library: PlaybookLibrary;
      store: PlaybookStore;
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

  /** The cluster Resource whose CMDB CI (or, with `byName`, whose name) is `name`. */
  private async cluster(
    name: string,
    credentials: BackstageCredentials,
    byName: boolean,
  ): Promise<Entity | undefined> {
    const kind = { kind: 'Resource', 'spec.type': ENTITY_TYPE_CLUSTER };
    const { items } = await this.options.catalog.getEntities(
      {
        filter: [
          {
            ...kind,
            [`metadata.annotations.${ANNOTATION_SERVICENOW_CMDB_CI}`]: name,
          },
          ...(byName ? [{ ...kind, 'metadata.name': name }] : []),
        ],
        fields: ['metadata.name', 'metadata.annotations'],
        limit: 1,
      },
      { credentials },
    );
    return items[0];
  }

  /**
   * The pods' app label from the catalog: of the namespace's service the ticket names, else
   * of its only service; the component's `app-label` annotation, else its name.
   */
  private async appLabel(
    incident: Incident,
    namespace: string,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          kind: 'Component',
          'spec.type': 'service',
          'relations.dependsOn': `resource:default/${namespace}`,
        },
        fields: ['metadata.name', 'metadata.annotations'],
      },
      { credentials },
    );
    const text = `${incident.shortDescription}\n${
      incident.description ?? ''
    }`.toLowerCase();
    const named = items.filter(e => {
      const name = e.metadata.name.toLowerCase();
      return text
        .split(/[^a-z0-9-]+/)
        .some(word => word.replace(/^-+|-+$/g, '') === name);
    });
    let service: Entity | undefined;
    if (named.length === 1) service = named[0];
    else if (named.length === 0 && items.length === 1) service = items[0];
    if (!service) return undefined;
    return (
      service.metadata.annotations?.[ANNOTATION_APP_LABEL]?.trim() ||
      service.metadata.name
    );
  }

  /**
   * What the incident says, and what the catalog adds: a CMDB CI without `:` is a cluster when
   * the catalog says so; the cluster's egress (SNAT) range; the pods' app label when the text
   * names none.
   */
  private async extract(
    incident: Incident,
    credentials: BackstageCredentials,
  ): Promise<ExtractedIncidentFields> {
    const ci = incident.configurationItem?.name;
    let cluster: Entity | undefined;
    if (ci && !ci.includes(':')) {
      cluster = await this.cluster(ci, credentials, false);
    }
    const out = extractIncidentFields(incident, {
      isCluster: () => cluster !== undefined,
    });
    if (out.cluster && !cluster) {
      cluster = await this.cluster(out.cluster, credentials, true);
    }
    const egress = cluster?.metadata.annotations?.[ANNOTATION_EGRESS_CIDR];
    if (egress?.trim()) out.egressCidr = egress.trim();
    if (!out.appLabel && out.namespace) {
      const app = await this.appLabel(incident, out.namespace, credentials);
      if (app) out.appLabel = app;
    }
    return out;
  }

  private buildView(
    incident: Incident,
    extracted: ExtractedIncidentFields,
    run: PlaybookRun | undefined,
    results: Awaited<ReturnType<PlaybookStore['results']>>,
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
    // without a run, the mapped playbook's verification steps are all still to verify
    view.unverified = unverifiedSteps(playbook, results).map(s => s.id);
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
   * The resolve rule: while the incident's run has a verification step that is not verified,
   * or there is no run and its ticket type maps to a playbook (every playbook has a
   * verification step), resolving is a conflict naming the steps, unless an override reason
   * is given. Returns what was overridden (to record once the transition is made), or
   * undefined.
   */
  async checkResolvable(
    number: string,
    overrideReason: string | undefined,
  ): Promise<Overridden | undefined> {
    const run = await this.options.store.currentRun(number);
    const override = !!overrideReason?.trim();
    if (!run) {
      const incident = await this.incident(number);
      const mapped = this.options.library.forTicketType(incident.ticketType);
      if (!mapped) return undefined;
      const { playbook } = mapped;
      const steps = unverifiedSteps(playbook, {}).map(s => s.id);
      if (steps.length === 0) return undefined;
      if (!override) {
        throw new ConflictError(
          `${number} cannot be resolved: its ticket type ${
            incident.ticketType
          } runs the ${
            playbook.title
          } playbook, which was not run (verification step(s) ${steps.join(
            ', ',
          )} not verified). Run it and verify, or give an overrideReason to resolve anyway`,
        );
      }
      return { playbook, steps };
    }
    const results = await this.options.store.results(run.id);
    const current = currentStatuses(results);
    const steps = unverifiedSteps(run.playbook, results).map(s => s.id);
    if (steps.length === 0) return undefined;
    if (!override) {
      throw new ConflictError(
        `${number} cannot be resolved: ${run.playbook.title} step(s) ${steps
          .map(
            s =>
              `${s} (${
                current[s] === 'verified'
                  ? 'verified before a step it proves failed'
                  : current[s] ?? 'pending'
              })`,
          )
          .join(
            ', ',
          )} not verified. Verify them, or give an overrideReason to resolve anyway`,
      );
    }
    return { playbook: run.playbook, run, steps };
  }

  async recordOverride(
    number: string,
    overridden: Overridden,
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
