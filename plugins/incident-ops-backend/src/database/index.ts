import type { DatabaseService } from '@backstage/backend-plugin-api';
import { migrate } from './migrate';
import type { IncidentStore } from './IncidentStore';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import {
  DatabaseWorkflowStore,
  type WorkflowStore,
} from './DatabaseWorkflowStore';
import {
  DatabaseWriteBackStore,
  type WriteBackStore,
} from './DatabaseWriteBackStore';
import {
  DatabaseEscalationStore,
  type EscalationStore,
} from './DatabaseEscalationStore';
import { DatabaseQueueStore, type QueueStore } from './DatabaseQueueStore';
import type { CommunicationStore } from './CommunicationStore';
import { DatabaseCommunicationStore } from './DatabaseCommunicationStore';
import {
  DatabaseNotificationStore,
  type NotificationStore,
} from './DatabaseNotificationStore';
import type { ReportStore } from './ReportStore';
import { DatabaseReportStore } from './DatabaseReportStore';
import {
  DatabaseReportDeliveryStore,
  type ReportDeliveryStore,
} from './DatabaseReportDeliveryStore';
import { DatabaseSurveyStore, type SurveyStore } from './DatabaseSurveyStore';
import {
  DatabasePlaybookStore,
  type PlaybookStore,
} from './DatabasePlaybookStore';
import { DatabaseLessonStore, type LessonStore } from './DatabaseLessonStore';
import {
  DatabaseKnowledgeStore,
  type KnowledgeStore,
} from './DatabaseKnowledgeStore';
import {
  DatabaseIncidentReportStore,
  type IncidentReportStore,
} from './DatabaseIncidentReportStore';

export { migrate } from './migrate';

/** Every store of the plugin, each built once on the plugin's database. */
export interface IncidentOpsStores {
  /** Incidents, knowledge articles and sync state, as the providers bring them. */
  incidents: IncidentStore;
  /** Transitions made in the suite, incident events and the timeline. */
  workflow: WorkflowStore;
  /** The write-back outbox: changes on their way to the sources. */
  writeBacks: WriteBackStore;
  /** The escalation engine's state: due times, decisions, policies. */
  escalations: EscalationStore;
  /** The Ops queue's reads. */
  queue: QueueStore;
  /** Stakeholder updates, the cadence's incidents and vendor engagements. */
  communication: CommunicationStore;
  /** The notification outbox. */
  notifications: NotificationStore;
  /** The reports' aggregate queries. */
  reports: ReportStore;
  /** The scheduled reports' delivery records. */
  reportDeliveries: ReportDeliveryStore;
  surveys: SurveyStore;
  playbooks: PlaybookStore;
  lessons: LessonStore;
  knowledge: KnowledgeStore;
  /** Incidents reported in the suite on their way to the source, and KB deflections. */
  reported: IncidentReportStore;
}

/**
 * Runs the migrations once (unless the plugin's `database.migrations.skip` is set), then
 * builds every store.
 */
export async function createStores(options: {
  database: DatabaseService;
}): Promise<IncidentOpsStores> {
  const { database } = options;
  await migrate(database);
  const incidents = await DatabaseIncidentStore.create({ database });
  return {
    incidents,
    workflow: await DatabaseWorkflowStore.create({ database }),
    writeBacks: await DatabaseWriteBackStore.create({ database }),
    escalations: await DatabaseEscalationStore.create({ database }),
    queue: await DatabaseQueueStore.create({ database }),
    communication: await DatabaseCommunicationStore.create({ database }),
    notifications: await DatabaseNotificationStore.create({ database }),
    reports: await DatabaseReportStore.create({ database }),
    reportDeliveries: await DatabaseReportDeliveryStore.create({ database }),
    surveys: await DatabaseSurveyStore.create({ database }),
    playbooks: await DatabasePlaybookStore.create({ database }),
    lessons: await DatabaseLessonStore.create({ database }),
    knowledge: await DatabaseKnowledgeStore.create({ database, incidents }),
    reported: await DatabaseIncidentReportStore.create({ database }),
  };
}
