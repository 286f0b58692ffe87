// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('escalation_policies', table => {
    table.comment(
      'Every escalation policy that has been in force, by content hash, so a ticket keeps the policy it entered its tier under',
    );
    table.string('id', 64).primary().comment('sha256 of the policy JSON');
    table.text('policy').notNullable().comment('JSON');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
  });

  await knex.schema.alterTable('incidents', table => {
    table
      .timestamp('responded_at', { useTz: true })
      .comment(
        'First work on it: assigned to a person or moved past unassigned',
      );
    table
      .string('policy_id', 64)
      .comment('The escalation policy its current tier stay runs on');
    table
      .timestamp('policy_tier_entered_at', { useTz: true })
      .comment('The tier stay policy_id was taken for');
    table.index(
      ['priority', 'ci_name', 'opened_at'],
      'incidents_priority_ci_opened_idx',
    );
  });
  // What is known of first work for the incidents already stored.
  await knex('incidents')
    .where(q =>
      q.whereNotNull('assigned_to_id').orWhereNot('status', 'unassigned'),
    )
    .update({ responded_at: knex.ref('source_updated_at') });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(
      ['priority', 'ci_name', 'opened_at'],
      'incidents_priority_ci_opened_idx',
    );
    table.dropColumn('responded_at');
    table.dropColumn('policy_id');
    table.dropColumn('policy_tier_entered_at');
  });
  await knex.schema.dropTable('escalation_policies');
};
