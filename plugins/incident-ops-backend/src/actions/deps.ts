import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ContactResolver } from '../contacts/ContactResolver';
import type { EscalationStore } from '../database/DatabaseEscalationStore';
import type { QueueStore } from '../database/DatabaseQueueStore';
import type { IncidentStore } from '../database/IncidentStore';
import type { PolicyBook } from '../escalation/PolicyBook';
import type { KnowledgeServices } from '../knowledge/setup';
import type { IncidentAccess } from '../permissions/IncidentAccess';
import type { ReportingServices } from '../reporting/setup';
import type { IncidentOpsTasks } from '../tasks';
import type { IncidentWorkflow } from '../workflow/IncidentWorkflow';

/** What the actions are built from: the services the REST routes call. */
export interface ActionDeps {
  auth: AuthService;
  auditor: AuditorService;
  catalog: CatalogService;
  access: IncidentAccess;
  store: IncidentStore;
  escalations: EscalationStore;
  queue: QueueStore;
  policies: PolicyBook;
  contacts: ContactResolver;
  knowledge: KnowledgeServices;
  reporting: ReportingServices;
  incidentWorkflow: IncidentWorkflow;
  tasks: IncidentOpsTasks;
}

/** Who a change is attributed to, as the routes do (context.ts actorOf). */
export function actorOf(auth: AuthService, credentials: BackstageCredentials) {
  return auth.isPrincipal(credentials, 'user')
    ? credentials.principal.userEntityRef
    : 'service';
}

/**
 * Runs a write with an audit event that records its success or its failure, under the same
 * event id as its route; there is no request, so the actor is in the event's meta.
 */
export async function audited<T>(
  deps: Pick<ActionDeps, 'auditor' | 'auth'>,
  credentials: BackstageCredentials,
  eventId: string,
  meta: JsonObject,
  work: () => Promise<{ result: T; meta?: JsonObject }>,
): Promise<T> {
  const audit = await deps.auditor.createEvent({
    eventId,
    severityLevel: 'medium',
    meta: { ...meta, via: 'action', actor: actorOf(deps.auth, credentials) },
  });
  try {
    const { result, meta: outcome } = await work();
    await audit.success({ meta: outcome });
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
