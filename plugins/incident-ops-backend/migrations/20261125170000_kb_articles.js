// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kb_articles', table => {
    table.comment(
      'Knowledge articles from the sources (ServiceNow kb_knowledge)',
    );
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table.string('number', 64).notNullable();
    table.text('title').notNullable();
    table.text('text').notNullable().comment('Plain text, markup removed');
    table.string('category', 255);
    table.string('knowledge_base', 255);
    table.string('workflow_state', 32).notNullable();
    table.string('valid_to', 10);
    table.integer('view_count');
    table.text('url');
    table.timestamp('source_updated_at', { useTz: true }).notNullable();
    table.bigInteger('source_version').notNullable();
    table.timestamp('synced_at', { useTz: true }).notNullable();
    table.primary(['source', 'source_id']);
    table.unique(['source', 'number'], {
      indexName: 'kb_articles_source_number_uniq',
    });
    table.index(['workflow_state'], 'kb_articles_state_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kb_articles');
};
