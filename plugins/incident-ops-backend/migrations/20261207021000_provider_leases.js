// @ts-check

/**
 * Leases on a provider's scheduled work (its sync, its reconciliation), held by one
 * replica at a time and renewed while it works: a replica killed mid-run holds its lease
 * only until it expires, seconds later, not until a scheduler timeout.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_provider_leases', table => {
    table.comment('Who runs a provider task now, and until when');
    table.string('provider', 64).notNullable();
    table.string('task', 64).notNullable().comment('e.g. sync, reconcile');
    table
      .string('holder', 128)
      .notNullable()
      .comment('The replica holding it (host, process, random)');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.primary(['provider', 'task']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_provider_leases');
};
