// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table
      .string('ticket_type', 32)
      .comment('egress, gitlab-ci-access, … from the classification rules');
    table
      .string('ticket_type_rule', 128)
      .comment('The id of the rule that classified it');
    table
      .timestamp('tier_entered_at', { useTz: true })
      .comment(
        'Since when it has been at its tier: opened_at when first seen there, else when the suite saw the change',
      );
    table.index(['ticket_type'], 'incidents_ticket_type_idx');
  });
  await knex('incidents').update({ tier_entered_at: knex.ref('opened_at') });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(['ticket_type'], 'incidents_ticket_type_idx');
    table.dropColumn('ticket_type');
    table.dropColumn('ticket_type_rule');
    table.dropColumn('tier_entered_at');
  });
};
