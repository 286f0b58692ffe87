// @ts-check

/**
 * Namespace mentions, indexed when a ticket is stored: one row per (incident, name) its short
 * description or description names as a whole word, so an entity's incidents are found by the
 * namespaces they name without reading every ticket's text (it was a LIKE over both columns).
 * Which words count is set out in src/database/mentionIndex.ts: words shaped like a Kubernetes
 * name (a DNS label) that hold a '-'; the store matches other names in the text as before.
 * The rows of existing incidents are filled here with a copy of those rules (a migration must not change when the code does).
 *
 * Also an index in the order the Incidents card lists tickets (open first, most urgent,
 * newest), so an entity's first page is read in order rather than sorted from every match,
 * and the timeline's events and decisions by incident number.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_mentions', table => {
    table.comment(
      'The names (Kubernetes-name-shaped words) each incident text mentions',
    );
    table.string('source', 64).notNullable();
    table.string('source_id', 64).notNullable();
    table
      .string('name', 63)
      .notNullable()
      .comment('A mentioned word, lower case');
    table.primary(['source', 'source_id', 'name']);
    table.index(['name', 'source', 'source_id'], 'incident_mentions_name_idx');
  });
  await knex.raw(
    'CREATE INDEX incidents_list_order_idx ON incidents (is_open DESC, priority, opened_at DESC)',
  );
  // an incident's timeline is read by its number
  await knex.schema.alterTable('incident_events', table => {
    table.index(['number', 'id'], 'incident_events_number_idx');
  });
  await knex.schema.alterTable('incident_escalations', table => {
    table.index(['number', 'id'], 'incident_escalations_number_idx');
  });

  const word = /[a-z0-9-]+/g;
  const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  /** @param {string | null} text */
  const names = text =>
    (text ?? '')
      .toLowerCase()
      .match(word)
      ?.filter(w => w.includes('-') && label.test(w)) ?? [];

  // keyset pages over the primary key, so the backfill holds one page in memory
  const page = 5000;
  // rows a multi-row insert, within the bound variables of both databases (32,766 in SQLite)
  const chunk = 5000;
  let after = ['', ''];
  for (;;) {
    const rows = await knex('incidents')
      .whereRaw('(source, source_id) > (?, ?)', after)
      .orderBy(['source', 'source_id'])
      .limit(page)
      .select('source', 'source_id', 'short_description', 'description');
    if (rows.length === 0) break;
    const mentions = rows.flatMap(r =>
      [
        ...new Set([...names(r.short_description), ...names(r.description)]),
      ].map(name => ({ source: r.source, source_id: r.source_id, name })),
    );
    for (let i = 0; i < mentions.length; i += chunk) {
      const some = mentions.slice(i, i + chunk);
      await knex.raw(
        `INSERT INTO incident_mentions (source, source_id, name) VALUES ${some
          .map(() => '(?, ?, ?)')
          .join(', ')}`,
        some.flatMap(m => [m.source, m.source_id, m.name]),
      );
    }
    const last = rows[rows.length - 1];
    after = [last.source, last.source_id];
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_escalations', table => {
    table.dropIndex(['number', 'id'], 'incident_escalations_number_idx');
  });
  await knex.schema.alterTable('incident_events', table => {
    table.dropIndex(['number', 'id'], 'incident_events_number_idx');
  });
  await knex.raw('DROP INDEX incidents_list_order_idx');
  await knex.schema.dropTable('incident_mentions');
};
