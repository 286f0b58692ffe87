// @ts-check
const { createHash } = require('crypto');

/**
 * Fenced, ordered outboxes (write-backs and notifications): each claim's random token and its
 * lease (state changes are conditional on the token; the lease is renewed while a worker
 * works the row), the `refused` and `discarded` states, and the order per incident (an index
 * on the write-backs' incident; an order key on notifications, filled for rows still to
 * send). Notifications that `failed` before are `refused` now.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const name of ['incident_outbox', 'incident_notifications']) {
    await knex.schema.alterTable(name, table => {
      table
        .string('claim_token', 36)
        .comment('The claim holding a running row; its updates name it');
      table
        .timestamp('lease_until', { useTz: true })
        .comment('A running row whose lease ran out is claimed again');
    });
  }
  await knex.schema.alterTable('incident_outbox', table => {
    table.index(['source', 'source_id', 'id'], 'incident_outbox_incident_idx');
  });
  await knex.schema.alterTable('incident_notifications', table => {
    table
      .string('order_key', 255)
      .comment(
        'Rows with the same key are sent in id order: events per incident, deliveries per incident, channel and addresses',
      );
    table.index(['order_key', 'id'], 'incident_notifications_order_idx');
  });
  const open = await knex('incident_notifications')
    .whereIn('status', ['pending', 'running', 'failed'])
    .whereNotNull('number')
    .select('id', 'kind', 'number', 'channel', 'recipients');
  for (const row of open) {
    await knex('incident_notifications')
      .where({ id: row.id })
      .update({ order_key: orderKey(row) });
  }
  await knex('incident_notifications')
    .where({ status: 'failed' })
    .update({ status: 'refused' });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex('incident_outbox')
    .whereIn('status', ['refused', 'discarded'])
    .update({ status: 'conflict' });
  await knex('incident_notifications')
    .whereIn('status', ['refused', 'discarded'])
    .update({ status: 'failed' });
  await knex.schema.alterTable('incident_outbox', table => {
    table.dropIndex([], 'incident_outbox_incident_idx');
    table.dropColumn('claim_token');
    table.dropColumn('lease_until');
  });
  await knex.schema.alterTable('incident_notifications', table => {
    table.dropIndex([], 'incident_notifications_order_idx');
    table.dropColumn('order_key');
    table.dropColumn('claim_token');
    table.dropColumn('lease_until');
  });
};

/**
 * The order key as the notification store wrote it when this migration was written.
 * @param {{ kind: string, number: string, channel: string | null, recipients: string | null }} row
 */
function orderKey(row) {
  if (row.kind === 'event') return `event|${row.number}`;
  const { to = [] } = row.recipients ? JSON.parse(row.recipients) : {};
  const addresses = createHash('sha256')
    .update([...to].sort().join(','))
    .digest('hex')
    .slice(0, 16);
  return `delivery|${row.number}|${row.channel}|${addresses}`;
}
