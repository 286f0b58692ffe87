// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_surveys', table => {
    table.comment(
      'Post-resolution surveys: one per incident and requestor, editable for a week',
    );
    table.bigIncrements('id').primary();
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table.string('number', 64).notNullable();
    table
      .string('requestor', 255)
      .notNullable()
      .comment(
        'The incident caller (source user id), else the user entity ref',
      );
    table
      .string('submitted_by', 255)
      .notNullable()
      .comment(
        'Entity ref of who submitted it (the requestor or on their behalf)',
      );
    table.integer('rating').notNullable().comment('1-5');
    table.text('comment');
    table
      .string('kb_article', 64)
      .comment('Number of the KB article marked helpful on the incident');
    table.string('playbook', 128).comment('The playbook run on the incident');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['source', 'source_id', 'requestor'], {
      indexName: 'incident_surveys_once_uniq',
    });
    table.index(['created_at'], 'incident_surveys_created_idx');
  });

  await knex.schema.createTable('incident_report_deliveries', table => {
    table.comment(
      'Scheduled report deliveries: one row per report and period, claimed by one replica',
    );
    table.string('kind', 16).notNullable().comment('weekly');
    table.string('period', 16).notNullable().comment('e.g. 2026-W47');
    table.string('status', 16).notNullable().comment('sending, sent, failed');
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('recipients').comment('JSON: entity refs notified');
    table.text('channels').comment('JSON: notification, email');
    table.text('last_error');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.timestamp('delivered_at', { useTz: true });
    table.primary(['kind', 'period']);
  });

  // Each decision carries the incident's priority and ticket type when it was taken, so the
  // escalation counts are read from the decisions alone (an index-only range scan).
  await knex.schema.alterTable('incident_escalations', table => {
    table
      .string('priority', 2)
      .comment("The incident's priority when the decision was taken");
    table
      .string('ticket_type', 32)
      .comment("The incident's ticket type when the decision was taken");
  });
  for (const column of ['priority', 'ticket_type']) {
    await knex('incident_escalations').update({
      [column]: knex('incidents')
        .select(column)
        .where('incidents.source', knex.ref('incident_escalations.source'))
        .andWhere(
          'incidents.source_id',
          knex.ref('incident_escalations.source_id'),
        ),
    });
  }
  await knex.schema.alterTable('incident_escalations', table => {
    table.index(
      [
        'action',
        'created_at',
        'rule',
        'from_tier',
        'to_tier',
        'priority',
        'ticket_type',
        'source',
        'source_id',
      ],
      'incident_escalations_report_idx',
    );
  });

  // The reports read incidents by when they were opened, first worked and resolved; these
  // indexes carry what the reports group by, so the reads need not visit the rows.
  const carried = ['priority', 'tier', 'ticket_type', 'removed_at'];
  await knex.schema.alterTable('incidents', table => {
    table.index(
      ['opened_at', ...carried, 'source', 'source_id'],
      'incidents_report_opened_idx',
    );
    table.index(
      ['resolved_at', 'opened_at', ...carried, 'source', 'source_id'],
      'incidents_report_resolved_idx',
    );
    table.index(
      ['responded_at', 'opened_at', ...carried],
      'incidents_report_responded_idx',
    );
    // the few incidents removed at the source, which the reports leave out
    table.index(['source', 'source_id'], 'incidents_removed_idx', {
      predicate: knex.whereNotNull('removed_at'),
    });
  });
  // KB-exhausted events, playbook step outcomes and vendor cases by time.
  await knex.schema.alterTable('incident_events', table => {
    table.index(['type', 'created_at'], 'incident_events_type_created_idx');
  });
  await knex.schema.alterTable('playbook_step_results', table => {
    table.index(['created_at'], 'playbook_step_results_created_idx');
  });
  await knex.schema.alterTable('vendor_engagements', table => {
    table.index(['opened_at'], 'vendor_engagements_opened_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('vendor_engagements', table => {
    table.dropIndex(['opened_at'], 'vendor_engagements_opened_idx');
  });
  await knex.schema.alterTable('playbook_step_results', table => {
    table.dropIndex(['created_at'], 'playbook_step_results_created_idx');
  });
  await knex.schema.alterTable('incident_events', table => {
    table.dropIndex(['type', 'created_at'], 'incident_events_type_created_idx');
  });
  await knex.schema.alterTable('incident_escalations', table => {
    table.dropIndex([], 'incident_escalations_report_idx');
  });
  await knex.schema.alterTable('incident_escalations', table => {
    table.dropColumn('priority');
    table.dropColumn('ticket_type');
  });
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex([], 'incidents_report_opened_idx');
    table.dropIndex([], 'incidents_report_resolved_idx');
    table.dropIndex([], 'incidents_report_responded_idx');
    table.dropIndex([], 'incidents_removed_idx');
  });
  await knex.schema.dropTable('incident_report_deliveries');
  await knex.schema.dropTable('incident_surveys');
};
