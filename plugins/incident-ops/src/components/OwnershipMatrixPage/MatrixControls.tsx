import {
  OwnershipMatrix,
  OwnershipRow,
} from '@acme/plugin-incident-ops-common';
import {
  Button,
  Checkbox,
  FormControlLabel,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { downloadCsv } from '../common/downloadCsv';
import { matrixCsv } from './csv';
import { useStyles } from './styles';

/** The filters' value for "no filter". */
export const ALL = '';

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  allLabel: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      select
      id={props.id}
      label={props.label}
      variant="outlined"
      size="small"
      className={classes.select}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      InputLabelProps={{ shrink: true }}
      SelectProps={{ displayEmpty: true }}
    >
      <MenuItem value={ALL}>{props.allLabel}</MenuItem>
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Filters by cluster, domain and gaps, the CSV export, and how many rows are shown. */
export function MatrixControls(props: {
  matrix: OwnershipMatrix;
  /** The rows the filters let through. */
  rows: OwnershipRow[];
  clusters: OwnershipRow[];
  cluster: string;
  domain: string;
  gapsOnly: boolean;
  setFilter: (key: string, value: string) => void;
}) {
  const { matrix, rows, clusters, cluster, domain, gapsOnly, setFilter } =
    props;
  const classes = useStyles();
  const gapsShown = rows.reduce(
    (n, r) => n + r.cells.filter(c => c.gap).length,
    0,
  );
  const filtered = rows.length !== matrix.rows.length;
  return (
    <div className={classes.controls}>
      <FilterSelect
        id="ownership-matrix-cluster"
        label="Cluster"
        value={cluster}
        allLabel="All clusters"
        options={clusters.map(c => ({ value: c.entityRef, label: c.name }))}
        onChange={v => setFilter('cluster', v)}
      />
      <FilterSelect
        id="ownership-matrix-domain"
        label="Domain"
        value={domain}
        allLabel="All domains"
        options={matrix.domains.map(d => ({
          value: d.name,
          label: d.title ?? d.name,
        }))}
        onChange={v => setFilter('domain', v)}
      />
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
          downloadCsv('ownership-matrix.csv', matrixCsv(matrix, rows))
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
  );
}
