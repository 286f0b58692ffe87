// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_notifications', table => {
    table.comment(
      'Notification outbox: events to route to people (kind event) and deliveries to one channel (kind delivery), each once by its dedupe key',
    );
    table.bigIncrements('id').primary();
    table.string('dedupe_key', 255).notNullable().unique();
    table
      .string('kind', 16)
      .notNullable()
      .comment('event: who to tell is decided when routed; delivery: to send');
    table.string('event', 32).notNullable().comment('NotificationEvent');
    table.string('channel', 32).comment('For deliveries: the notifier channel');
    table.bigInteger('parent_id').comment('For deliveries: the event row');
    table.string('source', 64);
    table.string('source_id', 64);
    table
      .string('number', 64)
      .comment('The incident, if the event is about one');
    table
      .text('recipients')
      .comment('JSON: for deliveries, the addresses and who they are');
    table
      .text('payload')
      .notNullable()
      .comment('JSON: the event context, or the message');
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, running, done, failed');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).notNullable();
    table.timestamp('claimed_at', { useTz: true });
    table.text('last_error');
    table.text('outcome').comment('What routing or delivery did, for people');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('done_at', { useTz: true });
    table.index(
      ['status', 'next_attempt_at'],
      'incident_notifications_due_idx',
    );
    table.index(['number', 'id'], 'incident_notifications_number_idx');
  });

  await knex.schema.createTable('incident_updates', table => {
    table.comment(
      'Updates to stakeholders and post-mortems recorded in the suite (communication cadence)',
    );
    table.bigIncrements('id').primary();
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table.string('number', 64).notNullable();
    table.string('kind', 16).notNullable().comment('update, post-mortem');
    table.text('message').notNullable();
    table.text('link');
    table.string('actor', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['source', 'source_id', 'created_at'],
      'incident_updates_incident_idx',
    );
  });

  await knex.schema.createTable('vendor_engagements', table => {
    table.comment(
      'Cases opened with vendors (Tanzu, AWS) for incidents, against the vendor response SLA',
    );
    table.bigIncrements('id').primary();
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table.string('number', 64).notNullable();
    table.string('vendor', 16).notNullable().comment('tanzu, aws');
    table.string('case_id', 128).notNullable();
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table
      .bigInteger('response_sla_ms')
      .notNullable()
      .comment("The vendor's response SLA");
    table
      .timestamp('respond_by', { useTz: true })
      .notNullable()
      .comment('opened_at + SLA, for the breach query');
    table.timestamp('responded_at', { useTz: true });
    table.text('note');
    table.text('response_note');
    table.string('opened_by', 255).notNullable();
    table.string('responded_recorded_by', 255);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['vendor', 'case_id'], {
      indexName: 'vendor_engagements_case_uniq',
    });
    table.index(['number'], 'vendor_engagements_number_idx');
    table.index(['responded_at', 'respond_by'], 'vendor_engagements_due_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('vendor_engagements');
  await knex.schema.dropTable('incident_updates');
  await knex.schema.dropTable('incident_notifications');
};
