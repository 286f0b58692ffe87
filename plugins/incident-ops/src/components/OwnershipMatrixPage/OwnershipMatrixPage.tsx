import {
  ACCOUNTABLE_ROLE_LABEL,
  OwnershipCell,
  OwnershipMatrix,
  OwnershipRow,
  ROLE_ANNOTATIONS,
} from '@acme/plugin-incident-ops-common';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  Checkbox,
  FormControlLabel,
  IconButton,
  MenuItem,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';
import GetAppIcon from '@material-ui/icons/GetApp';
import RefreshIcon from '@material-ui/icons/Refresh';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import { Alert } from '@material-ui/lab';
import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useSearchParams } from 'react-router-dom';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { matrixCsv } from './csv';

const useStyles = makeStyles(theme => ({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 180 },
  table: { '& th, & td': { verticalAlign: 'top' } },
  headCell: { whiteSpace: 'nowrap', fontWeight: 600 },
  // each cluster starts a group of rows
  clusterRow: {
    '&:not(:first-child) > *': {
      borderTop: `2px solid ${theme.palette.divider}`,
    },
  },
  entityCell: { whiteSpace: 'nowrap' },
  clusterName: { fontWeight: 700 },
  namespaceName: { paddingLeft: theme.spacing(2) },
  kind: { color: theme.palette.text.secondary, display: 'block' },
  inherited: { color: theme.palette.text.secondary },
  inheritedNote: {
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
    display: 'block',
  },
  ownNote: {
    color: theme.palette.text.primary,
    fontWeight: 600,
    display: 'block',
  },
  gapCell: {
    backgroundColor: alpha(
      theme.palette.warning.main,
      theme.palette.type === 'dark' ? 0.22 : 0.14,
    ),
    boxShadow: `inset 3px 0 0 ${theme.palette.warning.main}`,
  },
  gapLabel: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 4,
    fontWeight: 600,
    color: theme.palette.text.primary,
  },
  gapIcon: { color: theme.palette.warning.main },
  holder: { display: 'block' },
  missing: { color: theme.palette.error.main },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 3),
    marginBottom: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  legendSample: { display: 'inline', marginRight: theme.spacing(0.75) },
  legendGap: { marginRight: theme.spacing(0.75), verticalAlign: 'middle' },
}));

const nameOf = (ref?: string) => {
  if (!ref) return '';
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
};

const ALL = '';

function Cell(props: {
  cell: OwnershipCell;
  row: OwnershipRow;
  people: Map<string, OwnershipMatrix['people'][number]>;
}) {
  const { cell, row, people } = props;
  const classes = useStyles();
  const role = ACCOUNTABLE_ROLE_LABEL[cell.role];
  const holders = cell.holders.map(ref => {
    const person = people.get(ref);
    return (
      <span key={ref} className={classes.holder}>
        {person && !person.missing ? (
          <EntityRefLink entityRef={ref} title={person.name} />
        ) : (
          <span className={classes.missing}>{ref} (not in the catalog)</span>
        )}
      </span>
    );
  });
  if (cell.gap) {
    return (
      <TableCell
        className={classes.gapCell}
        data-gap="true"
        aria-label={`${role} of ${row.name}: gap, nobody holds it`}
        title={`Set ${ROLE_ANNOTATIONS[cell.role]} on ${
          row.type === 'namespace' && row.cluster
            ? `${row.name} or its cluster ${nameOf(row.cluster)}`
            : row.name
        }`}
      >
        <span className={classes.gapLabel}>
          <WarningIcon
            fontSize="small"
            className={classes.gapIcon}
            aria-hidden
          />
          Gap
        </span>
        {holders}
      </TableCell>
    );
  }
  return (
    <TableCell className={cell.inherited ? classes.inherited : undefined}>
      {holders}
      {cell.inherited ? (
        <Typography variant="caption" className={classes.inheritedNote}>
          inherited from {nameOf(cell.from)}
        </Typography>
      ) : (
        row.type === 'namespace' && (
          <Typography variant="caption" className={classes.ownNote}>
            set on namespace
          </Typography>
        )
      )}
    </TableCell>
  );
}

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

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
  const gapsShown = rows.reduce(
    (n, r) => n + r.cells.filter(c => c.gap).length,
    0,
  );
  const filtered = rows.length !== matrix.rows.length;
  const domainTitle = (name: string) =>
    matrix.domains.find(d => d.name === name)?.title ?? name;
  const visible = rows.slice(page * rowsPerPage, (page + 1) * rowsPerPage);

  return (
    <>
      {matrix.gaps.total > 0 ? (
        <Box mb={2}>
          <Alert severity="warning" role="status">
            <strong>
              {matrix.gaps.total} {matrix.gaps.total === 1 ? 'gap' : 'gaps'}
            </strong>{' '}
            across {matrix.rows.length} clusters and namespaces:{' '}
            {matrix.gaps.byRole
              .filter(g => g.count > 0)
              .map(g => `${ACCOUNTABLE_ROLE_LABEL[g.role]} ${g.count}`)
              .join(', ')}
            .
          </Alert>
        </Box>
      ) : (
        <Box mb={2}>
          <Alert severity="success" role="status">
            Every role is held on all {matrix.rows.length} clusters and
            namespaces.
          </Alert>
        </Box>
      )}
      <div className={classes.controls}>
        <TextField
          select
          id="ownership-matrix-cluster"
          label="Cluster"
          variant="outlined"
          size="small"
          className={classes.select}
          value={cluster}
          onChange={e => setFilter('cluster', e.target.value)}
          InputLabelProps={{ shrink: true }}
          SelectProps={{ displayEmpty: true }}
        >
          <MenuItem value={ALL}>All clusters</MenuItem>
          {clusters.map(c => (
            <MenuItem key={c.entityRef} value={c.entityRef}>
              {c.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          id="ownership-matrix-domain"
          label="Domain"
          variant="outlined"
          size="small"
          className={classes.select}
          value={domain}
          onChange={e => setFilter('domain', e.target.value)}
          InputLabelProps={{ shrink: true }}
          SelectProps={{ displayEmpty: true }}
        >
          <MenuItem value={ALL}>All domains</MenuItem>
          {matrix.domains.map(d => (
            <MenuItem key={d.name} value={d.name}>
              {d.title ?? d.name}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              checked={gapsOnly}
              onChange={e => setFilter('gaps', e.target.checked ? 'only' : '')}
              color="primary"
            />
          }
          label="Only rows with gaps"
        />
        <Button
          variant="outlined"
          color="primary"
          startIcon={<GetAppIcon />}
          onClick={() =>
            download('ownership-matrix.csv', matrixCsv(matrix, rows))
          }
          disabled={rows.length === 0}
        >
          Export CSV
        </Button>
        <Typography variant="body2" aria-live="polite">
          {filtered
            ? `${rows.length} of ${matrix.rows.length} rows, ${gapsShown} ${
                gapsShown === 1 ? 'gap' : 'gaps'
              }`
            : `${rows.length} rows`}
        </Typography>
      </div>
      <div className={classes.legend} aria-hidden>
        <span>
          <span className={`${classes.ownNote} ${classes.legendSample}`}>
            set on namespace
          </span>
          overrides the cluster
        </span>
        <span>
          <span className={`${classes.inheritedNote} ${classes.legendSample}`}>
            inherited from {clusters[0]?.name ?? 'the cluster'}
          </span>
          the cluster's holder applies
        </span>
        <span>
          <span className={`${classes.gapLabel} ${classes.legendGap}`}>
            <WarningIcon fontSize="small" className={classes.gapIcon} />
            Gap
          </span>
          nobody holds the role
        </span>
      </div>
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
              <TableRow
                key={row.entityRef}
                data-testid={`matrix-row-${row.name}`}
                className={
                  row.type === 'cluster' ? classes.clusterRow : undefined
                }
              >
                <TableCell
                  component="th"
                  scope="row"
                  // MUI gives a cell with a component role="cell"; this one heads its row
                  role="rowheader"
                  className={classes.entityCell}
                >
                  <span
                    className={
                      row.type === 'cluster'
                        ? classes.clusterName
                        : classes.namespaceName
                    }
                  >
                    <EntityRefLink entityRef={row.entityRef} title={row.name} />
                  </span>
                  <Typography
                    variant="caption"
                    className={`${classes.kind} ${
                      row.type === 'namespace' ? classes.namespaceName : ''
                    }`}
                  >
                    {row.type === 'cluster'
                      ? 'cluster'
                      : `namespace${
                          row.cluster ? ` on ${nameOf(row.cluster)}` : ''
                        }`}
                  </Typography>
                </TableCell>
                <TableCell>
                  {row.domain ? domainTitle(row.domain) : '—'}
                </TableCell>
                {matrix.roles.map(role => (
                  <Cell
                    key={role}
                    row={row}
                    people={people}
                    cell={
                      row.cells.find(c => c.role === role) ?? {
                        role,
                        holders: [],
                        inherited: false,
                        gap: true,
                      }
                    }
                  />
                ))}
              </TableRow>
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

/**
 * The role accountability matrix for leads: every cluster and namespace × Support Engineer,
 * Evangelist, Team Lead, Kube-Admin and Vendor Liaison; inherited cells marked, gaps
 * highlighted and counted; filters by cluster and domain; CSV export.
 * @public
 */
export function OwnershipMatrixPage() {
  const api = useApi(incidentOpsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getOwnershipMatrix(),
    [api],
  );

  let content: JSX.Element;
  if (loading && !value) {
    content = <Progress aria-label="Loading the ownership matrix" />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value || value.rows.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No clusters or namespaces in the catalog"
        description="Register Resources of spec.type kubernetes-cluster and kubernetes-namespace with the incident-ops.acme.com role annotations (see docs/catalog-model.md) and they show up here."
      />
    );
  } else {
    content = <OwnershipMatrixView matrix={value} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title="Ownership matrix"
        subtitle="Who holds each accountable role on every cluster and namespace"
      />
      <Content>
        <ContentHeader title="Role accountability">
          <IconButton aria-label="Refresh the ownership matrix" onClick={retry}>
            <RefreshIcon />
          </IconButton>
        </ContentHeader>
        {content}
      </Content>
    </Page>
  );
}
