import type {
  DurationBreakdown,
  ReportCount,
  ReportResponse,
} from '@acme/plugin-incident-ops-common';

type Cell = string | number | null | undefined;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  // quote what would break a row; neutralise spreadsheet formulas
  const safe = /^[=+\-@]/.test(s) && typeof value === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const minutes = (ms: number | null) =>
  ms === null ? null : Math.round(ms / 6000) / 10;

/**
 * The report as one long table (`section,dimension,key,period,metric,value`): one row per
 * figure, trends as one row per period; durations in minutes.
 */
export function reportToCsv(report: ReportResponse): string {
  const rows: Cell[][] = [
    ['section', 'dimension', 'key', 'period', 'metric', 'value'],
  ];
  const here = report.period.id;
  const push = (...r: Cell[]) => rows.push(r);

  report.trend.forEach((p, i) =>
    push(
      'escalations',
      'total',
      'all',
      p.id,
      'count',
      report.escalations.trend[i],
    ),
  );
  const countRows = (dimension: string, list: ReportCount[]) => {
    for (const c of list) {
      report.trend.forEach((p, i) =>
        push('escalations', dimension, c.key, p.id, 'count', c.trend[i]),
      );
    }
  };
  countRows('trigger', report.escalations.byTrigger);
  countRows('tier', report.escalations.byTier);
  countRows('priority', report.escalations.byPriority);
  countRows('ticket-type', report.escalations.byTicketType);

  const durationRows = (section: string, b: DurationBreakdown) => {
    const lists: Array<[string, typeof b.byPriority]> = [
      ['all', [b.overall]],
      ['priority', b.byPriority],
      ['tier', b.byTier],
      ['ticket-type', b.byTicketType],
    ];
    for (const [dimension, list] of lists) {
      for (const s of list) {
        push(section, dimension, s.key, here, 'count', s.count);
        push(
          section,
          dimension,
          s.key,
          here,
          'median_minutes',
          minutes(s.medianMs),
        );
        push(section, dimension, s.key, here, 'p90_minutes', minutes(s.p90Ms));
      }
    }
  };
  durationRows('time-to-acknowledge', report.timeToAcknowledge);
  durationRows('time-to-resolve', report.timeToResolve);

  for (const s of report.sla) {
    push('sla', 'priority', s.priority, here, 'resolved', s.resolved);
    for (const [which, v] of [
      ['respond', s.respond],
      ['resolve', s.resolve],
    ] as const) {
      push(
        'sla',
        'priority',
        s.priority,
        here,
        `${which}_target_minutes`,
        minutes(v.targetMs),
      );
      push(
        'sla',
        'priority',
        s.priority,
        here,
        `${which}_breached`,
        v.breached,
      );
      push(
        'sla',
        'priority',
        s.priority,
        here,
        `${which}_compliance`,
        v.compliance,
      );
    }
  }

  push('recurring-p2', 'all', 'all', here, 'flagged', report.recurringP2sTotal);
  for (const g of report.recurringP2s) {
    const key = `${g.configurationItem ?? 'none'}/${
      g.ticketType ?? 'unclassified'
    }`;
    for (const i of g.incidents) {
      push('recurring-p2', key, i.number, here, 'status', i.status);
      push('recurring-p2', key, i.number, here, 'explanation', i.explanation);
    }
  }

  const kb = report.kb;
  push('kb', 'all', 'all', here, 'suggestions_shown', kb.suggestionsShown);
  push(
    'kb',
    'all',
    'all',
    here,
    'tickets_with_suggestions',
    kb.ticketsWithSuggestions,
  );
  push('kb', 'all', 'all', here, 'marked_helpful', kb.markedHelpful);
  push('kb', 'all', 'all', here, 'marked_not_helpful', kb.markedNotHelpful);
  push('kb', 'all', 'all', here, 'kb_exhausted_tickets', kb.kbExhaustedTickets);
  push('kb', 'all', 'all', here, 'deflections', kb.deflections);
  for (const [dimension, list] of [
    ['most-helpful', kb.mostHelpful],
    ['least-helpful', kb.leastHelpful],
  ] as const) {
    for (const a of list) {
      push('kb', dimension, a.article, here, 'title', a.title);
      push('kb', dimension, a.article, here, 'shown', a.shown);
      push('kb', dimension, a.article, here, 'helpful', a.helpful);
      push('kb', dimension, a.article, here, 'not_helpful', a.notHelpful);
    }
  }

  for (const v of report.vendors.byVendor) {
    push('vendor-escalations', 'vendor', v.vendor, here, 'opened', v.opened);
    push(
      'vendor-escalations',
      'vendor',
      v.vendor,
      here,
      'responded',
      v.responded,
    );
    push(
      'vendor-escalations',
      'vendor',
      v.vendor,
      here,
      'responded_within_sla',
      v.respondedWithinSla,
    );
    push(
      'vendor-escalations',
      'vendor',
      v.vendor,
      here,
      'breached',
      v.breached,
    );
    push('vendor-escalations', 'vendor', v.vendor, here, 'waiting', v.waiting);
  }
  for (const b of report.vendors.breaches) {
    push(
      'vendor-escalations',
      'breach',
      b.number,
      here,
      'case',
      `${b.vendor} ${b.caseId}`,
    );
    push(
      'vendor-escalations',
      'breach',
      b.number,
      here,
      'respond_by',
      b.respondBy,
    );
    push(
      'vendor-escalations',
      'breach',
      b.number,
      here,
      'responded_at',
      b.respondedAt,
    );
  }

  const pm = report.postMortems;
  for (const [metric, value] of [
    ['due', pm.due],
    ['on_time', pm.onTime],
    ['late', pm.late],
    ['overdue', pm.overdue],
    ['pending', pm.pending],
  ] as const) {
    push('post-mortems', 'all', 'all', here, metric, value);
  }
  for (const i of pm.items) {
    push('post-mortems', i.state, i.number, here, 'due_at', i.dueAt);
  }

  push('surveys', 'all', 'all', here, 'responses', report.surveys.responses);
  push(
    'surveys',
    'all',
    'all',
    here,
    'average_rating',
    report.surveys.averageRating,
  );
  report.surveys.distribution.forEach((n, i) =>
    push('surveys', 'rating', String(i + 1), here, 'responses', n),
  );
  for (const l of report.surveys.low) {
    push('surveys', 'low-score', l.number, here, 'rating', l.rating);
    push('surveys', 'low-score', l.number, here, 'comment', l.comment);
  }

  for (const r of report.recommendations ?? []) {
    push('recommendation', r.kind, r.subject, here, 'title', r.title);
    push('recommendation', r.kind, r.subject, here, 'detail', r.detail);
    for (const [k, v] of Object.entries(r.evidence)) {
      push(
        'recommendation',
        r.kind,
        r.subject,
        here,
        k,
        Array.isArray(v) ? v.join('; ') : v,
      );
    }
  }
  return `${rows.map(r => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
