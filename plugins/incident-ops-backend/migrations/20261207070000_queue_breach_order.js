// @ts-check

/**
 * The Ops queue's default order, breaching first, read from indexes instead of computed over
 * every open incident on each page (issue 17).
 *
 * - `sla_breach_at`: while the SLA clock runs, the instant it reaches its limit (in the past
 *   when breached); `sla_frozen_over_ms`: while it is paused (awaiting the customer), its
 *   time used minus its limit (negative: time left). The escalation engine writes both when
 *   it evaluates an incident; every change marks the incident due for evaluation, and the
 *   queue reads the clocks of incidents still due itself (see DatabaseQueueStore).
 * - The queue's total counted from one index (open, not removed, with the filter columns).
 * - The Incidents card's CMDB CI look-ups read in the card's order (open first, most
 *   urgent, newest), one CI at a time, instead of every ticket a CI ever had then sorted.
 *
 * The open incidents are marked due, so that the engine writes their clocks on its next tick.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table
      .timestamp('sla_breach_at', { useTz: true })
      .nullable()
      .comment(
        'Running SLA clock: when it reaches its limit. Written by the escalation engine',
      );
    table
      .bigInteger('sla_frozen_over_ms')
      .nullable()
      .comment(
        'Paused SLA clock: time used minus the limit (negative: time left). Written by the escalation engine',
      );
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
  await knex.raw(
    `CREATE INDEX incidents_breach_order_idx ON incidents
       (is_open, sla_breach_at, sla_frozen_over_ms, priority, opened_at)`,
  );
  await knex.raw(
    `CREATE INDEX incidents_frozen_order_idx ON incidents
       (is_open, sla_frozen_over_ms DESC, priority, opened_at)`,
  );
  const now = new Date();
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
  await knex.raw('DROP INDEX incidents_breach_order_idx');
  await knex.raw('DROP INDEX incidents_frozen_order_idx');
  await knex.raw('DROP INDEX incidents_ci_name_list_idx');
  await knex.raw('DROP INDEX incidents_ci_id_list_idx');
  await knex.schema.alterTable('incidents', table => {
    table.index(['ci_name'], 'incidents_ci_name_idx');
    table.index(['ci_id'], 'incidents_ci_id_idx');
    table.dropIndex(
      ['is_open', 'removed_at', 'priority', 'tier', 'ticket_type'],
      'incidents_open_filter_idx',
    );
    table.dropColumn('sla_breach_at');
    table.dropColumn('sla_frozen_over_ms');
  });
};
