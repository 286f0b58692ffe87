import {
  ReportKind,
  ReportPeriod,
  formatDuration,
  previousReportPeriods,
  reportPeriodContaining,
} from '@acme/plugin-incident-ops-common';

/** The URL parameter of each kind of report (as in the API and the delivered links). */
export const PERIOD_PARAM: Record<ReportKind, 'week' | 'month' | 'quarter'> = {
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
};

const COUNT: Record<ReportKind, number> = {
  weekly: 26,
  monthly: 12,
  quarterly: 8,
};

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

const day = (iso: string) => {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
};

/** `2026-W47 · 16–22 Nov`, `November 2026`, `2026 Q4 · Oct–Dec`. */
export function periodLabel(p: ReportPeriod): string {
  const start = new Date(p.start);
  const last = new Date(Date.parse(p.end) - 1);
  if (p.kind === 'weekly')
    return `${p.id} · ${day(p.start)} – ${day(last.toISOString())}`;
  if (p.kind === 'monthly') {
    return `${start.toLocaleString('en', {
      month: 'long',
      timeZone: 'UTC',
    })} ${start.getUTCFullYear()}`;
  }
  return `${start.getUTCFullYear()} Q${
    Math.floor(start.getUTCMonth() / 3) + 1
  } · ${MONTHS[start.getUTCMonth()]}–${MONTHS[last.getUTCMonth()]}`;
}

/** The short label of a period on a chart axis: `W47`, `Nov`, `Q4`. */
export function axisLabel(p: ReportPeriod): string {
  if (p.kind === 'weekly') return p.id.slice(5);
  if (p.kind === 'monthly') return MONTHS[new Date(p.start).getUTCMonth()];
  return p.id.slice(5);
}

/** The periods one can pick, newest first: the one in progress, then complete ones. */
export function periodChoices(kind: ReportKind, now: Date) {
  const current = reportPeriodContaining(kind, now);
  return [current, ...previousReportPeriods(current, COUNT[kind]).reverse()];
}

/** The last complete period: what a report shows unless another is picked. */
export function lastCompletePeriod(kind: ReportKind, now: Date) {
  return previousReportPeriods(reportPeriodContaining(kind, now), 1)[0];
}

/** `45 min`, `7 h 30 min`, `31 h`, `4 d 2 h`: precise when short, rounded when long. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 10 * 60) return formatDuration(minutes * 60_000);
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? '–' : `${Math.round(share * 100)}%`;

/** Human names for the escalation triggers of the operational model. */
export const TRIGGER_LABEL: Record<string, string> = {
  'time-based': 'Time-based (limit or SLA)',
  priority: 'Priority (P1 / P2 routing)',
  'kb-exhausted': 'KB exhausted',
  complexity: 'Complexity',
  'stakeholder-request': 'Stakeholder request',
  'architectural-impact': 'Architectural impact',
  other: 'Other',
};

export const RECOMMENDATION_LABEL: Record<string, string> = {
  'threshold-breached-by-most': 'Threshold breached by most',
  'threshold-never-reached': 'Threshold never reached',
  'route-to-l2': 'Route to L2',
  'write-kb-article': 'Write a KB article',
  'fix-playbook-step': 'Fix a playbook step',
  'record-lessons-learned': 'Record lessons learned',
  'review-low-survey-scores': 'Low survey scores',
  'assign-role': 'Assign a role',
};

/** Turns an evidence key (`escalatedFromL1`) into words (`escalated from L1`). */
export function evidenceLabel(key: string): string {
  return key
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/\bL (\d)/g, 'L$1')
    .toLowerCase()
    .replace(/\bl(\d)\b/g, 'L$1');
}
