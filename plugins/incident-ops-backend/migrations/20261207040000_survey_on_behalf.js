// @ts-check

/**
 * Surveys recorded on the requestor's behalf say so: such an answer never replaces the
 * requestor's own, and the requestor's own answer replaces it. Older rows whose recorder
 * was not the requestor are marked too (before this version anyone allowed could overwrite
 * any answer, and the requestor column held the caller's sys_id or the recorder's ref).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incident_surveys', table => {
    table
      .boolean('on_behalf')
      .notNullable()
      .defaultTo(false)
      .comment('Recorded by someone else on the requestor’s behalf');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_surveys', table => {
    table.dropColumn('on_behalf');
  });
};
