import type { ReportResponse } from '@acme/plugin-incident-ops-common';
import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import { kbArticleRouteRef, playbookRouteRef } from '../../../routes';
import { Cut } from './Cut';
import { useStyles } from './styles';

/** Post-resolution surveys: count, average, spread, and the low scores with comments. */
export function SurveysCard(props: { report: ReportResponse }) {
  const classes = useStyles();
  const kbArticle = useRouteRef(kbArticleRouteRef);
  const playbook = useRouteRef(playbookRouteRef);
  const s = props.report.surveys;
  const most = Math.max(1, ...s.distribution);
  return (
    <InfoCard
      title="Post-resolution surveys"
      subheader={
        s.responses
          ? `${s.responses} responses, average ${s.averageRating} / 5`
          : undefined
      }
    >
      {s.responses === 0 && (
        <Typography className={classes.muted}>
          No requestor answered the survey in this period.
        </Typography>
      )}
      {s.responses > 0 && (
        <Box
          display="grid"
          gridTemplateColumns="auto 1fr auto"
          alignItems="center"
          gridGap={8}
          aria-label="Responses per rating"
        >
          {[5, 4, 3, 2, 1].map(rating => (
            <Box key={rating} display="contents">
              <Typography variant="body2">{rating} ★</Typography>
              <div
                className={classes.bar}
                style={{
                  width: `${(s.distribution[rating - 1] / most) * 100}%`,
                  minWidth: s.distribution[rating - 1] ? 4 : 0,
                }}
              />
              <Typography variant="body2" className={classes.number}>
                {s.distribution[rating - 1]}
              </Typography>
            </Box>
          ))}
        </Box>
      )}
      {s.low.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2">Low scores</Typography>
          <Table size="small" aria-label="Low survey scores">
            <TableBody>
              {s.low.map(l => (
                <TableRow key={`${l.number}/${l.submittedAt}`}>
                  <TableCell>{l.number}</TableCell>
                  <TableCell>{l.rating} ★</TableCell>
                  <TableCell>
                    {l.comment ?? <span className={classes.muted}>—</span>}
                    <Typography variant="caption" className={classes.muted}>
                      {l.ticketType && ` ${l.ticketType}`}
                      {l.kbArticle && (
                        <>
                          {l.ticketType ? ' · ' : ' '}
                          <Link
                            to={kbArticle({ id: l.kbArticle })}
                            aria-label={`KB article ${l.kbArticle}`}
                          >
                            {l.kbArticle}
                          </Link>
                        </>
                      )}
                      {l.playbook && (
                        <>
                          {l.ticketType || l.kbArticle ? ' · ' : ' '}
                          <Link
                            to={playbook({ id: l.playbook })}
                            aria-label={`Playbook ${l.playbook}`}
                          >
                            {l.playbook}
                          </Link>
                        </>
                      )}
                    </Typography>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Cut
            listed={s.low.length}
            total={s.distribution[0] + s.distribution[1]}
            what="low scores"
          />
        </Box>
      )}
    </InfoCard>
  );
}
