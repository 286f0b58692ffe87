// @ts-check

/**
 * The Ops queue's default order, breaching first, read from indexes instead of computed over
 * every open incident on each page (issue 17).
 *
 * - `sla_breach_at` and `sla_frozen_over_ms` on the escalation state: while the SLA clock
 *   runs, the instant it reaches its limit (in the past when breached); while it is paused
 *   (awaiting the customer), its time used minus its limit (negative: time left). The
 *   escalation engine writes both with each incident's next due time; a change to the
 *   incident (sync, a transition) clears them and marks it due, and the queue reads the
 *   clocks of incidents still due itself (see DatabaseQueueStore).
 * - The queue's total counted from one index (open, not removed, with the filter columns).
 * - The Incidents card's CMDB CI look-ups read in the card's order (open first, most
 *   urgent, newest), one CI at a time, instead of every ticket a CI ever had then sorted.
 *
 * Every open incident gets a state row if it has none, and is marked due, so that the engine
 * stores its clock on its next tick.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incident_escalation_state', table => {
    table
      .timestamp('sla_breach_at', { useTz: true })
      .nullable()
      .comment('Running SLA clock: when it reaches its limit');
    table
      .bigInteger('sla_frozen_over_ms')
      .nullable()
      .comment(
        'Paused SLA clock: time used minus the limit (negative: time left)',
      );
    table.index(['sla_breach_at'], 'incident_escalation_state_breach_idx');
  });
  await knex.raw(
    `CREATE INDEX incident_escalation_state_frozen_idx ON incident_escalation_state
       (sla_frozen_over_ms DESC)`,
  );
  await knex.schema.alterTable('incidents', table => {
    table.index(
      ['is_open', 'removed_at', 'priority', 'tier', 'ticket_type'],
      'incidents_open_filter_idx',
    );
    table.dropIndex(['ci_name'], 'incidents_ci_name_idx');
    table.dropIndex(['ci_id'], 'incidents_ci_id_idx');
  });
  for (const column of ['ci_name', 'ci_id']) {
    await knex.raw(
      `CREATE INDEX incidents_${column}_list_idx ON incidents
         (${column}, is_open DESC, priority, opened_at DESC)`,
    );
  }
  const now = new Date();
  const missing = knex('incidents as i')
    .where('i.is_open', true)
    .whereNotExists(
      knex('incident_escalation_state as d')
        .whereRaw('d.source = i.source and d.source_id = i.source_id')
        .select(knex.raw('1')),
    )
    .select('i.source', 'i.source_id', 'i.opened_at');
  await knex.raw(
    `INSERT INTO incident_escalation_state (source, source_id, due_at) ${missing}`,
  );
  await knex('incident_escalation_state')
    .whereIn(['source', 'source_id'], q =>
      q.from('incidents').where('is_open', true).select('source', 'source_id'),
    )
    .where(w => w.whereNull('due_at').orWhere('due_at', '>', now))
    .update({ due_at: now });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX incident_escalation_state_frozen_idx');
  await knex.raw('DROP INDEX incidents_ci_name_list_idx');
  await knex.raw('DROP INDEX incidents_ci_id_list_idx');
  await knex.schema.alterTable('incidents', table => {
    table.index(['ci_name'], 'incidents_ci_name_idx');
    table.index(['ci_id'], 'incidents_ci_id_idx');
    table.dropIndex(
      ['is_open', 'removed_at', 'priority', 'tier', 'ticket_type'],
      'incidents_open_filter_idx',
    );
  });
  await knex.schema.alterTable('incident_escalation_state', table => {
    table.dropIndex(['sla_breach_at'], 'incident_escalation_state_breach_idx');
    table.dropColumn('sla_breach_at');
    table.dropColumn('sla_frozen_over_ms');
  });
};
