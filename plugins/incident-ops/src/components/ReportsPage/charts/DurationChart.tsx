import type { DurationStat } from '@acme/plugin-incident-ops-common';
import { duration } from '../format';
import { BarChartFrame, EmptyChart } from './BarChartFrame';
import { usePalette } from './usePalette';

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
  if (data.length === 0) {
    return <EmptyChart>Nothing resolved in this period</EmptyChart>;
  }
  return (
    <BarChartFrame
      label={`${label}: ${stats
        .map(
          s =>
            `${s.key} median ${duration(s.medianMs)}, p90 ${duration(s.p90Ms)}`,
        )
        .join('; ')}`}
      data={data}
      xKey="key"
      left={-8}
      yAxis={{ unit: ' h', width: 56 }}
      tooltip={{
        formatter: (value: unknown, name: unknown) => [
          duration(Number(value) * 3_600_000),
          String(name),
        ],
      }}
      bars={[
        { dataKey: 'median', name: 'Median', fill: palette.series[0] },
        { dataKey: 'p90', name: '90th percentile', fill: palette.series[1] },
      ]}
    />
  );
}
