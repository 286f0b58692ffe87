import type { ReportKind } from '@acme/plugin-incident-ops-common';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  Typography,
  makeStyles,
} from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import {
  PERIOD_PARAM,
  lastCompletePeriod,
  periodChoices,
  periodLabel,
} from './format';
import { ReportView } from './ReportView';
import { downloadCsv } from '../common/downloadCsv';

const useStyles = makeStyles(theme => ({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(3),
  },
  period: { minWidth: 260 },
  spacer: { flexGrow: 1 },
}));

const KINDS: Array<[ReportKind, string]> = [
  ['weekly', 'Weekly'],
  ['monthly', 'Monthly'],
  ['quarterly', 'Quarterly'],
];

/**
 * The Reports page: the weekly, monthly and quarterly reports for management, with the
 * period in the URL (`?week=2026-W47`, `?month=2026-11`, `?quarter=2026-Q4`), charts of the
 * trends and distributions, SLA compliance, the recommendations and a CSV download.
 * @public
 */
export function ReportsPage() {
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const alertApi = useApi(alertApiRef);
  const [params, setParams] = useSearchParams();
  const [downloading, setDownloading] = useState(false);
  const now = useMemo(() => new Date(), []);

  const kind: ReportKind =
    KINDS.find(([k]) => params.has(PERIOD_PARAM[k]))?.[0] ?? 'weekly';
  const choices = useMemo(() => periodChoices(kind, now), [kind, now]);
  const period =
    params.get(PERIOD_PARAM[kind]) ?? lastCompletePeriod(kind, now).id;

  const { value, loading, error } = useAsync(
    () => api.getReport(kind, period),
    [api, kind, period],
  );

  const select = (k: ReportKind, id: string) =>
    setParams(new URLSearchParams({ [PERIOD_PARAM[k]]: id }), {
      replace: true,
    });

  const onDownload = async () => {
    setDownloading(true);
    try {
      downloadCsv(
        `incident-report-${period}.csv`,
        await api.getReportCsv(kind, period),
      );
    } catch (e) {
      alertApi.post({
        message: `Could not download the report: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setDownloading(false);
    }
  };

  const known = choices.some(c => c.id === period);
  let content: JSX.Element;
  if (loading && !value) {
    content = <Progress aria-label="Loading the report" />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else {
    content = <ReportView report={value!} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title="Incident reports"
        subtitle="Escalation trends, resolution times, SLA compliance, KB usage and the improvements they point to"
      />
      <Content>
        <div className={classes.controls}>
          <ToggleButtonGroup
            exclusive
            size="small"
            value={kind}
            aria-label="Report"
            onChange={(_e, k: ReportKind | null) =>
              k && select(k, lastCompletePeriod(k, now).id)
            }
          >
            {KINDS.map(([k, label]) => (
              <ToggleButton key={k} value={k} aria-label={`${label} report`}>
                {label}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
          <FormControl
            variant="outlined"
            size="small"
            className={classes.period}
          >
            <InputLabel id="report-period-label">Period</InputLabel>
            <Select
              labelId="report-period-label"
              label="Period"
              value={period}
              onChange={e => select(kind, String(e.target.value))}
            >
              {!known && <MenuItem value={period}>{period}</MenuItem>}
              {choices.map((c, i) => (
                <MenuItem key={c.id} value={c.id}>
                  {periodLabel(c)}
                  {i === 0 ? ' (in progress)' : ''}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <Button
            variant="outlined"
            color="primary"
            startIcon={<GetAppIcon />}
            onClick={onDownload}
            disabled={downloading || !value}
          >
            Download CSV
          </Button>
          <span className={classes.spacer} />
          {value && (
            <Box>
              <Typography variant="body2" color="textSecondary">
                {periodLabel(value.period)} · UTC · made{' '}
                {new Date(value.generatedAt).toLocaleString()}
              </Typography>
            </Box>
          )}
        </div>
        {content}
      </Content>
    </Page>
  );
}
