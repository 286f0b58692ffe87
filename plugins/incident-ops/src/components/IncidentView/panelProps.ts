/** What every panel of the incident view is given. */
export interface IncidentPanelProps {
  /** The ticket's number. */
  number: string;
  /** The ticket's version: the panel loads again when it changes. */
  version: number;
  /** False for a closed ticket: nothing is offered. */
  workable?: boolean;
  /** Called after a change made in the panel, with what to tell the engineer. */
  onChanged: (message: string) => void;
}
