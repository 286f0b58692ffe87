// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_events', table => {
    table.comment(
      'What happened to an incident in the suite: who, when, what, from where',
    );
    table.bigIncrements('id').primary();
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table.string('number', 64).notNullable();
    table
      .string('type', 32)
      .notNullable()
      .comment('transition, write-back, write-back-conflict');
    table.string('from_status', 32);
    table.string('to_status', 32);
    table
      .string('actor', 255)
      .comment('Entity ref of the user, or the service');
    table.text('note');
    table.text('details').comment('JSON');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['source', 'source_id', 'created_at'],
      'incident_events_incident_idx',
    );
  });

  await knex.schema.createTable('incident_outbox', table => {
    table.comment(
      'Changes to write to the sources, delivered until accepted, once each',
    );
    table.bigIncrements('id').primary();
    table.string('dedupe_key', 255).notNullable().unique();
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table.text('payload').notNullable().comment('The IncidentWriteBack, JSON');
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, running, done, conflict');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).notNullable();
    table.timestamp('claimed_at', { useTz: true });
    table.text('last_error');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('done_at', { useTz: true });
    table.index(['status', 'next_attempt_at'], 'incident_outbox_due_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_outbox');
  await knex.schema.dropTable('incident_events');
};
