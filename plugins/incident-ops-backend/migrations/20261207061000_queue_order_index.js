// @ts-check

/**
 * An index in the Ops queue's "by priority" order (open ones, most urgent, oldest first), so
 * its pages are read in order rather than each priority's open tickets sorted on every read;
 * the Incidents card's order (newest first) has incidents_list_order_idx.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.index(
      ['is_open', 'priority', 'opened_at', 'number'],
      'incidents_queue_order_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(
      ['is_open', 'priority', 'opened_at', 'number'],
      'incidents_queue_order_idx',
    );
  });
};
