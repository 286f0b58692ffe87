// @ts-check

/**
 * Incidents reported from the suite ("Report an incident"), each an outbox row on its way to
 * the source (same columns and states as the other outboxes: a fenced, leased claim), keyed
 * by the reporting client's key; and knowledge deflections ("This solved it").
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_reports', table => {
    table.comment(
      'Incidents reported in the suite, filed in their source once (an outbox)',
    );
    table.increments('id');
    table
      .string('client_key', 36)
      .notNullable()
      .unique({ indexName: 'incident_reports_client_key_uniq' })
      .comment(
        "The reporting client's key; the source keeps it (ServiceNow correlation_id)",
      );
    table
      .string('source', 64)
      .notNullable()
      .comment('The provider it is filed with');
    table
      .string('fingerprint', 64)
      .notNullable()
      .comment(
        'Hash of the request: the same key with another body is refused',
      );
    table
      .text('request')
      .notNullable()
      .comment('What is sent to the provider (JSON)');
    table.string('priority', 2).notNullable();
    table.string('tier', 2).notNullable();
    table.string('assignment_group', 255);
    table.string('ticket_type', 32);
    table.text('short_description').notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('ci', 255);
    table.string('reported_by', 255);
    table
      .string('provisional_number', 64)
      .comment('The number the suite shows until the source gives its own');
    table.string('number', 64).comment('The number the source gave');
    table.string('source_id', 64).comment('The id the source gave (sys_id)');
    // the outbox
    table.string('status', 16).notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true });
    table.timestamp('claimed_at', { useTz: true });
    table.string('claim_token', 36);
    table.timestamp('lease_until', { useTz: true });
    table.text('last_error');
    table.timestamp('done_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['status', 'next_attempt_at'], 'incident_reports_due_idx');
  });

  await knex.schema.createTable('kb_deflections', table => {
    table.comment(
      '"This solved it": an article solved a problem before it was reported',
    );
    table.increments('id');
    table.string('article_source', 64).notNullable();
    table.string('article_id', 100).notNullable().comment('Its number');
    table.string('ticket_type', 32);
    table.string('entity_ref', 255);
    table.text('text').comment('What the user had written');
    table.string('actor', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['created_at'], 'kb_deflections_created_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kb_deflections');
  await knex.schema.dropTable('incident_reports');
};
