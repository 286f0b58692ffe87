import type {
  DurationBreakdown,
  Priority,
  Recommendation,
  ReportResponse,
} from '@acme/plugin-incident-ops-common';
import { InfoCard, Link } from '@backstage/core-components';
import {
  Box,
  Chip,
  List,
  ListItem,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';
import { useState } from 'react';
import { PriorityChip } from '../common/PriorityChip';
import { kbArticlePath, playbookPath } from '../KnowledgePages/paths';
import {
  RECOMMENDATION_LABEL,
  duration,
  evidenceLabel,
  percent,
} from './format';

const useStyles = makeStyles(theme => ({
  number: { fontVariantNumeric: 'tabular-nums' },
  nowrap: { whiteSpace: 'nowrap' },
  good: { color: theme.palette.success.main, fontWeight: 600 },
  fair: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.warning.light
        : theme.palette.warning.dark,
    fontWeight: 600,
  },
  poor: { color: theme.palette.error.main, fontWeight: 600 },
  muted: { color: theme.palette.text.secondary },
  recommendation: {
    display: 'block',
    padding: theme.spacing(1.5, 2),
    borderLeft: `4px solid ${theme.palette.primary.main}`,
    marginBottom: theme.spacing(1.5),
    backgroundColor: alpha(theme.palette.primary.main, 0.04),
  },
  evidence: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.75),
    marginTop: theme.spacing(1),
  },
  comment: {
    fontStyle: 'italic',
    color: theme.palette.text.secondary,
    display: 'block',
  },
  kindChip: { marginRight: theme.spacing(1) },
  cut: {
    display: 'block',
    marginTop: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  bar: {
    height: 10,
    borderRadius: 2,
    backgroundColor: theme.palette.primary.main,
  },
}));

/** Says that a list shows only some of what there is ("Showing 50 of 73 …"). */
function Cut(props: { listed: number; total: number; what: string }) {
  const classes = useStyles();
  if (props.total <= props.listed) return null;
  return (
    <Typography variant="caption" className={classes.cut} role="note">
      Showing {props.listed} of {props.total} {props.what}; the rest are left
      out.
    </Typography>
  );
}

/** Green from 95%, amber from 80%, red below. */
function Compliance(props: { share: number | null }) {
  const classes = useStyles();
  const { share } = props;
  let className = classes.muted;
  if (share !== null) {
    if (share >= 0.95) className = classes.good;
    else if (share >= 0.8) className = classes.fair;
    else className = classes.poor;
  }
  return <span className={className}>{percent(share)}</span>;
}

/** SLA compliance per priority over the tickets resolved in the period. */
export function SlaTable(props: { report: ReportResponse }) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label="SLA compliance per priority">
      <TableHead>
        <TableRow>
          <TableCell>Priority</TableCell>
          <TableCell align="right">Resolved</TableCell>
          <TableCell align="right">Respond target</TableCell>
          <TableCell align="right">Met</TableCell>
          <TableCell align="right">Resolve target</TableCell>
          <TableCell align="right">Met</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.report.sla.map(s => (
          <TableRow key={s.priority} data-testid={`sla-${s.priority}`}>
            <TableCell>
              <PriorityChip priority={s.priority} />
            </TableCell>
            <TableCell align="right" className={classes.number}>
              {s.resolved}
            </TableCell>
            <TableCell align="right">{duration(s.respond.targetMs)}</TableCell>
            <TableCell align="right" className={classes.number}>
              <Compliance share={s.respond.compliance} />
              {s.respond.breached > 0 && (
                <Typography variant="caption" className={classes.muted}>
                  {' '}
                  ({s.respond.breached} breached)
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">{duration(s.resolve.targetMs)}</TableCell>
            <TableCell align="right" className={classes.number}>
              <Compliance share={s.resolve.compliance} />
              {s.resolve.breached > 0 && (
                <Typography variant="caption" className={classes.muted}>
                  {' '}
                  ({s.resolve.breached} breached)
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const DIMENSIONS = [
  ['byPriority', 'Priority'],
  ['byTier', 'Tier'],
  ['byTicketType', 'Ticket type'],
] as const;

/** Time to acknowledge and to resolve, side by side, by priority, tier or ticket type. */
export function ResolutionTable(props: { report: ReportResponse }) {
  const classes = useStyles();
  const [tab, setTab] = useState(0);
  const { timeToAcknowledge: tta, timeToResolve: ttr } = props.report;
  const [dimension, label] = DIMENSIONS[tab];
  const keys = [
    ...new Set([
      ...tta[dimension].map(s => s.key),
      ...ttr[dimension].map(s => s.key),
    ]),
  ];
  const find = (b: DurationBreakdown, key: string) =>
    b[dimension].find(s => s.key === key);
  return (
    <>
      <Tabs
        value={tab}
        onChange={(_e, v) => setTab(v)}
        indicatorColor="primary"
        textColor="primary"
        aria-label="Break resolution times down by"
      >
        {DIMENSIONS.map(([key, name]) => (
          <Tab key={key} label={name} />
        ))}
      </Tabs>
      <Table size="small" aria-label={`Resolution times by ${label}`}>
        <TableHead>
          <TableRow>
            <TableCell>{label}</TableCell>
            <TableCell align="right">Acknowledged</TableCell>
            <TableCell align="right">Median</TableCell>
            <TableCell align="right">p90</TableCell>
            <TableCell align="right">Resolved</TableCell>
            <TableCell align="right">Median</TableCell>
            <TableCell align="right">p90</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {[
            ['All tickets', tta.overall, ttr.overall] as const,
            ...keys.map(k => [k, find(tta, k), find(ttr, k)] as const),
          ].map(([key, a, r]) => (
            <TableRow key={key}>
              <TableCell component="th" scope="row">
                {key === 'All tickets' ? <strong>{key}</strong> : key}
              </TableCell>
              <TableCell align="right" className={classes.number}>
                {a?.count ?? 0}
              </TableCell>
              <TableCell align="right">{duration(a?.medianMs)}</TableCell>
              <TableCell align="right">{duration(a?.p90Ms)}</TableCell>
              <TableCell align="right" className={classes.number}>
                {r?.count ?? 0}
              </TableCell>
              <TableCell align="right">{duration(r?.medianMs)}</TableCell>
              <TableCell align="right">{duration(r?.p90Ms)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

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

/** Escalations by ticket type: this period and the one before. */
export function TicketTypeTable(props: { report: ReportResponse }) {
  const classes = useStyles();
  const rows = props.report.escalations.byTicketType;
  if (rows.length === 0) {
    return <Typography className={classes.muted}>No escalations.</Typography>;
  }
  return (
    <Table size="small" aria-label="Escalations by ticket type">
      <TableHead>
        <TableRow>
          <TableCell>Ticket type</TableCell>
          <TableCell align="right">This period</TableCell>
          <TableCell align="right">Period before</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(r => (
          <TableRow key={r.key}>
            <TableCell>{r.key}</TableCell>
            <TableCell align="right" className={classes.number}>
              {r.count}
            </TableCell>
            <TableCell align="right" className={classes.number}>
              {r.trend[r.trend.length - 2] ?? 0}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** KB usage: suggestions, feedback, KB-exhausted tickets, best and worst articles. */
export function KbUsageCard(props: { report: ReportResponse }) {
  const classes = useStyles();
  const kb = props.report.kb;
  const list = (title: string, items: typeof kb.mostHelpful) => (
    <Box mt={2}>
      <Typography variant="subtitle2">{title}</Typography>
      {items.length === 0 ? (
        <Typography variant="body2" className={classes.muted}>
          None
        </Typography>
      ) : (
        <Table size="small" aria-label={title}>
          <TableBody>
            {items.map(a => (
              <TableRow key={`${a.source}/${a.article}`}>
                <TableCell>
                  {a.title ?? a.article}
                  <Typography variant="caption" className={classes.muted}>
                    {' '}
                    {a.article}
                  </Typography>
                </TableCell>
                <TableCell align="right" className={classes.number}>
                  {a.helpful} helpful · {a.notHelpful} not · {a.shown} shown
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
  return (
    <InfoCard title="KB usage">
      <Table size="small" aria-label="KB usage">
        <TableBody>
          {(
            [
              ['Suggestions shown', kb.suggestionsShown],
              ['Tickets with suggestions', kb.ticketsWithSuggestions],
              ['Marked helpful', kb.markedHelpful],
              ['Marked not helpful', kb.markedNotHelpful],
              ['KB-exhausted tickets', kb.kbExhaustedTickets],
            ] as const
          ).map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row">
                {label}
              </TableCell>
              <TableCell align="right" className={classes.number}>
                {value}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {list('Helped most', kb.mostHelpful)}
      {list('Helped least', kb.leastHelpful)}
    </InfoCard>
  );
}

/** Post-resolution surveys: count, average, spread, and the low scores with comments. */
export function SurveysCard(props: { report: ReportResponse }) {
  const classes = useStyles();
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
                            to={kbArticlePath(l.kbArticle)}
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
                            to={playbookPath(l.playbook)}
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

/** P2s flagged as recurring, by entity and ticket type, for the stakeholder review. */
export function RecurringCard(props: { report: ReportResponse }) {
  const classes = useStyles();
  const groups = props.report.recurringP2s;
  const listed = groups.reduce((n, g) => n + g.incidents.length, 0);
  return (
    <InfoCard
      title="Recurring P2s"
      subheader="For the weekly stakeholder review"
    >
      {groups.length === 0 ? (
        <Typography className={classes.muted}>
          No P2 was flagged as recurring.
        </Typography>
      ) : (
        <Table size="small" aria-label="Recurring P2s">
          <TableHead>
            <TableRow>
              <TableCell>Entity</TableCell>
              <TableCell>Ticket type</TableCell>
              <TableCell>Incidents</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {groups.map(g => (
              <TableRow key={`${g.configurationItem}/${g.ticketType}`}>
                <TableCell>{g.configurationItem ?? '—'}</TableCell>
                <TableCell>{g.ticketType ?? 'unclassified'}</TableCell>
                <TableCell>
                  {g.incidents.map(i => i.number).join(', ')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Cut
        listed={listed}
        total={props.report.recurringP2sTotal ?? listed}
        what="P2s flagged as recurring"
      />
    </InfoCard>
  );
}

/** Vendor cases against their SLA, and post-mortems due. */
export function VendorsAndPostMortemsCard(props: { report: ReportResponse }) {
  const classes = useStyles();
  const { vendors, postMortems: pm } = props.report;
  const pmLabel: Record<string, string> = {
    overdue: 'overdue',
    late: 'recorded late',
    pending: 'due',
  };
  return (
    <InfoCard title="Vendor escalations and post-mortems">
      {vendors.byVendor.length === 0 ? (
        <Typography className={classes.muted}>
          No vendor case was opened.
        </Typography>
      ) : (
        <Table size="small" aria-label="Vendor escalations">
          <TableHead>
            <TableRow>
              <TableCell>Vendor</TableCell>
              <TableCell align="right">Opened</TableCell>
              <TableCell align="right">Answered in SLA</TableCell>
              <TableCell align="right">Past SLA</TableCell>
              <TableCell align="right">Waiting</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {vendors.byVendor.map(v => (
              <TableRow key={v.vendor}>
                <TableCell>{v.vendor}</TableCell>
                <TableCell align="right">{v.opened}</TableCell>
                <TableCell align="right">{v.respondedWithinSla}</TableCell>
                <TableCell
                  align="right"
                  className={v.breached ? classes.poor : undefined}
                >
                  {v.breached}
                </TableCell>
                <TableCell align="right">{v.waiting}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Box mt={2}>
        <Typography variant="subtitle2">
          Post-mortems due (within {duration(pm.withinMs)} of resolution)
        </Typography>
        <Typography variant="body2">
          {pm.due} due: {pm.onTime} on time, {pm.late} late,{' '}
          <span className={pm.overdue ? classes.poor : undefined}>
            {pm.overdue} overdue
          </span>
          {pm.pending ? `, ${pm.pending} not yet due` : ''}
        </Typography>
        {pm.items.length > 0 && (
          <Table size="small" aria-label="Post-mortems not on time">
            <TableBody>
              {pm.items.map(i => (
                <TableRow key={i.number}>
                  <TableCell className={classes.nowrap}>
                    <PriorityChip priority={i.priority as Priority} />{' '}
                    {i.number}
                  </TableCell>
                  <TableCell>{i.shortDescription}</TableCell>
                  <TableCell
                    className={`${classes.nowrap} ${
                      i.state === 'overdue' ? classes.poor : ''
                    }`}
                  >
                    {pmLabel[i.state]}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Cut
          listed={pm.items.length}
          total={pm.late + pm.overdue + pm.pending}
          what="post-mortems not done on time"
        />
      </Box>
    </InfoCard>
  );
}
