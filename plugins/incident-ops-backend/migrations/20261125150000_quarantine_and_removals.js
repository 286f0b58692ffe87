// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table
      .timestamp('removed_at', { useTz: true })
      .comment(
        'When reconciliation found the record gone from the source (deleted or out of scope)',
      );
    table.index(['source', 'removed_at'], 'incidents_source_removed_idx');
  });

  await knex.schema.createTable('incident_quarantine', table => {
    table.comment(
      'Source records that could not be mapped, with why; kept until a good version arrives',
    );
    table.string('source', 64).notNullable();
    table
      .string('record_key', 255)
      .notNullable()
      .comment('sys_id, else number, else a hash of the payload');
    table.string('number', 64);
    table.text('reason').notNullable();
    table.text('payload').notNullable().comment('The record as received, JSON');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.integer('occurrences').notNullable().defaultTo(1);
    table.primary(['source', 'record_key']);
  });

  await knex.schema.alterTable('incident_provider_state', table => {
    table
      .timestamp('last_window_end', { useTz: true })
      .comment('The source time up to which everything has been read');
    table.integer('removed');
    table.timestamp('last_reconciled_at', { useTz: true });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_provider_state', table => {
    table.dropColumn('last_window_end');
    table.dropColumn('removed');
    table.dropColumn('last_reconciled_at');
  });
  await knex.schema.dropTable('incident_quarantine');
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(['source', 'removed_at'], 'incidents_source_removed_idx');
    table.dropColumn('removed_at');
  });
};
