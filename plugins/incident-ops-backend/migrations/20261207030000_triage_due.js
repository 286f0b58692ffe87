// @ts-check

/**
 * Open tickets with no tier (no assignment group, or one mapped to no tier) are at L1 for
 * triage from this version on: each is due once, so the escalation engine applies L1's
 * rules to it and stores its real next due time. Nothing changes in the schema.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const ids = knex('incidents')
    .whereNull('tier')
    .where('is_open', true)
    .whereNull('removed_at')
    .select('source', 'source_id');
  // (A JS date, not CURRENT_TIMESTAMP: on SQLite knex stores dates as numbers, and text
  // never compares as due.)
  await knex('incident_escalation_state')
    .whereIn(['source', 'source_id'], ids)
    .update({ due_at: new Date() });
};

/**
 * Nothing to undo: the engine sets each ticket's due time again on its next look.
 *
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
