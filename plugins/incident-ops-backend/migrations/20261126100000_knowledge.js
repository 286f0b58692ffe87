// @ts-check

/**
 * Knowledge: what an article answers (ticket types, tags) for the suggestions, Markdown
 * articles from the repository next to the synced ones, and the record of suggestions shown
 * on incidents and the feedback given on them (kept for the reports and the KB-exhaustion
 * trigger).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('kb_articles', table => {
    table
      .string('format', 16)
      .comment('text (markup removed) or markdown; null means text');
    table.text('ticket_types').comment('JSON array of ticket types');
    table.text('tags').comment('JSON array of words');
    table
      .text('attributes')
      .comment('JSON: replaces, playbook, owner, tiers (repository articles)');
  });

  await knex.schema.createTable('kb_suggestion_views', table => {
    table.comment(
      'Knowledge suggestions shown for an incident: one row per article per showing',
    );
    table.bigIncrements('id').primary();
    table.string('incident_source', 64).notNullable();
    table.string('incident_source_id', 64).notNullable();
    table.string('number', 64).notNullable().comment('Incident number');
    table.string('article_source', 64).notNullable();
    table
      .string('article_id', 64)
      .notNullable()
      .comment('The article number (KB0010001) or repository article id');
    table.integer('rank').notNullable();
    table.float('score').notNullable();
    table.string('ticket_type', 32);
    table.text('reasons').comment('JSON: matched terms and ticket-type link');
    table.string('actor', 255).notNullable();
    table.timestamp('shown_at', { useTz: true }).notNullable();
    table.index(
      ['incident_source', 'incident_source_id'],
      'kb_suggestion_views_incident_idx',
    );
    table.index(
      ['article_source', 'article_id'],
      'kb_suggestion_views_article_idx',
    );
    table.index(['shown_at'], 'kb_suggestion_views_shown_at_idx');
  });

  await knex.schema.createTable('kb_feedback', table => {
    table.comment(
      'Support engineers marking a suggested article helpful or not for an incident',
    );
    table.bigIncrements('id').primary();
    table.string('incident_source', 64).notNullable();
    table.string('incident_source_id', 64).notNullable();
    table.string('number', 64).notNullable().comment('Incident number');
    table.string('article_source', 64).notNullable();
    table.string('article_id', 64).notNullable();
    table.boolean('helpful').notNullable();
    table.text('note');
    table.string('actor', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['incident_source', 'incident_source_id'],
      'kb_feedback_incident_idx',
    );
    table.index(['article_source', 'article_id'], 'kb_feedback_article_idx');
    table.index(['created_at'], 'kb_feedback_created_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kb_feedback');
  await knex.schema.dropTable('kb_suggestion_views');
  await knex.schema.alterTable('kb_articles', table => {
    table.dropColumn('format');
    table.dropColumn('ticket_types');
    table.dropColumn('tags');
    table.dropColumn('attributes');
  });
};
