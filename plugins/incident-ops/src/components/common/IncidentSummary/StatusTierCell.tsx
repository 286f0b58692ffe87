import {
  STATUS_LABEL,
  type IncidentStatus,
  type Tier,
} from '@acme/plugin-incident-ops-common';
import { TableCell, Typography } from '@material-ui/core';
import { useSummaryStyles } from './styles';

/**
 * The status, and below it the tier ("no tier" without one, "L1 · triage" for a ticket at
 * triage) with an optional note.
 */
export function StatusTierCell(props: {
  status: IncidentStatus;
  tier?: Tier;
  /** At L1 for triage: open with no tier group. */
  triage?: boolean;
  /** Said after the tier, e.g. "Escalates to L2 in 12 min". */
  tierNote?: string;
}) {
  const { status, tier, triage, tierNote } = props;
  const classes = useSummaryStyles();
  return (
    <TableCell className={classes.nowrap}>
      {STATUS_LABEL[status]}
      <Typography
        variant="caption"
        display="block"
        className={classes.secondary}
      >
        {tier ? <span aria-label={`tier ${tier}`}>{tier}</span> : 'no tier'}
        {triage ? ' · triage' : ''}
        {tierNote ? ` · ${tierNote}` : ''}
      </Typography>
    </TableCell>
  );
}
