import {
  ACCOUNTABLE_ROLE_LABEL,
  OwnershipMatrix,
} from '@acme/plugin-incident-ops-common';
import {
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
} from '@material-ui/core';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { GapSummary } from './GapSummary';
import { ALL, MatrixControls } from './MatrixControls';
import { MatrixLegend } from './MatrixLegend';
import { MatrixRow } from './MatrixRow';
import { useStyles } from './styles';

/** The matrix with its filters, legend, gap summary and CSV export. */
export function OwnershipMatrixView(props: { matrix: OwnershipMatrix }) {
  const { matrix } = props;
  const classes = useStyles();
  const [params, setParams] = useSearchParams();
  const cluster = params.get('cluster') ?? ALL;
  const domain = params.get('domain') ?? ALL;
  const gapsOnly = params.get('gaps') === 'only';
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(50);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setPage(0);
  };

  const people = useMemo(
    () => new Map(matrix.people.map(p => [p.entityRef, p])),
    [matrix],
  );
  const clusters = matrix.rows.filter(r => r.type === 'cluster');
  const rows = useMemo(
    () =>
      matrix.rows.filter(
        r =>
          (!cluster || r.entityRef === cluster || r.cluster === cluster) &&
          (!domain || r.domain === domain) &&
          (!gapsOnly || r.cells.some(c => c.gap)),
      ),
    [matrix, cluster, domain, gapsOnly],
  );
  const domainTitle = (name: string) =>
    matrix.domains.find(d => d.name === name)?.title ?? name;
  const visible = rows.slice(page * rowsPerPage, (page + 1) * rowsPerPage);

  return (
    <>
      <GapSummary matrix={matrix} />
      <MatrixControls
        matrix={matrix}
        rows={rows}
        clusters={clusters}
        cluster={cluster}
        domain={domain}
        gapsOnly={gapsOnly}
        setFilter={setFilter}
      />
      <MatrixLegend clusterName={clusters[0]?.name} />
      <TableContainer component={Paper}>
        <Table
          size="small"
          className={classes.table}
          aria-label="Role accountability matrix"
        >
          <TableHead>
            <TableRow>
              <TableCell className={classes.headCell}>
                Cluster / namespace
              </TableCell>
              <TableCell className={classes.headCell}>Domain</TableCell>
              {matrix.roles.map(r => (
                <TableCell key={r} className={classes.headCell}>
                  {ACCOUNTABLE_ROLE_LABEL[r]}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {visible.length === 0 && (
              <TableRow>
                <TableCell colSpan={2 + matrix.roles.length}>
                  No cluster or namespace matches the filters.
                </TableCell>
              </TableRow>
            )}
            {visible.map(row => (
              <MatrixRow
                key={row.entityRef}
                row={row}
                roles={matrix.roles}
                people={people}
                domainTitle={domainTitle}
              />
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {rows.length > 50 && (
        <TablePagination
          component="div"
          count={rows.length}
          page={page}
          rowsPerPage={rowsPerPage}
          rowsPerPageOptions={[50, 100, 250]}
          onPageChange={(_e, p) => setPage(p)}
          onRowsPerPageChange={e => {
            setRowsPerPage(Number(e.target.value));
            setPage(0);
          }}
        />
      )}
    </>
  );
}
