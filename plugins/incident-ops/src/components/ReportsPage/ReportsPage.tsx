import type {
  ReportKind,
  ReportResponse,
} from '@acme/plugin-incident-ops-common';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  FormControl,
  Grid,
  InputLabel,
  MenuItem,
  Paper,
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
  DistributionChart,
  DurationChart,
  EscalationTrendChart,
} from './charts';
import {
  PERIOD_PARAM,
  axisLabel,
  duration,
  lastCompletePeriod,
  percent,
  periodChoices,
  periodLabel,
} from './format';
import {
  KbUsageCard,
  Recommendations,
  RecurringCard,
  ResolutionTable,
  SlaTable,
  SurveysCard,
  TicketTypeTable,
  VendorsAndPostMortemsCard,
} from './sections';

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
  tile: { padding: theme.spacing(2), height: '100%' },
  tileValue: {
    fontSize: '1.6rem',
    whiteSpace: 'nowrap',
    fontWeight: 600,
    lineHeight: 1.2,
    fontVariantNumeric: 'tabular-nums',
  },
  tileLabel: { color: theme.palette.text.secondary },
  tileNote: { color: theme.palette.text.secondary, marginTop: 4 },
}));

const KINDS: Array<[ReportKind, string]> = [
  ['weekly', 'Weekly'],
  ['monthly', 'Monthly'],
  ['quarterly', 'Quarterly'],
];

function Tile(props: { label: string; value: string; note?: string }) {
  const classes = useStyles();
  return (
    <Paper
      className={classes.tile}
      variant="outlined"
      role="group"
      aria-label={props.label}
    >
      <Typography variant="body2" className={classes.tileLabel}>
        {props.label}
      </Typography>
      <div className={classes.tileValue}>{props.value}</div>
      {props.note && (
        <Typography
          variant="caption"
          component="div"
          className={classes.tileNote}
        >
          {props.note}
        </Typography>
      )}
    </Paper>
  );
}

/** The headline figures of a report. */
function Tiles(props: { report: ReportResponse }) {
  const { report } = props;
  const e = report.escalations;
  const before = e.trend[e.trend.length - 2];
  let change = 'no earlier period';
  if (before === 0) {
    change =
      e.total === 0
        ? 'none the period before either'
        : 'none the period before';
  } else if (before !== undefined) {
    change = `${e.total >= before ? '+' : ''}${Math.round(
      ((e.total - before) / before) * 100,
    )}% on the period before (${before})`;
  }
  const resolved = report.sla.reduce((n, s) => n + s.resolved, 0);
  const met = report.sla.reduce(
    (n, s) => n + (s.resolved - s.resolve.breached),
    0,
  );
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6} md>
        <Tile label="Escalations" value={String(e.total)} note={change} />
      </Grid>
      <Grid item xs={12} sm={6} md>
        <Tile
          label="Time to acknowledge"
          value={duration(report.timeToAcknowledge.overall.medianMs)}
          note={`median · p90 ${duration(
            report.timeToAcknowledge.overall.p90Ms,
          )} · ${report.timeToAcknowledge.overall.count} tickets`}
        />
      </Grid>
      <Grid item xs={12} sm={6} md>
        <Tile
          label="Time to resolve"
          value={duration(report.timeToResolve.overall.medianMs)}
          note={`median · p90 ${duration(
            report.timeToResolve.overall.p90Ms,
          )} · ${report.timeToResolve.overall.count} tickets`}
        />
      </Grid>
      <Grid item xs={12} sm={6} md>
        <Tile
          label="Resolved within SLA"
          value={percent(resolved ? met / resolved : null)}
          note={`${met} of ${resolved} tickets resolved`}
        />
      </Grid>
      <Grid item xs={12} sm={6} md>
        <Tile
          label="Survey rating"
          value={
            report.surveys.averageRating === null
              ? '–'
              : `${report.surveys.averageRating} / 5`
          }
          note={`${report.surveys.responses} responses`}
        />
      </Grid>
    </Grid>
  );
}

/** One report laid out: headline figures, charts, tables and the recommendations. */
export function ReportView(props: { report: ReportResponse }) {
  const { report } = props;
  const weekly = report.period.kind === 'weekly';
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Tiles report={report} />
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard
          title="Escalation trend"
          subheader={`By trigger, ${axisLabel(report.trend[0])} to ${axisLabel(
            report.period,
          )} ${report.period.start.slice(0, 4)}`}
        >
          <EscalationTrendChart report={report} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard
          title="Escalations by tier"
          subheader="This period and the one before"
        >
          <DistributionChart counts={report.escalations.byTier} label="tier" />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard
          title="Escalations by priority"
          subheader="This period and the one before"
        >
          <DistributionChart
            counts={report.escalations.byPriority}
            label="priority"
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard
          title="Time to resolve by priority"
          subheader="Median and p90"
        >
          <DurationChart
            stats={report.timeToResolve.byPriority}
            label="Time to resolve by priority"
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Time to resolve by tier" subheader="Median and p90">
          <DurationChart
            stats={report.timeToResolve.byTier}
            label="Time to resolve by tier"
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard
          title="SLA compliance"
          subheader="Tickets resolved this period; breaches as the escalation engine recorded them (awaiting-customer time not counted)"
        >
          <SlaTable report={report} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="Escalations by ticket type">
          <TicketTypeTable report={report} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Time to acknowledge and resolve"
          subheader="Acknowledged: first response in the period; resolved: resolved in the period"
        >
          <ResolutionTable report={report} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Process-improvement recommendations"
          subheader={
            weekly
              ? undefined
              : 'Drawn from the period’s figures, each with its evidence'
          }
        >
          {weekly ? (
            <Typography color="textSecondary">
              Recommendations come with the monthly and quarterly reports.
            </Typography>
          ) : (
            <Recommendations items={report.recommendations ?? []} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <KbUsageCard report={report} />
      </Grid>
      <Grid item xs={12} md={6}>
        <SurveysCard report={report} />
      </Grid>
      <Grid item xs={12} md={6}>
        <RecurringCard report={report} />
      </Grid>
      <Grid item xs={12} md={6}>
        <VendorsAndPostMortemsCard report={report} />
      </Grid>
    </Grid>
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
      download(
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
