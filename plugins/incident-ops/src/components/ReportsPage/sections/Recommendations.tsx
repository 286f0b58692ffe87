import type { Recommendation } from '@acme/plugin-incident-ops-common';
import { Chip, List, ListItem, Typography } from '@material-ui/core';
import { RECOMMENDATION_LABEL, evidenceLabel } from '../format';
import { useStyles } from './styles';

/** The recommendations, each with the figures it rests on. */
export function Recommendations(props: { items: Recommendation[] }) {
  const classes = useStyles();
  if (props.items.length === 0) {
    return (
      <Typography className={classes.muted}>
        Nothing stands out this period: no threshold is breached by most tickets
        or never reached, no ticket type always leaves L1, and the KB, playbooks
        and surveys show no weak spot.
      </Typography>
    );
  }
  return (
    <List disablePadding aria-label="Recommendations">
      {props.items.map(r => (
        <ListItem
          key={`${r.kind}/${r.subject}`}
          className={classes.recommendation}
          data-testid={`recommendation-${r.kind}`}
          disableGutters
        >
          <Typography variant="subtitle1" component="h3">
            <Chip
              size="small"
              label={RECOMMENDATION_LABEL[r.kind] ?? r.kind}
              className={classes.kindChip}
            />
            {r.title}
          </Typography>
          <Typography variant="body2">{r.detail}</Typography>
          <div className={classes.evidence} aria-label="Evidence">
            {Object.entries(r.evidence)
              .filter(([k]) => k !== 'comments')
              .map(([k, v]) => (
                <Chip
                  key={k}
                  size="small"
                  variant="outlined"
                  label={`${evidenceLabel(k)}: ${
                    Array.isArray(v) ? v.join(', ') : v
                  }`}
                />
              ))}
          </div>
          {Array.isArray(r.evidence.comments) &&
            r.evidence.comments.map(c => (
              <Typography key={c} variant="body2" className={classes.comment}>
                “{c}”
              </Typography>
            ))}
        </ListItem>
      ))}
    </List>
  );
}
