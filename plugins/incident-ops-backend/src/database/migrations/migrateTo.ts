import type { Knex } from 'knex';
import { migrationsDir as directory } from '../migrate';

export { directory };

/** Runs the migrations up to the one before `file`, so a test can seed what `file` finds. */
export async function migrateUpToBefore(knex: Knex, file: string) {
  for (;;) {
    const [, pending] = await knex.migrate.list({ directory });
    if ((pending[0]?.file ?? pending[0]?.name) === file) return;
    await knex.migrate.up({ directory });
  }
}
