export { DistributionChart } from './DistributionChart';
export { DurationChart } from './DurationChart';
export { EscalationTrendChart } from './EscalationTrendChart';
