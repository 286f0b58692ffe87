import type { Tier } from '@acme/plugin-incident-ops-common';
import { incidentOpsIncidentReadPermission } from '@acme/plugin-incident-ops-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { IncidentProvider } from '@acme/plugin-incident-ops-node';
import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Permission } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';
import type { WorkflowStore } from '../database/DatabaseWorkflowStore';
import type { EscalationStore } from '../database/DatabaseEscalationStore';
import type { WriteBackStore } from '../database/DatabaseWriteBackStore';
import type { IncidentStore } from '../database/IncidentStore';
import type { ContactResolver } from '../contacts/ContactResolver';
import type { PolicyBook } from '../escalation/PolicyBook';
import type { IncidentWorkflow } from '../workflow/IncidentWorkflow';
import type { IncidentOpsTasks } from '../tasks';
import type { QueueStore } from '../database/DatabaseQueueStore';
import type { spec } from '../schema/openapi.generated';
import type { KnowledgeServices } from '../knowledge/setup';
import type { PlaybookService } from '../playbooks/PlaybookService';
import type { LessonService } from '../playbooks/LessonService';
import type { CommunicationServices } from '../notifications/setup';
import type { SurveyStore } from '../database/DatabaseSurveyStore';
import type { ReportBuilder } from '../reports/ReportBuilder';
import type { IncidentAccess } from '../permissions/IncidentAccess';
import type { IncidentRestriction } from '../database/restriction';

/** The typed, OpenAPI-validated router every route module adds its routes to. */
export type IncidentOpsRouter = ReturnType<
  typeof createValidatedOpenApiRouter<typeof spec>
>;

/** What the routes are built from; plugin.ts provides it. */
export interface RouterOptions {
  store: IncidentStore;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  auth: AuthService;
  providers: IncidentProvider[];
  workflow: WorkflowStore;
  escalations: EscalationStore;
  writeBacks: WriteBackStore;
  /** The plugin's scheduled tasks: write-backs and escalations are asked for at once. */
  tasks?: IncidentOpsTasks;
  /** The knowledge base: suggestions, views and feedback. */
  knowledge?: KnowledgeServices;
  /** Playbooks and their runs on incidents; also the resolve rule. */
  playbooks?: PlaybookService;
  lessons?: LessonService;
  /** Transitions and manual escalations. */
  incidentWorkflow: IncidentWorkflow;
  /** The escalation policies by id (the engine's book). */
  policies: PolicyBook;
  groupOf: (tier: Tier) => string | undefined;
  /** The weekly/monthly/quarterly reports and the post-resolution surveys. */
  reports?: { builder: ReportBuilder; surveys: SurveyStore };
  /** Contact tree and ownership matrix. */
  contacts: ContactResolver;
  /** Reads for the Ops queue and the outbox panel. */
  queue?: QueueStore;
  /** Notifications, the communication cadence and vendor engagements. */
  communication?: CommunicationServices;
  /** Who may do what to which incident. */
  access: IncidentAccess;
}

type AnyRequest = Request<any, any, any, any>;

/** The options plus the helpers every route uses: permission checks, audit, actor. */
export interface RouteContext extends RouterOptions {
  /**
   * Checks a permission for the caller; throws NotAllowedError (403) when denied. A resource
   * permission is checked on the incident `number`, before anything is looked up.
   */
  authorize(
    req: AnyRequest,
    permission: Permission,
    what: string,
    number?: string,
  ): Promise<BackstageCredentials>;
  /** Checks that the caller may read incidents (one, with its number). */
  authorizeRead(
    req: AnyRequest,
    number?: string,
  ): Promise<BackstageCredentials>;
  /**
   * The read check of a list (403 when the caller may read no incident) and what it shows
   * them: the read permission's conditions and catalog visibility, in one permission round.
   */
  authorizeList(req: AnyRequest): Promise<{
    credentials: BackstageCredentials;
    restrict?: IncidentRestriction;
  }>;
  /** The items of a list that `restrict` lets through (by their incident `number`), in order. */
  visibleTo<T extends { number?: string }>(
    restrict: IncidentRestriction | undefined,
    items: T[],
  ): Promise<T[]>;
  /** Who a change is attributed to in events and work notes. */
  actorOf(credentials: BackstageCredentials): string;
  /** Runs a write with an audit event that records its success or its failure. */
  audited<T>(
    req: AnyRequest,
    eventId: string,
    meta: JsonObject,
    work: () => Promise<{ result: T; meta?: JsonObject }>,
  ): Promise<T>;
  /** Tries queued write-backs now rather than at the next tick. */
  deliverSoon(): void;
}

/** An entity ref from a query, in its full form; a 400 when it does not parse. */
export function entityRefParam(
  value: string,
  name = 'entityRef',
  defaultKind?: string,
): string {
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind }));
  } catch (e) {
    throw new InputError(
      `Invalid entity ref in ${name}: '${value}': ${(e as Error).message}`,
    );
  }
}

export function createRouteContext(options: RouterOptions): RouteContext {
  const { httpAuth, auditor, auth, tasks, access } = options;
  const authorize = async (
    req: AnyRequest,
    permission: Permission,
    what: string,
    number?: string,
  ) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await access.authorize(credentials, permission, what, number);
    return credentials;
  };
  return {
    ...options,
    authorize,
    authorizeRead: (req, number) =>
      authorize(
        req,
        incidentOpsIncidentReadPermission,
        number ? `read ${number}` : 'read incidents',
        number,
      ),
    async authorizeList(req) {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      return {
        credentials,
        restrict: await access.readRestriction(credentials),
      };
    },
    async visibleTo(restrict, items) {
      if (!restrict) return items;
      const numbers = items.flatMap(i => (i.number ? [i.number] : []));
      const visible = await options.store.visibleNumbers(numbers, restrict);
      return items.filter(i => i.number && visible.has(i.number));
    },
    actorOf: credentials =>
      auth.isPrincipal(credentials, 'user')
        ? credentials.principal.userEntityRef
        : 'service',
    async audited(req, eventId, meta, work) {
      const audit = await auditor.createEvent({
        eventId,
        request: req,
        severityLevel: 'medium',
        meta,
      });
      try {
        const { result, meta: outcome } = await work();
        await audit.success({ meta: outcome });
        return result;
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
    // a running task picks them up anyway
    deliverSoon() {
      tasks?.runSoon('outbox');
      if (options.communication) tasks?.runSoon('notifications');
    },
  };
}
