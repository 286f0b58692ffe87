import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';

/** The plugin's knex migrations, shipped with the package. */
export const migrationsDir = resolvePackagePath(
  '@acme/plugin-incident-ops-backend',
  'migrations',
);

/**
 * Brings the plugin's tables up to date, once, at start-up; nothing when the plugin's
 * `database.migrations.skip` is set (its tables are then managed elsewhere).
 */
export async function migrate(database: DatabaseService): Promise<void> {
  if (database.migrations?.skip) return;
  const client = await database.getClient();
  await client.migrate.latest({ directory: migrationsDir });
}
