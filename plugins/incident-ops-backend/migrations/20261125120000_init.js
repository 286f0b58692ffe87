// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incidents', table => {
    table.comment(
      'Incidents from the incident sources (ServiceNow), mapped to the domain',
    );
    table
      .string('source', 64)
      .notNullable()
      .comment('Provider name, e.g. servicenow');
    table
      .string('source_id', 64)
      .notNullable()
      .comment('The source id (ServiceNow sys_id)');
    table.string('number', 64).notNullable();
    table.text('short_description').notNullable();
    table.text('description');
    table.string('priority', 2).notNullable().comment('P1-P4');
    table.string('source_priority', 8);
    table.string('impact', 8);
    table.string('urgency', 8);
    table.string('status', 32).notNullable();
    table.boolean('is_open').notNullable();
    table.string('source_state', 8).notNullable();
    table.string('hold_reason', 8);
    table.string('category', 255);
    table.string('subcategory', 255);
    table.string('tier', 2);
    table.string('assignment_group_id', 64);
    table.string('assignment_group_name', 255);
    table.string('assigned_to_id', 64);
    table.string('assigned_to_name', 255);
    table.string('ci_id', 64);
    table.string('ci_name', 255);
    table.string('caller_id', 64);
    table.string('caller_name', 255);
    table.text('url');
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true });
    table.timestamp('closed_at', { useTz: true });
    table.timestamp('source_updated_at', { useTz: true }).notNullable();
    table.bigInteger('source_version').notNullable();
    table.timestamp('synced_at', { useTz: true }).notNullable();
    table.primary(['source', 'source_id']);
    table.unique(['source', 'number'], {
      indexName: 'incidents_source_number_uniq',
    });
    table.index(['ci_name'], 'incidents_ci_name_idx');
    table.index(['ci_id'], 'incidents_ci_id_idx');
    table.index(['number'], 'incidents_number_idx');
  });

  await knex.schema.createTable('incident_provider_state', table => {
    table.comment(
      'Per incident source: its cursor and the outcome of its last sync',
    );
    table.string('provider', 64).primary();
    table.text('cursor');
    table.timestamp('last_started_at', { useTz: true });
    table.timestamp('last_finished_at', { useTz: true });
    table.integer('fetched');
    table.integer('stored');
    table.integer('quarantined');
    table.text('last_error');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_provider_state');
  await knex.schema.dropTable('incidents');
};
