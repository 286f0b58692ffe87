// @ts-check

/**
 * What a post-resolution survey is linked to, readable by article and by playbook: the KB
 * articles marked on the ticket (with their source, helpful or not) in a table of their own,
 * and the playbook column indexed. Surveys recorded before keep their one article, found
 * with its source in the feedback given on their ticket.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_survey_articles', table => {
    table.comment(
      'The KB articles marked on a surveyed ticket: helpful ones, else those marked not helpful',
    );
    table
      .bigInteger('survey_id')
      .notNullable()
      .references('id')
      .inTable('incident_surveys')
      .onDelete('CASCADE');
    table.string('article_source', 64).notNullable();
    table
      .string('article_id', 64)
      .notNullable()
      .comment('The article number (KB0010001) or repository article id');
    table
      .boolean('helpful')
      .notNullable()
      .comment('The latest mark on the ticket when the survey was submitted');
    table.integer('position').notNullable().comment('0 first: latest mark');
    table.primary(['survey_id', 'article_source', 'article_id']);
    table.index(
      ['article_source', 'article_id'],
      'incident_survey_articles_article_idx',
    );
  });
  await knex.schema.alterTable('incident_surveys', table => {
    table.index(['playbook'], 'incident_surveys_playbook_idx');
  });

  // The article recorded so far was the one last marked helpful on the ticket.
  await knex
    .into(
      knex.raw('?? (??, ??, ??, ??, ??)', [
        'incident_survey_articles',
        'survey_id',
        'article_source',
        'article_id',
        'helpful',
        'position',
      ]),
    )
    .insert(
      knex('incident_surveys as s')
        .join('kb_feedback as f', q =>
          q
            .on('f.incident_source', 's.source')
            .andOn('f.incident_source_id', 's.source_id')
            .andOn('f.article_id', 's.kb_article'),
        )
        .where('f.helpful', true)
        .distinct(
          's.id',
          'f.article_source',
          'f.article_id',
          'f.helpful',
          knex.raw('0 AS position'),
        ),
    );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_surveys', table => {
    table.dropIndex(['playbook'], 'incident_surveys_playbook_idx');
  });
  await knex.schema.dropTable('incident_survey_articles');
};
