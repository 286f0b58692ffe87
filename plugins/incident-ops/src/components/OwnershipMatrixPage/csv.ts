import {
  ACCOUNTABLE_ROLE_LABEL,
  OwnershipMatrix,
  OwnershipRow,
} from '@acme/plugin-incident-ops-common';
import { nameOf } from './nameOf';

const field = (value: string) =>
  /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/**
 * The matrix rows as CSV: one line per cluster or namespace, and for each role its holders
 * (names, `;`-separated) and whether the role is set on the row, inherited or a gap.
 */
export function matrixCsv(matrix: OwnershipMatrix, rows: OwnershipRow[]) {
  const people = new Map(matrix.people.map(p => [p.entityRef, p]));
  const header = [
    'type',
    'cluster',
    'name',
    'entity_ref',
    'domain',
    ...matrix.roles.flatMap(r => [
      ACCOUNTABLE_ROLE_LABEL[r],
      `${ACCOUNTABLE_ROLE_LABEL[r]} source`,
    ]),
  ];
  const lines = rows.map(row => [
    row.type,
    row.type === 'cluster' ? row.name : nameOf(row.cluster),
    row.name,
    row.entityRef,
    row.domain ?? '',
    ...matrix.roles.flatMap(role => {
      const cell = row.cells.find(c => c.role === role);
      if (!cell) return ['', 'gap'];
      const names = cell.holders.map(h => people.get(h)?.name ?? h).join('; ');
      let source = 'set';
      if (cell.gap) source = 'gap';
      else if (cell.inherited) source = `inherited from ${nameOf(cell.from)}`;
      return [names, source];
    }),
  ]);
  return [header, ...lines]
    .map(line => line.map(field).join(','))
    .join('\r\n')
    .concat('\r\n');
}
