// @ts-check

/**
 * Playbook runs and their step outcomes; lessons-learned records and their links.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('playbook_runs', table => {
    table.comment(
      'A playbook worked on an incident: which playbook (as it was when started), the values the engineer gave, its state',
    );
    table.bigIncrements('id').primary();
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table.string('number', 64).notNullable();
    table.string('playbook_id', 64).notNullable();
    table.string('playbook_title', 255).notNullable();
    table
      .text('definition')
      .notNullable()
      .comment('The playbook when the run started, JSON');
    table.string('ticket_type', 32);
    table
      .string('status', 16)
      .notNullable()
      .comment('active, completed (every required step complete), abandoned');
    table
      .text('field_values')
      .notNullable()
      .comment('Field values the engineer supplied, JSON');
    table.string('started_by', 255).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('completed_at', { useTz: true });
    table.timestamp('abandoned_at', { useTz: true });
    table.index(['number', 'id'], 'playbook_runs_number_idx');
    table.index(['playbook_id', 'status'], 'playbook_runs_playbook_idx');
  });

  await knex.schema.createTable('playbook_step_results', table => {
    table.comment(
      'Every outcome recorded for a step of a run (the latest is its state): who, when, note',
    );
    table.bigIncrements('id').primary();
    table
      .bigInteger('run_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('playbook_runs')
      .onDelete('CASCADE');
    table.string('playbook_id', 64).notNullable();
    table.string('step_id', 64).notNullable();
    table
      .string('step_kind', 16)
      .notNullable()
      .comment('task, check, verification');
    table
      .string('status', 16)
      .notNullable()
      .comment('done, verified, skipped, failed');
    table.text('note');
    table.text('field_values').comment('Field values given with it, JSON');
    table.string('actor', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['run_id', 'step_id', 'id'], 'playbook_step_results_run_idx');
    table.index(
      ['playbook_id', 'step_id', 'status'],
      'playbook_step_results_step_idx',
    );
  });

  await knex.schema.createTable('lessons_learned', table => {
    table.comment(
      'One record per recurring issue: what happens, why, what was done about it',
    );
    table.string('id', 64).primary();
    table.string('title', 200).notNullable();
    table.text('summary').notNullable();
    table.text('root_cause');
    table.text('actions').notNullable().comment('JSON list of actions');
    table
      .string('status', 16)
      .notNullable()
      .comment('open, monitoring, closed');
    table.string('ticket_type', 32);
    table
      .string('source', 255)
      .notNullable()
      .comment('api, or the file it was first loaded from');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('lessons_learned_links', table => {
    table.comment('What a lesson is about: incidents, KB articles, playbooks');
    table
      .string('lesson_id', 64)
      .notNullable()
      .references('id')
      .inTable('lessons_learned')
      .onDelete('CASCADE');
    table
      .string('kind', 16)
      .notNullable()
      .comment('incident, kb-article, playbook');
    table.string('ref', 128).notNullable();
    table.primary(['lesson_id', 'kind', 'ref']);
    table.index(['kind', 'ref'], 'lessons_learned_links_ref_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lessons_learned_links');
  await knex.schema.dropTable('lessons_learned');
  await knex.schema.dropTable('playbook_step_results');
  await knex.schema.dropTable('playbook_runs');
};
