import type { Tier } from '@acme/plugin-incident-ops-common';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import { isIndexedName } from './mentionIndex';

/**
 * One condition on incidents that a list must honour, already resolved against the catalog
 * and the tier config (see permissions/restrictions.ts):
 * - `tiers`: at one of these tiers (L1 includes open tickets at triage, with no tier);
 * - `callerIds`: its caller is one of these source users;
 * - `numbers`: one of these incidents;
 * - `on`: on one of these CMDB CIs, or naming one of these namespaces as a whole word, its
 *   CI absent or its cluster's.
 */
export type IncidentClause =
  | { tiers: Tier[] }
  | { callerIds: string[] }
  | { numbers: string[] }
  | {
      on: {
        cis: string[];
        namespaces: Array<{ name: string; clusterCis: string[] }>;
      };
    };

/** What a reader may see of the incidents table; absent: everything. */
export type IncidentRestriction = PermissionCriteria<IncidentClause>;

/** IN lists in chunks: SQLite binds at most 32,766 values (and PostgreSQL 65,535). */
function whereAnyIn(
  q: Knex.QueryBuilder,
  column: string,
  values: string[],
): void {
  q.where(w => {
    if (values.length === 0) w.whereRaw('1 = 0');
    for (let i = 0; i < values.length; i += 500) {
      w.orWhereIn(column, values.slice(i, i + 500));
    }
  });
}

function applyClause(q: Knex.QueryBuilder, c: IncidentClause, t: string) {
  if ('tiers' in c) {
    q.where(w => {
      if (c.tiers.length === 0) w.whereRaw('1 = 0');
      else w.whereIn(`${t}.tier`, c.tiers);
      if (c.tiers.includes('L1')) {
        w.orWhere(x => x.whereNull(`${t}.tier`).andWhere(`${t}.is_open`, true));
      }
    });
  } else if ('callerIds' in c) {
    whereAnyIn(q, `${t}.caller_id`, c.callerIds);
  } else if ('numbers' in c) {
    whereAnyIn(q, `${t}.number`, c.numbers);
  } else {
    const { cis, namespaces } = c.on;
    q.where(w => {
      w.whereRaw('1 = 0');
      if (cis.length > 0) {
        w.orWhere(x => whereAnyIn(x, `${t}.ci_name`, cis));
        w.orWhere(x => whereAnyIn(x, `${t}.ci_id`, cis));
      }
      for (const ns of namespaces) {
        w.orWhere(x => {
          const name = ns.name.toLowerCase();
          if (isIndexedName(name)) {
            // the mention index (whole words, filled when incidents are stored)
            x.whereExists(m =>
              m
                .select('m.name')
                .from('incident_mentions as m')
                .whereRaw(`m.source = ${t}.source`)
                .andWhereRaw(`m.source_id = ${t}.source_id`)
                .andWhere('m.name', name),
            );
          } else {
            // a name the index does not hold: a substring of the text
            const like = `%${name.replace(/[\\%_]/g, ch => `\\${ch}`)}%`;
            x.where(y =>
              y
                .whereRaw(`lower(${t}.short_description) like ? escape '\\'`, [
                  like,
                ])
                .orWhereRaw(`lower(${t}.description) like ? escape '\\'`, [
                  like,
                ]),
            );
          }
          x.andWhere(y => {
            y.whereNull(`${t}.ci_name`);
            if (ns.clusterCis.length > 0) {
              y.orWhereIn(`${t}.ci_name`, ns.clusterCis);
              y.orWhereIn(`${t}.ci_id`, ns.clusterCis);
            }
          });
        });
      }
    });
  }
}

/**
 * Narrows a query on the incidents table (aliased `t`) to what `restriction` lets a reader
 * see: the criteria tree of a conditional permission decision, with its leaves resolved.
 */
export function applyRestriction(
  q: Knex.QueryBuilder,
  restriction: IncidentRestriction | undefined,
  t = 'incidents',
): void {
  if (!restriction) return;
  if ('allOf' in restriction) {
    q.where(w => {
      for (const r of restriction.allOf)
        w.andWhere(x => applyRestriction(x, r, t));
    });
  } else if ('anyOf' in restriction) {
    q.where(w => {
      w.whereRaw('1 = 0');
      for (const r of restriction.anyOf)
        w.orWhere(x => applyRestriction(x, r, t));
    });
  } else if ('not' in restriction) {
    q.whereNot(w => applyRestriction(w, restriction.not, t));
  } else {
    applyClause(q, restriction, t);
  }
}
