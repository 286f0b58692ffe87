// @ts-check

/**
 * Why the last reconciliation removed nothing: it would have removed more of the stored
 * incidents than the provider allows at once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incident_provider_state', table => {
    table
      .text('reconcile_refused')
      .comment(
        'Why the last reconciliation removed nothing (too large a share missing), or null',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_provider_state', table => {
    table.dropColumn('reconcile_refused');
  });
};
