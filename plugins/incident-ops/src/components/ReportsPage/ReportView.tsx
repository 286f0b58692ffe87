import type { ReportResponse } from '@acme/plugin-incident-ops-common';
import { InfoCard } from '@backstage/core-components';
import { Grid, Typography } from '@material-ui/core';
import {
  DistributionChart,
  DurationChart,
  EscalationTrendChart,
} from './charts';
import { axisLabel } from './format';
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
import { Tiles } from './Tiles';

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
