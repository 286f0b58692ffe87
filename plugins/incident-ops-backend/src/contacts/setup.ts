import type { IncidentOpsEnv } from '../env';
import { ContactResolver } from './ContactResolver';

/**
 * Who is reached about an entity, read from the catalog: the contact tree, the ownership
 * matrix and the entity scope. One resolver per plugin; notifications, reports and the
 * routes share it.
 */
export async function setupContacts(env: IncidentOpsEnv) {
  return new ContactResolver({ catalog: env.catalog });
}
