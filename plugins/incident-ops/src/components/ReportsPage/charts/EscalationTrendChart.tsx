import type { ReportResponse } from '@acme/plugin-incident-ops-common';
import { TRIGGER_LABEL, axisLabel } from '../format';
import { BarChartFrame, EmptyChart } from './BarChartFrame';
import { usePalette } from './usePalette';

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
    return <EmptyChart>No escalations in these periods</EmptyChart>;
  }
  return (
    <BarChartFrame
      label={`Escalations per period, oldest first: ${report.trend
        .map((p, i) => `${p.id} ${total[i]}`)
        .join(', ')}`}
      data={data}
      xKey="period"
      left={-16}
      yAxis={{ allowDecimals: false }}
      bars={triggers.map((t, i) => ({
        dataKey: t.key,
        name: TRIGGER_LABEL[t.key] ?? t.key,
        stackId: 'escalations',
        fill: palette.series[i % palette.series.length],
      }))}
    />
  );
}
