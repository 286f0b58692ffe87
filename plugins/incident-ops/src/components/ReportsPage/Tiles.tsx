import type { ReportResponse } from '@acme/plugin-incident-ops-common';
import { Grid } from '@material-ui/core';
import { duration, percent } from './format';
import { Tile } from './Tile';

/** The headline figures of a report. */
export function Tiles(props: { report: ReportResponse }) {
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
