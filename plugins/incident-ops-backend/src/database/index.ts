import type { DatabaseService } from '@backstage/backend-plugin-api';
import { migrate } from './migrate';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseWorkflowStore } from './DatabaseWorkflowStore';
import { DatabaseWriteBackStore } from './DatabaseWriteBackStore';
import { DatabaseEscalationStore } from './DatabaseEscalationStore';
import { DatabaseQueueStore } from './DatabaseQueueStore';
import { DatabaseCommunicationStore } from './DatabaseCommunicationStore';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { DatabaseReportStore } from './DatabaseReportStore';
import { DatabaseReportDeliveryStore } from './DatabaseReportDeliveryStore';
import { DatabaseSurveyStore } from './DatabaseSurveyStore';
import { DatabasePlaybookStore } from './DatabasePlaybookStore';
import { DatabaseLessonStore } from './DatabaseLessonStore';
import { DatabaseKnowledgeStore } from './DatabaseKnowledgeStore';
import type { IncidentStore } from './IncidentStore';

export { migrate } from './migrate';

/** Every store of the plugin, each built once on the plugin's database. */
export interface IncidentOpsStores {
  incidents: IncidentStore;
  workflow: DatabaseWorkflowStore;
  writeBacks: DatabaseWriteBackStore;
  escalations: DatabaseEscalationStore;
  queue: DatabaseQueueStore;
  communication: DatabaseCommunicationStore;
  notifications: DatabaseNotificationStore;
  reports: DatabaseReportStore;
  reportDeliveries: DatabaseReportDeliveryStore;
  surveys: DatabaseSurveyStore;
  playbooks: DatabasePlaybookStore;
  lessons: DatabaseLessonStore;
  knowledge: DatabaseKnowledgeStore;
}

/** Runs the migrations (unless `database.migrations.skip`), then builds every store. */
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
  };
}
