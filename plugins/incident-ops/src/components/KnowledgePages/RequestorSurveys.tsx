import type { SurveyFigures } from '@acme/plugin-incident-ops-common';
import { InfoCard } from '@backstage/core-components';
import { Typography, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: theme.spacing(1.5, 0, 0), padding: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  comment: { fontStyle: 'italic' },
  meta: { color: theme.palette.text.secondary },
}));

const day = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });

/** "4 surveys, average 3.5 / 5; 1 rated 2 or less". */
export function surveysText(s: SurveyFigures): string {
  const surveys = `${s.responses} survey${s.responses === 1 ? '' : 's'}`;
  return `${surveys}, average ${s.averageRating} / 5; ${s.low} rated 2 or less`;
}

/**
 * "What requestors said": the post-resolution surveys of the tickets a KB article or a
 * playbook was used on, with the latest low scores' comments.
 */
export function RequestorSurveys(props: {
  surveys: SurveyFigures;
  /** "it was marked on", "it was run on". */
  usedOn: string;
}) {
  const { surveys: s, usedOn } = props;
  const classes = useStyles();
  return (
    <InfoCard
      title="What requestors said"
      subheader={`Post-resolution surveys of the tickets ${usedOn}`}
    >
      <div data-testid="requestor-surveys">
        {s.responses === 0 ? (
          <Typography variant="body2" className={classes.meta}>
            No requestor has answered the survey on a ticket {usedOn} yet.
          </Typography>
        ) : (
          <Typography variant="body2">{surveysText(s)}</Typography>
        )}
        {s.comments.length > 0 && (
          <ul className={classes.list} aria-label="Low scores with comments">
            {s.comments.map(c => (
              <li key={`${c.number}/${c.submittedAt}`} className={classes.item}>
                <Typography variant="body2" className={classes.comment}>
                  “{c.comment}”
                </Typography>
                <Typography variant="caption" className={classes.meta}>
                  {c.rating} ★ · {c.number} · {day(c.submittedAt)}
                </Typography>
              </li>
            ))}
          </ul>
        )}
      </div>
    </InfoCard>
  );
}
