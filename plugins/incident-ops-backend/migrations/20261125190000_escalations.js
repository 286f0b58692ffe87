// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table
      .timestamp('escalation_due_at', { useTz: true })
      .comment(
        'When the escalation engine must look at it next; null: only on a change',
      );
    table.index(['escalation_due_at'], 'incidents_escalation_due_idx');
  });
  // Everything open is due once, so the engine sets the real times. (A JS date, not
  // CURRENT_TIMESTAMP: on SQLite knex stores dates as numbers, and text never compares as due.)
  await knex('incidents')
    .where({ is_open: true })
    .update({ escalation_due_at: new Date() });

  await knex.schema.createTable('incident_escalations', table => {
    table.comment(
      'Decisions of the escalation engine: each at most once per incident',
    );
    table.bigIncrements('id').primary();
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table.string('number', 64).notNullable();
    table
      .string('decision_key', 255)
      .notNullable()
      .comment('rule and tier stay');
    table.string('action', 32).notNullable();
    table.string('rule', 64).notNullable();
    table.string('from_tier', 2);
    table.string('to_tier', 2);
    table.text('explanation').notNullable();
    table.text('clocks').notNullable().comment('JSON, milliseconds');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['source', 'source_id', 'decision_key'], {
      indexName: 'incident_escalations_once_uniq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_escalations');
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(['escalation_due_at'], 'incidents_escalation_due_idx');
    table.dropColumn('escalation_due_at');
  });
};
