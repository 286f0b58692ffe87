import type { ReportCount } from '@acme/plugin-incident-ops-common';
import { BarChartFrame, EmptyChart } from './BarChartFrame';
import { usePalette } from './usePalette';

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
    return (
      <EmptyChart>No escalations in this period or the one before</EmptyChart>
    );
  }
  return (
    <BarChartFrame
      label={`Escalations by ${label}: ${counts
        .map(c => `${c.key} ${c.count}`)
        .join(', ')}`}
      data={data}
      xKey="key"
      left={-16}
      yAxis={{ allowDecimals: false }}
      bars={[
        { dataKey: 'previous', name: 'Period before', fill: palette.muted },
        { dataKey: 'current', name: 'This period', fill: palette.series[0] },
      ]}
    />
  );
}
