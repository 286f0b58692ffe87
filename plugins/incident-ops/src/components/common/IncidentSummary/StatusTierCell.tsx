import {
  STATUS_LABEL,
  type IncidentStatus,
  type Tier,
} from '@acme/plugin-incident-ops-common';
import { TableCell, Typography } from '@material-ui/core';
import { useSummaryStyles } from './styles';

/** The status, and below it the tier ("no tier" without one) with an optional note. */
export function StatusTierCell(props: {
  status: IncidentStatus;
  tier?: Tier;
  /** Said after the tier, e.g. "Escalates to L2 in 12 min". */
  tierNote?: string;
}) {
  const { status, tier, tierNote } = props;
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
        {tierNote ? ` · ${tierNote}` : ''}
      </Typography>
    </TableCell>
  );
}
