import { Box, Typography } from '@material-ui/core';
import type { ComponentProps } from 'react';
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
import { usePalette } from './usePalette';

const HEIGHT = 260;

/** What a chart shows instead when it has nothing to draw. */
export function EmptyChart(props: { children: string }) {
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

/**
 * A report's bar chart: its `bars`, with grid, axes, tooltip and legend, inside an image
 * whose `label` reads the figures to screen readers.
 */
export function BarChartFrame(props: {
  label: string;
  data: object[];
  /** The field of `data` along the x axis. */
  xKey: string;
  /** The left margin, negative to take back the y axis' unused room. */
  left: number;
  yAxis: ComponentProps<typeof YAxis>;
  tooltip?: ComponentProps<typeof Tooltip>;
  /** One series each: the field of `data` it draws, its name in the legend, its colour. */
  bars: Array<{
    dataKey: string;
    name: string;
    fill: string;
    stackId?: string;
  }>;
}) {
  const palette = usePalette();
  return (
    <div role="img" aria-label={props.label}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart
          data={props.data}
          margin={{ top: 8, right: 8, bottom: 0, left: props.left }}
        >
          <CartesianGrid
            strokeDasharray="3 3"
            stroke={palette.grid}
            vertical={false}
          />
          <XAxis dataKey={props.xKey} stroke={palette.axis} tickLine={false} />
          <YAxis stroke={palette.axis} tickLine={false} {...props.yAxis} />
          <Tooltip {...palette.tooltip} {...props.tooltip} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {props.bars.map(bar => (
            <Bar key={bar.dataKey} {...bar} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
