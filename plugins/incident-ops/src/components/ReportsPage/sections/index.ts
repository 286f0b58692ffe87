export { KbUsageCard } from './KbUsageCard';
export { Recommendations } from './Recommendations';
export { RecurringCard } from './RecurringCard';
export { ResolutionTable } from './ResolutionTable';
export { SlaTable } from './SlaTable';
export { SurveysCard } from './SurveysCard';
export { TicketTypeTable } from './TicketTypeTable';
export { VendorsAndPostMortemsCard } from './VendorsAndPostMortemsCard';
