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

  // The engine's schedule, apart from the wide incidents rows: a full pass rewrites every
  // due time, and a narrow row with two indexes is much cheaper to rewrite.
  await knex.schema.createTable('incident_escalation_state', table => {
    table.comment(
      'When the escalation engine looks at each incident next, and the policy its tier stay runs on',
    );
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table
      .timestamp('due_at', { useTz: true })
      .comment('null: only on a change; nothing closed or removed is due');
    table.string('policy_id', 64);
    table
      .timestamp('policy_tier_entered_at', { useTz: true })
      .comment('The tier stay policy_id was taken for');
    table.primary(['source', 'source_id']);
    // (with the id: a tick pages through what is due by due time, then id)
    table.index(['due_at', 'source_id'], 'incident_escalation_state_due_idx');
  });
  const due = await knex('incidents')
    .whereNotNull('escalation_due_at')
    .select('source', 'source_id', { due_at: 'escalation_due_at' });
  for (let i = 0; i < due.length; i += 500) {
    await knex('incident_escalation_state').insert(due.slice(i, i + 500));
  }
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(['escalation_due_at'], 'incidents_escalation_due_idx');
  });
  await knex.schema.alterTable('incidents', table => {
    table.dropColumn('escalation_due_at');
  });

  await knex.schema.alterTable('incidents', table => {
    table
      .timestamp('responded_at', { useTz: true })
      .comment(
        'First work on it: assigned to a person or moved past unassigned',
      );
    table
      .string('previous_status', 32)
      .comment(
        'Its status before the last write by sync (for the status history)',
      );
    table.index(
      ['priority', 'ci_name', 'opened_at'],
      'incidents_priority_ci_opened_idx',
    );
  });
  await knex.schema.alterTable('incident_outbox', table => {
    table
      .integer('expected_version')
      .comment('The source version the change was decided on');
    table
      .integer('written_version')
      .comment('The source version our write produced, when the source said');
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
  await knex.schema.alterTable('incident_outbox', table => {
    table.dropColumn('expected_version');
    table.dropColumn('written_version');
  });
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(
      ['priority', 'ci_name', 'opened_at'],
      'incidents_priority_ci_opened_idx',
    );
  });
  await knex.schema.alterTable('incidents', table => {
    table.dropColumn('responded_at');
    table.dropColumn('previous_status');
  });
  await knex.schema.alterTable('incidents', table => {
    table.timestamp('escalation_due_at', { useTz: true });
    table.index(['escalation_due_at'], 'incidents_escalation_due_idx');
  });
  const due = await knex('incident_escalation_state')
    .whereNotNull('due_at')
    .select('source', 'source_id', 'due_at');
  for (const d of due) {
    await knex('incidents')
      .where({ source: d.source, source_id: d.source_id })
      .update({ escalation_due_at: d.due_at });
  }
  await knex.schema.dropTable('incident_escalation_state');
  await knex.schema.dropTable('escalation_policies');
};
