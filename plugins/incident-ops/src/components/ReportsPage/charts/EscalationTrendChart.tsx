import type {
  DurationStat,
  ReportCount,
  ReportResponse,
} from '@acme/plugin-incident-ops-common';
import { Box, Typography, useTheme } from '@material-ui/core';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { TRIGGER_LABEL, axisLabel, duration } from './format';

const HEIGHT = 260;

function usePalette() {
  const theme = useTheme();
  const p = theme.palette;
  return {
    series: [
      p.primary.main,
      p.warning.main,
      p.success.main,
      p.error.main,
      p.info.dark,
      p.secondary.main,
      p.grey[500],
    ],
    axis: p.text.secondary,
    grid: p.divider,
    muted: p.action.disabled,
    tooltip: {
      contentStyle: {
        background: p.background.paper,
        border: `1px solid ${p.divider}`,
        color: p.text.primary,
      },
      cursor: { fill: p.action.hover },
    },
  };
}

function Empty(props: { children: string }) {
  return (
    <Box
      height={HEIGHT}
      display="flex"
      alignItems="center"
      justifyContent="center"
    >
      <Typography color="textSecondary">{props.children}</Typography>
    </Box>
  );
}

/** Escalations per period, stacked by trigger, oldest period first. */
export function EscalationTrendChart(props: { report: ReportResponse }) {
  const { report } = props;
  const palette = usePalette();
  const triggers = report.escalations.byTrigger;
  const data = report.trend.map((p, i) => ({
    period: axisLabel(p),
    ...Object.fromEntries(triggers.map(t => [t.key, t.trend[i]])),
  }));
  const total = report.escalations.trend;
  if (total.every(n => n === 0)) {
    return <Empty>No escalations in these periods</Empty>;
  }
  return (
    <div
      role="img"
      aria-label={`Escalations per period, oldest first: ${report.trend
        .map((p, i) => `${p.id} ${total[i]}`)
        .join(', ')}`}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
        >
          <CartesianGrid
            strokeDasharray="3 3"
            stroke={palette.grid}
            vertical={false}
          />
          <XAxis dataKey="period" stroke={palette.axis} tickLine={false} />
          <YAxis allowDecimals={false} stroke={palette.axis} tickLine={false} />
          <Tooltip {...palette.tooltip} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {triggers.map((t, i) => (
            <Bar
              key={t.key}
              dataKey={t.key}
              name={TRIGGER_LABEL[t.key] ?? t.key}
              stackId="escalations"
              fill={palette.series[i % palette.series.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** This period's escalations per value (priority, tier) against the period before. */
export function DistributionChart(props: {
  counts: ReportCount[];
  label: string;
}) {
  const { counts, label } = props;
  const palette = usePalette();
  const data = counts.map(c => ({
    key: c.key,
    current: c.count,
    previous: c.trend[c.trend.length - 2] ?? 0,
  }));
  if (data.every(d => d.current === 0 && d.previous === 0)) {
    return <Empty>No escalations in this period or the one before</Empty>;
  }
  return (
    <div
      role="img"
      aria-label={`Escalations by ${label}: ${counts
        .map(c => `${c.key} ${c.count}`)
        .join(', ')}`}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
        >
          <CartesianGrid
            strokeDasharray="3 3"
            stroke={palette.grid}
            vertical={false}
          />
          <XAxis dataKey="key" stroke={palette.axis} tickLine={false} />
          <YAxis allowDecimals={false} stroke={palette.axis} tickLine={false} />
          <Tooltip {...palette.tooltip} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar
            dataKey="previous"
            name="Period before"
            fill={palette.muted}
            isAnimationActive={false}
          />
          <Bar
            dataKey="current"
            name="This period"
            fill={palette.series[0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Median and p90 of a duration per value of a dimension, in hours. */
export function DurationChart(props: { stats: DurationStat[]; label: string }) {
  const { stats, label } = props;
  const palette = usePalette();
  const hours = (ms: number | null) =>
    ms === null ? 0 : Math.round((ms / 3_600_000) * 10) / 10;
  const data = stats.map(s => ({
    key: s.key,
    median: hours(s.medianMs),
    p90: hours(s.p90Ms),
  }));
  if (data.length === 0) return <Empty>Nothing resolved in this period</Empty>;
  return (
    <div
      role="img"
      aria-label={`${label}: ${stats
        .map(
          s =>
            `${s.key} median ${duration(s.medianMs)}, p90 ${duration(s.p90Ms)}`,
        )
        .join('; ')}`}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: -8 }}
        >
          <CartesianGrid
            strokeDasharray="3 3"
            stroke={palette.grid}
            vertical={false}
          />
          <XAxis dataKey="key" stroke={palette.axis} tickLine={false} />
          <YAxis stroke={palette.axis} tickLine={false} unit=" h" width={56} />
          <Tooltip
            {...palette.tooltip}
            formatter={(value: unknown, name: unknown) => [
              duration(Number(value) * 3_600_000),
              String(name),
            ]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar
            dataKey="median"
            name="Median"
            fill={palette.series[0]}
            isAnimationActive={false}
          />
          <Bar
            dataKey="p90"
            name="90th percentile"
            fill={palette.series[1]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
