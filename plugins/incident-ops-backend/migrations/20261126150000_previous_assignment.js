// @ts-check

/**
 * What a P1 was before the last write by sync: its priority, assignee, assignment group and
 * tier, filled by the upsert from the row it replaced and returned by it, so the P1 change
 * updates need no read before each write.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table
      .text('previous_assignment')
      .comment(
        'JSON: priority, assignee, group, tier and sync time before the last write by sync, when it was or became a P1',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropColumn('previous_assignment');
  });
};
