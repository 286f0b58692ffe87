import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { migrate } from '../database/migrate';

/** A fresh database of that id with the plugin's tables, as knex and as the service. */
export async function migratedDatabase(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({
    knex,
    migrations: { skip: false },
  });
  await migrate(database);
  return { knex, database };
}
