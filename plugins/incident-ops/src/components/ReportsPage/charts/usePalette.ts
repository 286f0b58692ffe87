import { useTheme } from '@material-ui/core';

/** The charts' colours, from the theme: series in order, axes, grid, tooltip. */
export function usePalette() {
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
